import { type Rule, SOURCES } from '../rule';
import { refIsValid, refSites } from '../refs';

export const rule: Rule = {
  id: 'ParameterReferenceNotValid',
  severity: 'error',
  description: 'Every parameter reference starts with `#/parameters/` and is a valid JSON pointer.',
  fix: 'Point `$ref` at an entry of the top-level `parameters` object, e.g. `#/parameters/Name`.',
  severityReason: 'Import: a `$ref` of the wrong family or form cannot be resolved.',
  source: SOURCES.validator,
  check(c) {
    return refSites(c)
      .filter((site) => site.kind === 'parameter' && !refIsValid(site))
      .map((site) => ({ pointer: `${site.pointer}/$ref`, message: `The parameter reference '${String(site.ref)}' is not valid; it must start with '#/parameters/'.` }));
  },
};
