import { type Rule, SOURCES } from '../rule';

export const rule: Rule = {
  id: 'OperationIdNotUnique',
  severity: 'error',
  description: 'No two operations share an `operationId`.',
  fix: 'Give the later operation its own id (a new operation, e.g. `X_V2`, when it replaces a published one).',
  severityReason: 'Import: operations are addressed by operationId; a duplicate makes the definition invalid (swagger-parser refuses it too).',
  source: SOURCES.validator,
  check(c) {
    const firstAt = new Map<string, string>();
    const hits = [];
    for (const op of c.operations()) {
      if (!op.operationId) continue;
      const first = firstAt.get(op.operationId);
      if (first === undefined) firstAt.set(op.operationId, op.pointer);
      else hits.push({ pointer: `${op.pointer}/operationId`, operationId: op.operationId, message: `The operationId '${op.operationId}' is used multiple times (first at ${first}).` });
    }
    return hits;
  },
};
