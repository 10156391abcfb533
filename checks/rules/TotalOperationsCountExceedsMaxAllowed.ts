import { type Rule, SOURCES } from '../rule';

export const MAX_OPERATIONS = 256;

export const rule: Rule = {
  id: 'TotalOperationsCountExceedsMaxAllowed',
  severity: 'error',
  description: `The definition has at most ${MAX_OPERATIONS} operations.`,
  fix: 'Split the connector into several connectors or remove unused operations.',
  severityReason: 'Import: the platform refuses a connector with more than 256 operations.',
  source: SOURCES.validator,
  check(c) {
    const count = c.operations().length;
    return count > MAX_OPERATIONS
      ? [{ pointer: '/paths', message: `The total number of operations (${count}) exceeds the maximum allowed value of '${MAX_OPERATIONS}'.` }]
      : [];
  },
};
