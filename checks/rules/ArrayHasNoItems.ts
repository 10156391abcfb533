import { type Rule, SOURCES } from '../rule';
import { eachTypedNode } from '../walk';

export const rule: Rule = {
  id: 'ArrayHasNoItems',
  severity: 'warn',
  description: 'Every `type: array` (schema or non-body parameter) says what its items are (`items`).',
  fix: 'Add `items` with the item schema, e.g. `"items": { "type": "string" }`.',
  source: SOURCES.validator,
  check(c) {
    return eachTypedNode(c)
      .filter((n) => n.node.type === 'array' && n.node.items === undefined)
      .map((n) => ({ pointer: n.pointer, message: 'The array should have items specified: the designer cannot show or build its elements.' }));
  },
};
