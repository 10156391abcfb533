import { str } from '../connector';
import { type Rule, SOURCES } from '../rule';
import { eachParameter, opId } from '../walk';

export const rule: Rule = {
  id: 'PathParameterMissingEncoding',
  severity: 'warn',
  description: 'Every path parameter declares `x-ms-url-encoding` (`single` or `double`) so its value is URL-encoded.',
  fix: 'Add `"x-ms-url-encoding": "single"` to the parameter.',
  source: SOURCES.validator,
  check(c) {
    return eachParameter(c)
      .filter((p) => p.node.in === 'path' && p.node['x-ms-url-encoding'] !== 'single' && p.node['x-ms-url-encoding'] !== 'double')
      .map((p) => ({ pointer: p.pointer, ...opId(p.op), message: `Encoding for path parameter '${str(p.node.name)}' is missing; use "x-ms-url-encoding": "single".` }));
  },
};
