import { str } from '../connector';
import { type Rule, SOURCES } from '../rule';
import { opId } from '../walk';

export const rule: Rule = {
  id: 'summary-required',
  severity: 'warn',
  description: 'Every operation has a `summary` (the name makers see in the designer).',
  fix: 'Add a short sentence-case phrase, e.g. "Get call recording by ID" or, for a trigger, "When a call is recorded".',
  source: SOURCES.submission,
  check(c) {
    return c.operations()
      .filter((op) => !str(op.operation.summary)?.trim())
      .map((op) => ({ pointer: op.pointer, ...opId(op), message: `The operation '${op.operationId ?? op.path}' has no summary.` }));
  },
};
