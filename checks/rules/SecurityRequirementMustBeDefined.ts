import { isObject } from '../connector';
import { type Rule, type RuleHit, SOURCES } from '../rule';
import { opId } from '../walk';

export const rule: Rule = {
  id: 'SecurityRequirementMustBeDefined',
  severity: 'error',
  description: 'Every scheme a `security` requirement names (at the top level or on an operation) is declared in `securityDefinitions`.',
  fix: 'Declare the scheme in `securityDefinitions` or remove it from `security`.',
  severityReason: 'Error only when no alternative of the top-level `security` is fully declared: the connection has no scheme the platform can build (Swagger 2.0 requires each name to be declared). When another alternative is declared (Scrive eSign), or on one operation\'s `security` (Bloomflow), certified connectors import and run with it: a warning.',
  source: SOURCES.validator,
  check(c) {
    const defined = isObject(c.doc.securityDefinitions) ? new Set(Object.keys(c.doc.securityDefinitions)) : new Set<string>();
    const hits: RuleHit[] = [];
    const checkList = (list: unknown, at: string, extra: { operationId?: string }, topLevel: boolean): void => {
      if (!Array.isArray(list)) return;
      const requirements = list.filter(isObject);
      // The connection can still be built from an alternative whose schemes are all declared.
      const usable = requirements.some((r) => Object.keys(r).every((name) => defined.has(name)));
      const severity = topLevel && !usable ? {} : { severity: 'warn' as const };
      list.forEach((requirement, i) => {
        if (!isObject(requirement)) return;
        for (const name of Object.keys(requirement)) {
          if (!defined.has(name)) hits.push({ pointer: `${at}/${i}`, ...extra, ...severity, message: `The security requirement '${name}' is not defined in the 'securityDefinitions' object.` });
        }
      });
    };
    checkList(c.doc.security, '/security', {}, true);
    for (const op of c.operations()) checkList(op.operation.security, `${op.pointer}/security`, opId(op), false);
    return hits;
  },
};
