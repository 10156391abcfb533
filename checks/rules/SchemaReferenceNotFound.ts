import { type Rule, SOURCES } from '../rule';
import { refIsValid, refSites } from '../refs';

export const rule: Rule = {
  id: 'SchemaReferenceNotFound',
  severity: 'error',
  description: 'Every schema reference resolves to an entry of the document.',
  fix: 'Add the missing entry under `definitions` or correct the name in `$ref`.',
  severityReason: 'Import: a `$ref` that resolves to nothing cannot be imported.',
  source: SOURCES.validator,
  check(c) {
    return refSites(c)
      .filter((site) => site.kind === 'schema' && refIsValid(site) && c.resolveRef(site.ref as string) === undefined)
      .map((site) => ({ pointer: `${site.pointer}/$ref`, message: `The schema reference '${String(site.ref)}' could not be found in the document.` }));
  },
};
