import { isObject, policyInstances } from '../connector';
import type { Connector } from '../connector';
import { type Rule, type RuleHit, SOURCES } from '../rule';
import { opId } from '../walk';

/**
 * Whether apiProperties.json declares the connection itself: connection parameters (or parameter
 * sets), or a policy that sends a connection parameter (`@connectionParameters('…')`). The platform
 * then builds the connection from apiProperties.json, not from the definition's security schemes.
 */
export function connectionDeclared(c: Connector): boolean {
  const props = c.apiProperties;
  if (!props) return false;
  const nonEmpty = (v: unknown): boolean => isObject(v) && Object.keys(v).length > 0;
  if (nonEmpty(props.connectionParameters) || nonEmpty(props.connectionParameterSets)) return true;
  return policyInstances(c.properties).some((p) => /@connectionParameters\(/i.test(JSON.stringify(p) ?? ''));
}

export const rule: Rule = {
  id: 'SecurityRequirementMustBeDefined',
  severity: 'error',
  description: 'Every scheme a `security` requirement names (at the top level or on an operation) is declared in `securityDefinitions`.',
  fix: 'Declare the scheme in `securityDefinitions` or remove it from `security`.',
  severityReason:
    'Error only when no alternative of the top-level `security` is fully declared and nothing declares a connection at all: no scheme in `securityDefinitions` and no ' +
    'connection in apiProperties.json. The definition then requires credentials that no connection can carry, so every call goes out without them (Swagger 2.0 requires ' +
    'each name to be declared). When the connection is declared in apiProperties.json (connection parameters, or a policy that sends one as a header, as Annature\'s ' +
    '`setheader` policies do), or `securityDefinitions` declares another scheme the platform builds it from (certified Truth Enforcer names `Activation Token` and declares ' +
    '`api_key`, with no apiProperties.json), nothing breaks at import or at runtime: 22 published connectors work this way. When another alternative is declared ' +
    '(Scrive eSign), or on one operation\'s `security` (Bloomflow), certified connectors import and run too. All those are warnings.',
  source: SOURCES.validator,
  check(c) {
    const defined = isObject(c.doc.securityDefinitions) ? new Set(Object.keys(c.doc.securityDefinitions)) : new Set<string>();
    // The connection is built from apiProperties.json, or else from the schemes securityDefinitions declares.
    const declared = connectionDeclared(c) || defined.size > 0;
    const hits: RuleHit[] = [];
    const checkList = (list: unknown, at: string, extra: { operationId?: string }, topLevel: boolean): void => {
      if (!Array.isArray(list)) return;
      const requirements = list.filter(isObject);
      // The connection can still be built from an alternative whose schemes are all declared.
      const usable = requirements.some((r) => Object.keys(r).every((name) => defined.has(name)));
      const severity = topLevel && !usable && !declared ? {} : { severity: 'warn' as const };
      const why = !(declared && topLevel && !usable) ? ''
        : connectionDeclared(c) ? ' The connection is declared in apiProperties.json, which the platform builds it from.'
          : ` The platform builds the connection from the declared scheme${defined.size === 1 ? '' : 's'} (${[...defined].map((d) => `'${d}'`).join(', ')}).`;
      list.forEach((requirement, i) => {
        if (!isObject(requirement)) return;
        for (const name of Object.keys(requirement)) {
          if (!defined.has(name)) hits.push({ pointer: `${at}/${i}`, ...extra, ...severity, message: `The security requirement '${name}' is not defined in the 'securityDefinitions' object.${why}` });
        }
      });
    };
    checkList(c.doc.security, '/security', {}, true);
    for (const op of c.operations()) checkList(op.operation.security, `${op.pointer}/security`, opId(op), false);
    return hits;
  },
};
