import { type Rule, SOURCES } from '../rule';
import { opId } from '../walk';

export const rule: Rule = {
  id: 'OperationShouldHaveSuccessfulResponse',
  severity: 'error',
  description: 'Every operation declares at least one successful (2xx) response.',
  fix: 'Declare the 200 (or 201/202/204) response the backend returns on success.',
  source: SOURCES.validator,
  check(c) {
    return c.operations()
      .filter((op) => c.successResponses(op).length === 0)
      .map((op) => ({ pointer: `${op.pointer}/responses`, ...opId(op), message: `The operation '${op.operationId ?? op.path}' should have at least one successful response definition.` }));
  },
};
