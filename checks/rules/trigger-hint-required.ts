import { str } from '../connector';
import { type Rule, SOURCES } from '../rule';
import { opId } from '../walk';

export const rule: Rule = {
  id: 'trigger-hint-required',
  severity: 'warn',
  description: 'Every trigger (`x-ms-trigger`) has an `x-ms-trigger-hint`, the note the designer shows while the maker waits for the first run.',
  fix: 'Add `"x-ms-trigger-hint": "To see it work, <action that makes it fire>."`.',
  source: SOURCES.webhooks,
  check(c) {
    return c.operations()
      .filter((op) => c.triggerKind(op) !== undefined && !str(op.operation['x-ms-trigger-hint'])?.trim())
      .map((op) => ({ pointer: op.pointer, ...opId(op), message: `The trigger '${op.operationId ?? op.path}' has no 'x-ms-trigger-hint'.` }));
  },
};
