import { type Rule, SOURCES } from '../rule';
import { MAX_CATEGORIES, categories } from '../categories';

export const rule: Rule = {
  id: 'TooManyConnectorCategories',
  severity: 'warn',
  description: `The \`Categories\` metadata names at most ${MAX_CATEGORIES} categories.`,
  fix: `Keep the ${MAX_CATEGORIES} categories that describe the connector best.`,
  source: SOURCES.submission,
  check(c) {
    const found = categories(c);
    if (!found || found.values.length <= MAX_CATEGORIES) return [];
    return [{ pointer: found.pointer, message: `The maximum allowed number of categories for the connector is '${MAX_CATEGORIES}' (found ${found.values.length}).` }];
  },
};
