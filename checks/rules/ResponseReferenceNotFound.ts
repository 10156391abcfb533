import { type Rule, SOURCES } from '../rule';
import { refIsValid, refSites } from '../refs';

export const rule: Rule = {
  id: 'ResponseReferenceNotFound',
  severity: 'error',
  description: 'Every response reference resolves to an entry of the document.',
  fix: 'Add the missing entry under `responses` or correct the name in `$ref`.',
  severityReason: 'Import: a `$ref` that resolves to nothing cannot be imported.',
  source: SOURCES.validator,
  check(c) {
    return refSites(c)
      .filter((site) => site.kind === 'response' && refIsValid(site) && c.resolveRef(site.ref as string) === undefined)
      .map((site) => ({ pointer: `${site.pointer}/$ref`, message: `The response reference '${String(site.ref)}' could not be found in the document.` }));
  },
};
