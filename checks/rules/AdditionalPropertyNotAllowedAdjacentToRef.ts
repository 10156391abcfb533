import { type Rule, SOURCES } from '../rule';
import { refSites } from '../refs';

export const rule: Rule = {
  id: 'AdditionalPropertyNotAllowedAdjacentToRef',
  severity: 'warn',
  description: 'An object with `$ref` has no other keys (Swagger 2.0 ignores them, so display names or descriptions there are lost).',
  fix: 'Move the keys into the referenced definition, or inline the schema where it needs its own text.',
  source: SOURCES.validator,
  check(c) {
    return refSites(c)
      .filter((site) => site.siblings.length > 0)
      .map((site) => ({ pointer: site.pointer, message: `When '$ref' is defined, no other properties may be specified (found ${site.siblings.map((k) => `'${k}'`).join(', ')}).` }));
  },
};
