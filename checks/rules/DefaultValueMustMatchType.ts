import { type JsonObject, str } from '../connector';
import { type Rule, type RuleHit, SOURCES } from '../rule';
import { eachTypedNode, typeOfValue, valueMatchesType } from '../walk';

function check(node: JsonObject, ptr: string, hits: RuleHit[]): void {
  const type = str(node.type);
  if (node.default === undefined || type === undefined || valueMatchesType(node.default, type)) return;
  hits.push({ pointer: `${ptr}/default`, message: `The 'default' value is of type '${typeOfValue(node.default)}', but should match the given type '${type}'.` });
}

export const rule: Rule = {
  id: 'DefaultValueMustMatchType',
  severity: 'warn',
  description: 'Every `default` value has the type the schema or parameter declares.',
  fix: 'Write the default with the declared type (e.g. `0`, not `"0"`, for an integer).',
  source: SOURCES.validator,
  check(c) {
    const hits: RuleHit[] = [];
    for (const v of eachTypedNode(c)) check(v.node, v.pointer, hits);
    return hits;
  },
};
