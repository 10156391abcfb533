import { PROPERTIES_FILE, isObject } from '../connector';
import { pointer } from '../../lib/finding';
import { type Rule, type RuleHit, SOURCES } from '../rule';

/** A connection parameter whose name says it holds a secret (`api_key`, `subscriptionKey`, `clientSecret`, `password`). */
export function isSecretName(name: string): boolean {
  return /api[_-]?key|subscription[_-]?key|secret|password/i.test(name);
}

export const rule: Rule = {
  id: 'api-key-securestring',
  severity: 'warn',
  description: 'A connection parameter that holds a key or secret (by its name: `api_key`, `subscriptionKey`, `password`, ...) is of type `securestring`, so the platform stores it encrypted and never shows it again; an apiKey security scheme has a `securestring` connection parameter to fill it.',
  fix: 'Set `"type": "securestring"` on the connection parameter (e.g. `api_key`).',
  source: SOURCES.submission,
  check(c) {
    if (!c.properties) return [];
    const params = c.apiProperties?.connectionParameters;
    const entries = isObject(params) ? Object.entries(params) : [];
    const usesApiKey = isObject(c.doc.securityDefinitions) && Object.values(c.doc.securityDefinitions).some((d) => isObject(d) && d.type === 'apiKey');
    const hits: RuleHit[] = [];
    // Any securestring parameter can carry the key (TranslatorV3's `subscriptionKey`, sent by a setheader policy).
    if (usesApiKey && !entries.some(([, value]) => isObject(value) && value.type === 'securestring')) {
      hits.push({ file: PROPERTIES_FILE, pointer: '/properties', message: 'The definition uses an apiKey security scheme but apiProperties.json has no securestring connection parameter to hold the key.' });
    }
    for (const [name, value] of entries) {
      if (!isSecretName(name) || !isObject(value) || value.type === 'securestring' || value.type === 'oauthSetting') continue;
      hits.push({ file: PROPERTIES_FILE, pointer: pointer('properties', 'connectionParameters', name, 'type'), message: `The connection parameter '${name}' holds a secret and must be of type 'securestring'.` });
    }
    return hits;
  },
};
