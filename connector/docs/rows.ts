/**
 * What a maker sees of each operation in the designer, read from the generated Swagger document:
 * the parameters (Name | Key | Required | Type | Description) and the returned fields
 * (Name | Path | Type | Description) of the public reference page. Internal operations, parameters
 * and fields are left out, as the designer leaves them out.
 */
import { isObject, resolveLocalRef } from '../../lib/json-pointer';
import type { XDocument, XOperation, XParameter, XSchema } from '../generate/swagger-types';

export type OperationKind = 'action' | 'polling' | 'webhook';

export interface ParameterRow {
  name: string;
  key: string;
  required: boolean;
  type: string;
  description: string;
}

export interface FieldRow {
  name: string;
  /** Dot-separated, as on the public page: `data.group_membership.members.contactID`. */
  path: string;
  type: string;
  description: string;
}

export interface OperationRows {
  operationId: string;
  kind: OperationKind;
  method: string;
  path: string;
  summary: string;
  description: string;
  hint?: string;
  parameters: ParameterRow[];
  returns: FieldRow[];
  /** An operation that answers a file (`format: binary`): what the designer calls its content. */
  file?: { name: string; description: string };
}

const METHODS = ['get', 'post', 'delete'] as const;

function resolve(doc: XDocument, schema: XSchema): XSchema {
  let current = schema;
  const seen = new Set<string>();
  while (current.$ref) {
    const ref = current.$ref;
    if (seen.has(ref)) throw new Error(`$ref cycle at ${ref}`);
    seen.add(ref);
    const target = resolveLocalRef(doc, ref);
    if (!target || !isObject(target.node)) throw new Error(`unresolved $ref ${ref}`);
    current = target.node as XSchema;
  }
  return current;
}

/** `string`, `integer`, `array of object`, ... as the public page writes types. */
function typeText(doc: XDocument, schema: XSchema): string {
  const resolved = resolve(doc, schema);
  if (resolved.type === 'array' && resolved.items) {
    const item = resolve(doc, resolved.items);
    return `array of ${item.type ?? (item.properties ? 'object' : 'any')}`;
  }
  return resolved.type ?? (resolved.properties ? 'object' : 'any');
}

/**
 * Every visible field under `schema`: scalars and arrays get a row; a plain object gets none (its
 * fields carry the information), which is how the public page lists them.
 */
function fieldRows(doc: XDocument, schema: XSchema, prefix: string[], out: FieldRow[]): void {
  const resolved = resolve(doc, schema);
  const target = resolved.type === 'array' && resolved.items ? resolve(doc, resolved.items) : resolved;
  for (const [name, raw] of Object.entries(target.properties ?? {})) {
    const property = { ...resolve(doc, raw), ...withoutRef(raw) };
    if (property['x-ms-visibility'] === 'internal') continue;
    const path = [...prefix, name];
    const type = typeText(doc, property);
    if (type !== 'object') {
      out.push({
        name: property['x-ms-summary'] ?? name,
        path: path.join('.'),
        type,
        description: property.description ?? '',
      });
    }
    if (type === 'object' || type === 'array of object') fieldRows(doc, property, path, out);
  }
}

function withoutRef(schema: XSchema): XSchema {
  const copy = { ...schema };
  delete copy.$ref;
  return copy;
}

function parameterRows(doc: XDocument, parameters: readonly XParameter[]): ParameterRow[] {
  const rows: ParameterRow[] = [];
  for (const p of parameters) {
    if (p['x-ms-visibility'] === 'internal') continue;
    if (p.in !== 'body') {
      rows.push({ name: p['x-ms-summary'], key: p.name, required: p.required, type: p.type ?? 'any', description: p.description });
      continue;
    }
    // A body is shown to the maker as its properties, keyed by property name.
    const schema = p.schema ? resolve(doc, p.schema) : {};
    if (schema['x-ms-visibility'] === 'internal') continue;
    const required = new Set(schema.required ?? []);
    for (const [name, raw] of Object.entries(schema.properties ?? {})) {
      const property = { ...resolve(doc, raw), ...withoutRef(raw) };
      if (property['x-ms-visibility'] === 'internal') continue;
      rows.push({
        name: property['x-ms-summary'] ?? name,
        key: name,
        required: p.required && required.has(name),
        type: typeText(doc, property),
        description: property.description ?? '',
      });
    }
  }
  return rows;
}

function kindOf(op: XOperation): OperationKind {
  if (op['x-ms-trigger'] === 'batch') return 'polling';
  if (op['x-ms-trigger'] === 'single') return 'webhook';
  return 'action';
}

/** The success response whose schema the designer shows: 200 first, else the lowest 2xx. */
function successSchema(op: XOperation): XSchema | undefined {
  const codes = Object.keys(op.responses).filter((c) => /^2\d\d$/.test(c)).sort();
  const code = codes.includes('200') ? '200' : codes[0];
  return code ? op.responses[code].schema : undefined;
}

/** Visible operations of the document, in document order (the model's publication order). */
export function operationRows(doc: XDocument): OperationRows[] {
  const result: OperationRows[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of METHODS) {
      const op = item[method];
      if (!op || op['x-ms-visibility'] === 'internal') continue;
      const kind = kindOf(op);
      const returns: FieldRow[] = [];
      const outputSchema = kind === 'webhook' ? item['x-ms-notification-content']?.schema : successSchema(op);
      const resolved = outputSchema && resolve(doc, outputSchema);
      // A file answered as bytes is the body itself, not a field of it.
      const file = resolved?.format === 'binary' ? { name: resolved['x-ms-summary'] ?? 'File Content', description: resolved.description ?? '' } : undefined;
      if (outputSchema && !file) fieldRows(doc, outputSchema, [], returns);
      result.push({
        operationId: op.operationId,
        kind,
        method,
        path,
        summary: op.summary,
        description: op.description,
        ...(op['x-ms-trigger-hint'] ? { hint: op['x-ms-trigger-hint'] } : {}),
        parameters: parameterRows(doc, op.parameters),
        returns,
        ...(file ? { file } : {}),
      });
    }
  }
  return result;
}
