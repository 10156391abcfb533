import { PROPERTIES_FILE, isObject } from '../connector';
import { pointer } from '../../lib/finding';
import { type Rule, type RuleHit, SOURCES } from '../rule';

/** Connection parameters that carry an API key, by name or by the definition's apiKey scheme. */
function isApiKeyParameter(name: string): boolean {
  return /api[_-]?key/i.test(name);
}

export const rule: Rule = {
  id: 'api-key-securestring',
  severity: 'error',
  description: 'The API key connection parameter is of type `securestring`, so the platform stores it encrypted and never shows it again.',
  fix: 'Set `"type": "securestring"` on the connection parameter (e.g. `api_key`).',
  source: SOURCES.submission,
  check(c) {
    if (!c.properties) return [];
    const params = c.apiProperties?.connectionParameters;
    const usesApiKey = isObject(c.doc.securityDefinitions) && Object.values(c.doc.securityDefinitions).some((d) => isObject(d) && d.type === 'apiKey');
    const hits: RuleHit[] = [];
    const entries = isObject(params) ? Object.entries(params).filter(([name]) => isApiKeyParameter(name)) : [];
    if (usesApiKey && entries.length === 0) {
      hits.push({ file: PROPERTIES_FILE, pointer: '/properties', message: 'The definition uses an apiKey security scheme but apiProperties.json has no API key connection parameter.' });
    }
    for (const [name, value] of entries) {
      if (!isObject(value) || value.type !== 'securestring') {
        hits.push({ file: PROPERTIES_FILE, pointer: pointer('properties', 'connectionParameters', name, 'type'), message: `The API key connection parameter '${name}' must be of type 'securestring'.` });
      }
    }
    return hits;
  },
};
