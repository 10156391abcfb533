import { type Rule, SOURCES } from '../rule';
import { refIsValid, refSites } from '../refs';

export const rule: Rule = {
  id: 'ParameterReferenceNotFound',
  severity: 'error',
  description: 'Every parameter reference resolves to an entry of the document.',
  fix: 'Add the missing entry under `parameters` or correct the name in `$ref`.',
  severityReason: 'Import: a `$ref` that resolves to nothing cannot be imported.',
  source: SOURCES.validator,
  check(c) {
    return refSites(c)
      .filter((site) => site.kind === 'parameter' && refIsValid(site) && c.resolveRef(site.ref as string) === undefined)
      .map((site) => ({ pointer: `${site.pointer}/$ref`, message: `The parameter reference '${String(site.ref)}' could not be found in the document.` }));
  },
};
