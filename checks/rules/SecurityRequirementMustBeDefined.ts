import { isObject } from '../connector';
import { type Rule, type RuleHit, SOURCES } from '../rule';
import { opId } from '../walk';

export const rule: Rule = {
  id: 'SecurityRequirementMustBeDefined',
  severity: 'error',
  description: 'Every scheme a `security` requirement names (at the top level or on an operation) is declared in `securityDefinitions`.',
  fix: 'Declare the scheme in `securityDefinitions` or remove it from `security`.',
  severityReason: 'Import: Swagger 2.0 requires each security requirement to name a declared scheme; the platform cannot build the connection for a scheme it does not know.',
  source: SOURCES.validator,
  check(c) {
    const defined = isObject(c.doc.securityDefinitions) ? new Set(Object.keys(c.doc.securityDefinitions)) : new Set<string>();
    const hits: RuleHit[] = [];
    const checkList = (list: unknown, at: string, extra: { operationId?: string }): void => {
      if (!Array.isArray(list)) return;
      list.forEach((requirement, i) => {
        if (!isObject(requirement)) return;
        for (const name of Object.keys(requirement)) {
          if (!defined.has(name)) hits.push({ pointer: `${at}/${i}`, ...extra, message: `The security requirement '${name}' is not defined in the 'securityDefinitions' object.` });
        }
      });
    };
    checkList(c.doc.security, '/security', {});
    for (const op of c.operations()) checkList(op.operation.security, `${op.pointer}/security`, opId(op));
    return hits;
  },
};
