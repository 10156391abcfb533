import { type Rule, SOURCES } from '../rule';

export const MAX_DEFINITION_BYTES = 1024 * 1024;

export const rule: Rule = {
  id: 'definition-size-limit',
  severity: 'error',
  description: 'apiDefinition.swagger.json is smaller than 1 MB.',
  fix: 'Share schemas through `definitions`, drop unused operations, or split the connector.',
  severityReason: 'Import: the platform refuses a definition of 1 MB or more.',
  source: SOURCES.submission,
  check(c) {
    return c.definitionBytes >= MAX_DEFINITION_BYTES
      ? [{ pointer: '', message: `The definition is ${c.definitionBytes} bytes; it must be under ${MAX_DEFINITION_BYTES} bytes (1 MB).` }]
      : [];
  },
};
