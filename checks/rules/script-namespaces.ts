import { SCRIPT_FILE } from '../connector';
import { ALLOWED_NAMESPACES, scanCSharp, usingDirectives } from '../csharp';
import { type Rule, SOURCES } from '../rule';

export const rule: Rule = {
  id: 'script-namespaces',
  severity: 'error',
  description: 'script.csx imports only the namespaces the platform allows.',
  fix: `Remove the directive and use an allowed namespace: ${ALLOWED_NAMESPACES.join(', ')}.`,
  severityReason:
    'Pipeline: Microsoft rejects custom code using a namespace outside its list during verification and deployment (PowerPlatformConnectors PR #3478, where earlier submissions were rejected for it). ' +
    '`Microsoft.PowerPlatform.Connectors.CustomCode.CSharp`, the namespace of ScriptBase itself, is allowed: Microsoft\'s own certified scripts import it (Azure Communication Services Email, SMS, Identity).',
  source: SOURCES.namespacesPr,
  check(c) {
    if (c.script === undefined) return [];
    return usingDirectives(scanCSharp(c.script))
      .filter((u) => !ALLOWED_NAMESPACES.includes(u.namespace))
      .map((u) => ({ file: SCRIPT_FILE, pointer: '', message: `line ${u.line}: the namespace '${u.namespace}' is not allowed in custom code.` }));
  },
};
