import { str } from '../connector';
import { type Rule, SOURCES } from '../rule';
import { opId } from '../walk';

const MAX = 80;

export const rule: Rule = {
  id: 'OperationSummaryTooLong',
  severity: 'warn',
  description: `Every operation \`summary\` is at most ${MAX} characters long.`,
  fix: 'Shorten the summary; put the detail in the description.',
  source: SOURCES.submission,
  check(c) {
    return c.operations()
      .filter((op) => (str(op.operation.summary)?.length ?? 0) > MAX)
      .map((op) => ({ pointer: `${op.pointer}/summary`, ...opId(op), message: `The operation 'summary' should be at most ${MAX} characters (it has ${str(op.operation.summary)!.length}).` }));
  },
};
