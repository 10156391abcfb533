import { str } from '../connector';
import { type Rule, SOURCES } from '../rule';
import { opId, repeatsName } from '../walk';

export const rule: Rule = {
  id: 'description-differs-from-summary',
  severity: 'warn',
  description: 'An operation description says more than its summary (they differ beyond case and punctuation).',
  fix: 'Write a description that adds what the summary does not say: inputs, outputs, limits.',
  source: SOURCES.strings,
  check(c) {
    const hits = [];
    for (const op of c.operations()) {
      const description = str(op.operation.description);
      const summary = str(op.operation.summary);
      if (description !== undefined && summary !== undefined && repeatsName(description, summary)) {
        hits.push({ pointer: `${op.pointer}/description`, ...opId(op), message: `The description repeats the summary '${summary}'.` });
      }
    }
    return hits;
  },
};
