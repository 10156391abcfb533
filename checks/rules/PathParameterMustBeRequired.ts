import { str } from '../connector';
import { type Rule, SOURCES } from '../rule';
import { eachParameter, opId } from '../walk';

export const rule: Rule = {
  id: 'PathParameterMustBeRequired',
  severity: 'error',
  description: 'Every path parameter has `required: true`.',
  fix: 'Set `"required": true` on the parameter.',
  severityReason: 'Import: Swagger 2.0 requires `required: true` on path parameters; the definition is invalid without it.',
  source: SOURCES.validator,
  check(c) {
    return eachParameter(c)
      .filter((p) => p.node.in === 'path' && p.node.required !== true)
      .map((p) => ({ pointer: p.pointer, ...opId(p.op), message: `The path parameter '${str(p.node.name)}' must be marked as required.` }));
  },
};
