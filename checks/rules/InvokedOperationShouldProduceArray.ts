/**
 * A dropdown (`x-ms-dynamic-values`) calls another operation of the connector and reads an array
 * from its answer (`value-collection`, or the whole answer). An operation that does not exist, or
 * whose success schema has no array there, leaves the designer's dropdown empty or broken.
 */
import { type Connector, type JsonObject, isObject, str } from '../connector';
import { type Rule, type RuleHit, SOURCES } from '../rule';
import { eachParameter, eachInputProperty } from '../walk';

interface DynamicUse {
  pointer: string;
  operationId?: string;
  values: JsonObject;
}

/** Every `x-ms-dynamic-values` on a parameter or a body property. */
function uses(c: Connector): DynamicUse[] {
  const found: DynamicUse[] = [];
  for (const p of eachParameter(c)) {
    const values = p.node['x-ms-dynamic-values'];
    if (isObject(values)) found.push({ pointer: `${p.pointer}/x-ms-dynamic-values`, operationId: p.op.operationId, values });
  }
  for (const p of eachInputProperty(c)) {
    const values = isObject(p.node) ? p.node['x-ms-dynamic-values'] : undefined;
    if (isObject(values)) found.push({ pointer: `${p.pointer}/x-ms-dynamic-values`, operationId: p.op.operationId, values });
  }
  return found;
}

/** The schema at a `value-collection` path (`data`, `value/items`), refs followed; undefined when absent. */
function schemaAt(c: Connector, schema: unknown, ptr: string, path: string[]): JsonObject | undefined {
  let node = c.deref(schema, ptr);
  for (const name of path) {
    const properties = node && isObject(node.node.properties) ? node.node.properties : undefined;
    if (!properties || !(name in properties)) return undefined;
    node = c.deref(properties[name], `${node!.pointer}/properties/${name}`);
  }
  return node?.node;
}

export const rule: Rule = {
  id: 'InvokedOperationShouldProduceArray',
  severity: 'warn',
  description: 'The operation an `x-ms-dynamic-values` names exists and its success response has an array at `value-collection` (or is an array when it names none).',
  fix: 'Name an existing operation in `operationId` and point `value-collection` at the array of its response (e.g. `data`), or make that operation return an array.',
  source: SOURCES.validator,
  check(c) {
    const hits: RuleHit[] = [];
    const byId = new Map(c.operations().flatMap((op) => (op.operationId ? [[op.operationId, op] as const] : [])));
    for (const use of uses(c)) {
      const target = str(use.values.operationId);
      if (target === undefined) continue; // builtInOperation / capability: nothing of this connector to check
      const op = byId.get(target);
      const at = { pointer: `${use.pointer}/operationId`, ...(use.operationId ? { operationId: use.operationId } : {}) };
      if (!op) {
        hits.push({ ...at, message: `The dropdown calls '${target}', which is not an operation of this connector.` });
        continue;
      }
      const collection = str(use.values['value-collection']);
      const path = collection ? collection.split('/').filter((s) => s.length > 0) : [];
      const success = c.successResponses(op).find((r) => r.node.schema !== undefined);
      const array = success ? schemaAt(c, success.node.schema, `${success.pointer}/schema`, path) : undefined;
      if (array?.type !== 'array') {
        hits.push({
          ...at,
          message: `'${target}' does not produce an array ${collection ? `at '${collection}'` : 'as its response'} (${success ? (array ? `type ${str(array.type) ?? 'unspecified'}` : 'no such property') : 'no success response with a schema'}), so the dropdown stays empty.`,
        });
      }
    }
    return hits;
  },
};
