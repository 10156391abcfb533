import { PROPERTIES_FILE, str } from '../connector';
import { type Rule, SOURCES } from '../rule';

export const rule: Rule = {
  id: 'publisher-required',
  severity: 'warn',
  description: 'apiProperties.json names the `publisher` (the company or person shown as the connector\'s publisher).',
  fix: 'Set `properties.publisher` to the publishing company\'s name.',
  source: SOURCES.submission,
  check(c) {
    if (!c.properties) return [];
    if (str(c.apiProperties?.publisher)?.trim()) return [];
    return [{ file: PROPERTIES_FILE, pointer: '/properties', message: "apiProperties.json has no 'publisher'." }];
  },
};
