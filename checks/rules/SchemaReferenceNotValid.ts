import { type Rule, SOURCES } from '../rule';
import { refIsValid, refSites } from '../refs';

export const rule: Rule = {
  id: 'SchemaReferenceNotValid',
  severity: 'error',
  description: 'Every schema reference starts with `#/definitions/` and is a valid JSON pointer.',
  fix: 'Point `$ref` at an entry of the top-level `definitions` object, e.g. `#/definitions/Name`.',
  severityReason: 'Import: a `$ref` of the wrong family or form cannot be resolved.',
  source: SOURCES.validator,
  check(c) {
    return refSites(c)
      .filter((site) => site.kind === 'schema' && !refIsValid(site))
      .map((site) => ({ pointer: `${site.pointer}/$ref`, message: `The schema reference '${String(site.ref)}' is not valid; it must start with '#/definitions/'.` }));
  },
};
