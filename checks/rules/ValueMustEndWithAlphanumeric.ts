import { isObject, str } from '../connector';
import { type Rule, SOURCES } from '../rule';

export const rule: Rule = {
  id: 'ValueMustEndWithAlphanumeric',
  severity: 'warn',
  description: 'The connector title ends with a letter or digit (no punctuation, space or line break).',
  fix: 'Remove the trailing character from `info.title`.',
  source: SOURCES.submission,
  check(c) {
    const title = isObject(c.doc.info) ? str(c.doc.info.title) : undefined;
    if (title === undefined || title === '' || /[A-Za-z0-9]$/.test(title)) return [];
    return [{ pointer: '/info/title', message: "The 'title' value must end with alphanumeric character." }];
  },
};
