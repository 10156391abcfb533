import { SCRIPT_FILE } from '../connector';
import { ALLOWED_NAMESPACES, scanCSharp, usingDirectives } from '../csharp';
import { type Rule, SOURCES } from '../rule';

export const rule: Rule = {
  id: 'script-namespaces',
  severity: 'error',
  description: 'script.csx imports only the namespaces the platform allows.',
  fix: `Remove the directive and use an allowed namespace: ${ALLOWED_NAMESPACES.join(', ')}.`,
  severityReason: 'Runtime: custom code using a namespace outside the platform\'s list does not compile when uploaded, so every operation it serves fails.',
  source: SOURCES.code,
  check(c) {
    if (c.script === undefined) return [];
    return usingDirectives(scanCSharp(c.script))
      .filter((u) => !ALLOWED_NAMESPACES.includes(u.namespace))
      .map((u) => ({ file: SCRIPT_FILE, pointer: '', message: `line ${u.line}: the namespace '${u.namespace}' is not allowed in custom code.` }));
  },
};
