import { type Rule, SOURCES } from '../rule';
import { opId } from '../walk';

export const MAX_SCHEMAS = 512;

export const rule: Rule = {
  id: 'BodySchemaCountExceedsMaxAllowed',
  severity: 'error',
  description: `No request body or response schema has more than ${MAX_SCHEMAS} schemas (properties and items, counted through references).`,
  fix: 'Remove unneeded properties or split the operation.',
  severityReason: 'Import: the platform refuses a body with more than 512 schemas.',
  source: SOURCES.validator,
  check(c) {
    const hits = [];
    for (const op of c.operations()) {
      for (const schema of [...c.bodySchemas(op), ...c.outputSchemas(op)]) {
        // Counted through references, so a definition reused twice at each level doubles per level (2^40 for 40
        // levels): the count stops past the limit, which is all the rule needs to know.
        let count = 0;
        c.walkSchema(schema.node, schema.pointer, () => {
          count += 1;
          return count <= MAX_SCHEMAS;
        });
        if (count > MAX_SCHEMAS) {
          hits.push({ pointer: schema.pointer, ...opId(op), message: `The total number of schemas in the object (at least ${count}) exceeds the max schema count allowed value of '${MAX_SCHEMAS}'.` });
        }
      }
    }
    return hits;
  },
};
