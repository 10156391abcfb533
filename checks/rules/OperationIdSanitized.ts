import { type Rule, SOURCES } from '../rule';

export const rule: Rule = {
  id: 'OperationIdSanitized',
  severity: 'warn',
  description: 'Every `operationId` consists of letters, digits and underscores only (its sanitized form equals itself).',
  fix: 'Remove spaces, dashes, dots and other punctuation from the id.',
  source: SOURCES.validator,
  check(c) {
    return c.operations()
      .filter((op) => op.operationId !== undefined && !/^[A-Za-z0-9_]+$/.test(op.operationId))
      .map((op) => ({
        pointer: `${op.pointer}/operationId`,
        operationId: op.operationId,
        message: `The 'operationId' value '${op.operationId}' is different from its sanitized value '${op.operationId!.replace(/[^A-Za-z0-9_]/g, '')}'.`,
      }));
  },
};
