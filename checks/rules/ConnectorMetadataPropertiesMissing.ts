import { isObject, str } from '../connector';
import { type Rule, type RuleHit, SOURCES } from '../rule';

const REQUIRED = ['Website', 'Privacy policy', 'Categories'];

export const rule: Rule = {
  id: 'ConnectorMetadataPropertiesMissing',
  severity: 'warn',
  description: '`x-ms-connector-metadata` has non-empty `Website`, `Privacy policy` and `Categories` entries.',
  fix: 'Add `{ "propertyName": "<name>", "propertyValue": "<value>" }` to the top-level `x-ms-connector-metadata` array.',
  source: SOURCES.submission,
  check(c) {
    const metadata = c.doc['x-ms-connector-metadata'];
    const entries = Array.isArray(metadata) ? metadata.filter(isObject) : [];
    const hits: RuleHit[] = [];
    for (const name of REQUIRED) {
      const entry = entries.find((e) => e.propertyName === name);
      if (!entry || !str(entry.propertyValue)?.trim()) {
        hits.push({
          pointer: Array.isArray(metadata) ? '/x-ms-connector-metadata' : '',
          message: `The connector metadata property '${name}' is required.`,
        });
      }
    }
    return hits;
  },
};
