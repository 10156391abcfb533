import { type Rule, SOURCES } from '../rule';
import { eachSchemaNode } from '../walk';

/** Keywords that say what a node is without `type`: an object's properties, an array's items, a composition. */
const SHAPED = ['properties', 'items', 'allOf', 'anyOf', 'oneOf', 'additionalProperties', 'x-ms-dynamic-schema', 'x-ms-dynamic-properties'];

export const rule: Rule = {
  id: 'schema-property-type',
  severity: 'warn',
  description: 'Every schema property declares its `type` (or its shape: `properties`, `items`, a composition), so the designer can offer and convert its value.',
  fix: 'Add `type` (`string`, `integer`, `number`, `boolean`, `object` or `array`), with `format` where it helps (e.g. `date-time`).',
  source: SOURCES.swagger,
  check(c) {
    return eachSchemaNode(c)
      .filter((v) => v.propertyName !== undefined && v.node.type === undefined && !SHAPED.some((k) => v.node[k] !== undefined))
      .map((v) => ({ pointer: v.pointer, message: `The property '${v.propertyPath.join('.')}' has no 'type'; the designer treats its value as untyped.` }));
  },
};
