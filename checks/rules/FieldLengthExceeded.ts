import { isObject, str } from '../connector';
import { type Rule, SOURCES } from '../rule';

const MAX_TITLE = 30;

export const rule: Rule = {
  id: 'FieldLengthExceeded',
  severity: 'warn',
  description: `The connector title (\`info.title\`) is at most ${MAX_TITLE} characters long.`,
  fix: 'Shorten the title to the product or organisation name.',
  source: SOURCES.submission,
  check(c) {
    const title = isObject(c.doc.info) ? str(c.doc.info.title) : undefined;
    if (title === undefined || title.length <= MAX_TITLE) return [];
    return [{ pointer: '/info/title', message: `The 'title' value goes over the character limit '${MAX_TITLE}' (${title.length} characters).` }];
  },
};
