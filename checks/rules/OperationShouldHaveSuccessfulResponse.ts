import { isObject } from '../connector';
import { type Rule, type RuleHit, SOURCES } from '../rule';
import { opId } from '../walk';

export const rule: Rule = {
  id: 'OperationShouldHaveSuccessfulResponse',
  severity: 'error',
  description: 'Every operation declares at least one successful (2xx) response.',
  fix: 'Declare the 200 (or 201/202/204) response the backend returns on success.',
  severityReason: 'Error only for an operation with no response at all (`responses: {}`): the Swagger 2.0 schema refuses it and the platform has nothing to map. An operation with only a `default` or error response still runs (a warning).',
  source: SOURCES.validator,
  check(c) {
    const hits: RuleHit[] = [];
    for (const op of c.operations()) {
      if (c.successResponses(op).length > 0) continue;
      const responses = op.operation.responses;
      const empty = !isObject(responses) || Object.keys(responses).length === 0;
      hits.push({
        pointer: `${op.pointer}/responses`,
        ...opId(op),
        ...(empty ? {} : { severity: 'warn' as const }),
        message: empty
          ? `The operation '${op.operationId ?? op.path}' declares no response at all; declare the success response it returns.`
          : `The operation '${op.operationId ?? op.path}' should have at least one successful response definition.`,
      });
    }
    return hits;
  },
};
