import { type Rule, SOURCES } from '../rule';
import { ALLOWED_CATEGORIES, categories } from '../categories';

export const rule: Rule = {
  id: 'InvalidConnectorCategory',
  severity: 'warn',
  description: 'Every category in the `Categories` metadata comes from the allowed list.',
  fix: `Use categories from: ${ALLOWED_CATEGORIES.join(', ')} (separated by ';').`,
  source: SOURCES.submission,
  check(c) {
    const found = categories(c);
    if (!found) return [];
    return found.values
      .filter((v) => !ALLOWED_CATEGORIES.includes(v))
      .map((v) => ({ pointer: found.pointer, message: `The connector category '${v}' is invalid. Available categories are: [${ALLOWED_CATEGORIES.join(', ')}].` }));
  },
};
