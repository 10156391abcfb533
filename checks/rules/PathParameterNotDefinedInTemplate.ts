import { str } from '../connector';
import { type Rule, SOURCES } from '../rule';
import { eachParameter, opId } from '../walk';
import { templateVariables } from './OperationMissingPathParameter';

export const rule: Rule = {
  id: 'PathParameterNotDefinedInTemplate',
  severity: 'error',
  description: 'Every path parameter appears as `{name}` in its operation\'s path template.',
  fix: 'Rename the parameter to match the template variable, or move it to the query.',
  severityReason: 'Runtime: a path parameter with no place in the template is never sent (swagger-parser refuses it too).',
  source: SOURCES.validator,
  check(c) {
    return eachParameter(c)
      .filter((p) => p.node.in === 'path' && !templateVariables(p.op.path).includes(str(p.node.name) ?? ''))
      .map((p) => ({ pointer: p.pointer, ...opId(p.op), message: `The 'path' parameter '${str(p.node.name)}' is not defined in the URI path template '${p.op.path}'.` }));
  },
};
