import { str } from '../connector';
import { type Rule, type RuleHit, SOURCES } from '../rule';
import { eachInputProperty, eachParameter, opId } from '../walk';

/** A summary is a phrase: it ends with a letter, a digit or a closing parenthesis. */
function endsBadly(text: string): boolean {
  return text !== '' && !/[\p{L}\p{N})]$/u.test(text);
}

export const rule: Rule = {
  id: 'summary-no-trailing-punctuation',
  severity: 'warn',
  description: 'Operation summaries and parameter display names (`x-ms-summary`, or `title` of body properties) are phrases without trailing punctuation or spaces.',
  fix: 'Remove the trailing period, colon or space.',
  source: SOURCES.strings,
  check(c) {
    const hits: RuleHit[] = [];
    for (const op of c.operations()) {
      const summary = str(op.operation.summary);
      if (summary !== undefined && endsBadly(summary)) hits.push({ pointer: `${op.pointer}/summary`, ...opId(op), message: `The summary '${summary}' ends with punctuation or a space.` });
    }
    for (const p of eachParameter(c)) {
      const summary = str(p.node['x-ms-summary']);
      if (summary !== undefined && endsBadly(summary)) {
        hits.push({ pointer: `${p.pointer}/x-ms-summary`, ...opId(p.op), message: `The parameter display name '${summary}' ends with punctuation or a space.` });
      }
    }
    for (const v of eachInputProperty(c)) {
      for (const key of ['x-ms-summary', 'title']) {
        const summary = str(v.node[key]);
        if (summary !== undefined && endsBadly(summary)) {
          hits.push({ pointer: `${v.pointer}/${key}`, ...opId(v.op), message: `The property display name '${summary}' ends with punctuation or a space.` });
        }
      }
    }
    return hits;
  },
};
