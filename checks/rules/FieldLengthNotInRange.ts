import { isObject, str } from '../connector';
import { type Rule, SOURCES } from '../rule';

const MIN = 30;
const MAX = 500;

export const rule: Rule = {
  id: 'FieldLengthNotInRange',
  severity: 'warn',
  description: `The connector description (\`info.description\`) is ${MIN} to ${MAX} characters long.`,
  fix: 'Describe the main purpose and value of the connector in one or two sentences within the limits.',
  source: SOURCES.submission,
  check(c) {
    const description = isObject(c.doc.info) ? str(c.doc.info.description) : undefined;
    if (description === undefined || (description.length >= MIN && description.length <= MAX)) return [];
    return [{
      pointer: '/info/description',
      message: `The 'description' value must be between '${MIN}' and '${MAX}' characters (it has ${description.length}).`,
    }];
  },
};
