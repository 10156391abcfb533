import { PROPERTIES_FILE } from '../connector';
import { pointer } from '../../lib/finding';
import { type Rule, type RuleHit, SOURCES } from '../rule';

export const rule: Rule = {
  id: 'script-operations-exist',
  severity: 'warn',
  description: '`scriptOperations` in apiProperties.json lists only operationIds that exist in the definition.',
  fix: 'Remove the stale name or correct its spelling; a name that matches nothing silently skips the custom code.',
  source: SOURCES.code,
  check(c) {
    const list = c.apiProperties?.scriptOperations;
    if (list === undefined) return [];
    if (!Array.isArray(list)) return [{ file: PROPERTIES_FILE, pointer: '/properties/scriptOperations', message: "'scriptOperations' must be an array of operationIds." }];
    const ids = c.operationIds();
    const hits: RuleHit[] = [];
    list.forEach((name, index) => {
      if (typeof name !== 'string' || !ids.has(name)) {
        hits.push({ file: PROPERTIES_FILE, pointer: pointer('properties', 'scriptOperations', index), message: `'scriptOperations' names '${String(name)}', which is not an operationId of the definition.` });
      }
    });
    return hits;
  },
};
