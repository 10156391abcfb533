import { type JsonObject, str } from '../connector';
import { type Rule, type RuleHit, SOURCES } from '../rule';
import { eachTypedNode, typeOfValue, valueMatchesType } from '../walk';

function check(node: JsonObject, ptr: string, hits: RuleHit[]): void {
  const type = str(node.type);
  if (!Array.isArray(node.enum) || type === undefined) return;
  node.enum.forEach((value, index) => {
    if (!valueMatchesType(value, type)) {
      hits.push({ pointer: `${ptr}/enum/${index}`, message: `The type of the enum value is '${typeOfValue(value)}' but it should be '${type}' as specified in the schema.` });
    }
  });
}

export const rule: Rule = {
  id: 'InvalidEnumValue',
  severity: 'warn',
  description: 'Every `enum` value has the type the schema or parameter declares.',
  fix: 'Write the value with the declared type (e.g. `1`, not `"1"`, for an integer), or change the type.',
  source: SOURCES.validator,
  check(c) {
    const hits: RuleHit[] = [];
    for (const v of eachTypedNode(c)) check(v.node, v.pointer, hits);
    return hits;
  },
};
