import { str } from '../connector';
import { type Rule, SOURCES } from '../rule';

export const rule: Rule = {
  id: 'OperationIdRequired',
  severity: 'error',
  description: 'Every operation has an `operationId`.',
  fix: 'Add a unique PascalCase `operationId` (e.g. `GetContactByID`); existing flows bind to it, so never rename a published one.',
  severityReason: 'Runtime: flows bind to an operation by its operationId; an operation without one cannot be called by a flow.',
  source: SOURCES.validator,
  check(c) {
    return c.operations()
      .filter((op) => !str(op.operation.operationId)?.trim())
      .map((op) => ({ pointer: op.pointer, message: `The operation ${op.method.toUpperCase()} ${op.path} has no 'operationId'.` }));
  },
};
