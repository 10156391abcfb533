import { PROPERTIES_FILE, isObject } from '../connector';
import { pointer } from '../../lib/finding';
import { type Rule, type RuleHit, SOURCES } from '../rule';

/** Every string anywhere in a JSON value. */
function strings(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) value.forEach((v) => strings(v, out));
  else if (isObject(value)) Object.values(value).forEach((v) => strings(v, out));
  return out;
}

export const rule: Rule = {
  id: 'connection-parameter-unused',
  severity: 'warn',
  description: 'Every `securestring` connection parameter reaches the API: it fills an apiKey (`api_key`) or basic (`username`/`password`) scheme, a policy reads it (`@connectionParameters(\'<name>\')`), or custom code may use it.',
  fix: 'Send the value (an apiKey security scheme, or a `setheader` policy with `@connectionParameters(\'<name>\')`), or remove the parameter so makers are not asked for a secret nothing uses.',
  source: SOURCES.policies,
  check(c) {
    if (!c.properties || c.script !== undefined) return [];
    const params = c.apiProperties?.connectionParameters;
    if (!isObject(params)) return [];
    const schemes = isObject(c.doc.securityDefinitions) ? Object.values(c.doc.securityDefinitions).filter(isObject).map((d) => d.type) : [];
    const policyText = strings(c.apiProperties?.policyTemplateInstances).join('\n').toLowerCase();
    const hits: RuleHit[] = [];
    for (const [name, value] of Object.entries(params)) {
      if (!isObject(value) || value.type !== 'securestring') continue;
      const byScheme = (schemes.includes('apiKey') && name === 'api_key') || (schemes.includes('basic') && (name === 'username' || name === 'password'));
      // OAuth settings (`token:clientSecret`) belong to the identity provider.
      const oauth = name.startsWith('token:');
      // Policy expressions name parameters case-insensitively (TranslatorV3 writes 'TranslatorResourceName').
      const byPolicy = policyText.includes(`connectionparameters('${name.toLowerCase()}')`);
      if (byScheme || oauth || byPolicy) continue;
      hits.push({ file: PROPERTIES_FILE, pointer: pointer('properties', 'connectionParameters', name), message: `The securestring connection parameter '${name}' is never sent: no security scheme fills it, no policy reads it and there is no custom code.` });
    }
    return hits;
  },
};
