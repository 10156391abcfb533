import { type Rule, SOURCES } from '../rule';
import { refIsValid, refSites } from '../refs';

export const rule: Rule = {
  id: 'ResponseReferenceNotValid',
  severity: 'error',
  description: 'Every response reference starts with `#/responses/` and is a valid JSON pointer.',
  fix: 'Point `$ref` at an entry of the top-level `responses` object, e.g. `#/responses/Name`.',
  severityReason: 'Import: a `$ref` of the wrong family or form cannot be resolved.',
  source: SOURCES.validator,
  check(c) {
    return refSites(c)
      .filter((site) => site.kind === 'response' && !refIsValid(site))
      .map((site) => ({ pointer: `${site.pointer}/$ref`, message: `The response reference '${String(site.ref)}' is not valid; it must start with '#/responses/'.` }));
  },
};
