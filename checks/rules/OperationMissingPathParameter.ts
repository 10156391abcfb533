import { type Rule, SOURCES } from '../rule';
import { opId } from '../walk';

export function templateVariables(path: string): string[] {
  return [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
}

export const rule: Rule = {
  id: 'OperationMissingPathParameter',
  severity: 'error',
  description: 'Every `{variable}` of a path template is defined as a path parameter of each operation on it.',
  fix: 'Add `{ "name": "<variable>", "in": "path", "required": true, ... }` to the operation\'s parameters.',
  severityReason: 'Runtime: the platform cannot fill a path template variable no parameter declares, so every call fails (swagger-parser refuses it too).',
  source: SOURCES.validator,
  check(c) {
    const hits = [];
    for (const op of c.operations()) {
      const defined = new Set(c.parameters(op).filter((p) => p.node.in === 'path').map((p) => p.node.name));
      for (const name of templateVariables(op.path)) {
        if (!defined.has(name)) hits.push({ pointer: op.pointer, ...opId(op), message: `The operation '${op.operationId ?? op.path}' does not define the '${name}' parameter which is required by the path.` });
      }
    }
    return hits;
  },
};
