import { str } from '../connector';
import { type Rule, SOURCES } from '../rule';
import { opId } from '../walk';

export const rule: Rule = {
  id: 'description-required',
  severity: 'warn',
  description: 'Every operation has a `description` (shown behind the info button in the designer).',
  fix: 'Add a full sentence that says what the operation does and returns, ending with a period.',
  source: SOURCES.submission,
  check(c) {
    return c.operations()
      .filter((op) => !str(op.operation.description)?.trim())
      .map((op) => ({ pointer: op.pointer, ...opId(op), message: `The operation '${op.operationId ?? op.path}' has no description.` }));
  },
};
