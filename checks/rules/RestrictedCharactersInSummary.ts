import { str } from '../connector';
import { type Rule, SOURCES } from '../rule';
import { opId } from '../walk';

const RESTRICTED = ['/', '\\', '<', '>', '*', '%', '&', '?'];

export const rule: Rule = {
  id: 'RestrictedCharactersInSummary',
  severity: 'warn',
  description: `No operation \`summary\` contains any of ${RESTRICTED.map((ch) => `\`${ch}\``).join(' ')}.`,
  fix: 'Rephrase the summary without those characters (write "and" instead of "&", "or" instead of "/").',
  source: SOURCES.validator,
  check(c) {
    const hits = [];
    for (const op of c.operations()) {
      const summary = str(op.operation.summary);
      const bad = summary === undefined ? [] : RESTRICTED.filter((ch) => summary.includes(ch));
      if (bad.length > 0) {
        hits.push({ pointer: `${op.pointer}/summary`, ...opId(op), message: `Summary string contains restricted characters [${bad.join(' ')}].` });
      }
    }
    return hits;
  },
};
