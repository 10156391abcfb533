import { type Rule, SOURCES } from '../rule';
import { opId } from '../walk';

export const rule: Rule = {
  id: 'trigger-metadata-consistent',
  severity: 'warn',
  description: 'When some operations carry `x-ms-trigger-metadata` (e.g. `{ "kind": "query", "mode": "polling" }`), every polling trigger does, so they are listed and behave alike.',
  fix: 'Add the same `x-ms-trigger-metadata` to the polling trigger.',
  source: SOURCES.polling,
  check(c) {
    const ops = c.operations();
    if (!ops.some((op) => op.operation['x-ms-trigger-metadata'] !== undefined)) return [];
    return ops
      .filter((op) => c.triggerKind(op) === 'batch' && op.operation['x-ms-trigger-metadata'] === undefined)
      .map((op) => ({ pointer: op.pointer, ...opId(op), message: `The polling trigger '${op.operationId ?? op.path}' has no 'x-ms-trigger-metadata', although other operations of the connector declare it.` }));
  },
};
