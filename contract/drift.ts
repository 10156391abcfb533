/**
 * Drift: fields a response carries that the definition does not declare (the contract harness
 * reports them; the platform passes them through unseen by the designer). Objects that declare
 * properties and say nothing about `additionalProperties` are checked; free-form objects are skipped.
 */
import { getAt, type ContractDefinition, type Json } from '../lib/definition';
import { isObject } from '../lib/json-pointer';
import { pointer as toPointer } from '../lib/finding';

export interface DriftIssue {
  dataPath: string;
  /** Pointer to the object schema that does not declare the field. */
  schemaPath: string;
  field: string;
  value: Json;
}

/** Property name → pointer of the schema (itself or an allOf member) that declares it. */
function declaredProperties(def: ContractDefinition, ptr: string): Map<string, string> {
  const found = new Map<string, string>();
  const node = getAt(def.doc, ptr);
  if (!isObject(node)) return found;
  if (isObject(node.properties)) for (const key of Object.keys(node.properties)) found.set(key, ptr);
  if (Array.isArray(node.allOf)) {
    node.allOf.forEach((_, i) => {
      for (const [k, v] of declaredProperties(def, def.deref(`${ptr}/allOf/${i}`))) if (!found.has(k)) found.set(k, v);
    });
  }
  return found;
}

export function drift(def: ContractDefinition, schemaPointer: string, data: Json): DriftIssue[] {
  const out: DriftIssue[] = [];
  const walk = (ptr: string, value: Json, dataPath: string, depth: number): void => {
    if (depth > 32) return;
    const at = def.deref(ptr);
    const node = getAt(def.doc, at);
    if (!isObject(node)) return;
    if (Array.isArray(value)) {
      if (isObject(node.items)) value.forEach((v, i) => walk(`${at}/items`, v, `${dataPath}/${i}`, depth + 1));
      return;
    }
    if (value === null || typeof value !== 'object') return;
    const declared = declaredProperties(def, at);
    if (declared.size === 0 || node.additionalProperties !== undefined) return;
    for (const [key, v] of Object.entries(value)) {
      const owner = declared.get(key);
      if (owner === undefined) out.push({ dataPath: `${dataPath}${toPointer(key)}`, schemaPath: `${at}/properties`, field: key, value: v });
      else walk(`${owner}/properties${toPointer(key)}`, v, `${dataPath}${toPointer(key)}`, depth + 1);
    }
  };
  walk(schemaPointer, data, '', 0);
  return out;
}
