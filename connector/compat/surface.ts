/**
 * The published surface of a connector definition: everything an existing flow is bound to
 * (operationIds, routes, parameter names/locations/types, output field paths/types, trigger kind).
 * `extractSurface` is pure; it resolves local `$ref`s (`#/definitions/...`, `#/parameters/...`,
 * `#/responses/...`) so that an inline definition (production 1.0) and a ref-heavy generated one
 * yield comparable surfaces.
 *
 * Path notation: segments joined by `/`, array items marked with `[]` on the array's segment:
 * `data`, `data[]/callID`, `data/group_membership[]/members[]/contactID`. Body parameters are listed
 * as the parameter (`body`) plus one entry per schema property (`body/destination`).
 */
import { escapePointerToken, pointer } from '../../lib/finding';
import { isObject, resolveLocalRef, type JsonObject } from '../../lib/json-pointer';

export type TriggerKind = 'single' | 'batch' | 'none';

export const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

export interface SurfaceParameter {
  /** Parameter name, or `<body name>/<property>[/...]` for properties of a body schema. */
  path: string;
  in: string;
  type: string | null;
  format: string | null;
  /** The parameter's own `required` (for a body property: listed in its parent's `required`). */
  required: boolean;
  /** `x-ms-visibility` (`important` | `advanced` | `internal`), null when absent. */
  visibility: string | null;
  hasDefault: boolean;
  /**
   * Filled by the platform, never by a flow author: a property marked `x-ms-notification-url`,
   * or a body parameter whose schema properties are all such properties.
   */
  platformFilled?: true;
  /** Where it is declared in the definition (omitted in the stored baseline). */
  pointer?: string;
}

export interface SurfaceField {
  path: string;
  type: string | null;
  format: string | null;
  pointer?: string;
}

export interface SurfaceOperation {
  operationId: string;
  method: HttpMethod;
  path: string;
  visibility: string | null;
  trigger: TriggerKind;
  parameters: SurfaceParameter[];
  outputs: SurfaceField[];
  /** The operation object, e.g. `/paths/~1dial/post`. */
  pointer?: string;
  /** The schema the outputs are read from (success response or notification content). */
  outputsPointer?: string;
}

export interface Surface {
  operations: SurfaceOperation[];
}

/** A definition the surface cannot be read from; `pointer` says where. */
export class SurfaceError extends Error {
  constructor(
    message: string,
    readonly pointer: string,
  ) {
    super(`${message} at ${pointer === '' ? '(document root)' : pointer}`);
    this.name = 'SurfaceError';
  }
}

type Json = JsonObject;

function stringOrNull(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

/** A node after following `$ref`s: the node itself, where it lives, and the refs walked through. */
interface Resolved {
  node: Json;
  at: string;
  refs: string[];
}

/** Why a `$ref` that does not resolve is broken, in the guard's words. */
function brokenRef(ref: string, at: string): SurfaceError {
  if (!ref.startsWith('#')) {
    return new SurfaceError(`external $ref '${ref}' is not supported (only '#/...' refs)`, at);
  }
  const body = decodeURIComponent(ref.slice(1));
  if (body !== '' && !body.startsWith('/')) return new SurfaceError(`malformed $ref '${ref}'`, at);
  return new SurfaceError(`unresolved $ref '${ref}'`, at);
}

function resolve(root: Json, node: unknown, at: string): Resolved {
  const refs: string[] = [];
  let current = node;
  let where = at;
  while (isObject(current) && typeof current.$ref === 'string') {
    const ref = current.$ref;
    if (refs.includes(ref)) throw new SurfaceError(`$ref cycle ${[...refs, ref].join(' → ')}`, at);
    refs.push(ref);
    const target = resolveLocalRef(root, ref);
    if (!target) throw brokenRef(ref, where);
    current = target.node;
    where = target.pointer;
  }
  if (!isObject(current)) throw new SurfaceError('expected an object', where);
  return { node: current, at: where, refs };
}

/** One node of a walked schema (root excluded). */
interface SchemaNode {
  segments: string[];
  schema: Json;
  at: string;
  type: string | null;
  format: string | null;
  /** Listed in the parent object's `required`. */
  required: boolean;
}

/** The object properties of a schema, `allOf` members merged (own properties win). */
function collectProperties(
  root: Json,
  schema: Resolved,
  stack: string[],
): { properties: Array<{ name: string; node: unknown; at: string }>; required: Set<string> } {
  const byName = new Map<string, { name: string; node: unknown; at: string }>();
  const required = new Set<string>();
  const addFrom = (resolved: Resolved): void => {
    if (Array.isArray(resolved.node.required)) {
      for (const r of resolved.node.required) if (typeof r === 'string') required.add(r);
    }
    if (isObject(resolved.node.properties)) {
      for (const [name, node] of Object.entries(resolved.node.properties)) {
        byName.set(name, { name, node, at: `${resolved.at}/properties/${escapePointerToken(name)}` });
      }
    }
  };
  if (Array.isArray(schema.node.allOf)) {
    schema.node.allOf.forEach((member, index) => {
      const resolved = resolve(root, member, `${schema.at}/allOf/${index}`);
      if (resolved.refs.some((ref) => stack.includes(ref))) return;
      addFrom(resolved);
    });
  }
  addFrom(schema);
  return { properties: [...byName.values()], required };
}

function schemaType(root: Json, schema: Resolved): string | null {
  const own = stringOrNull(schema.node.type);
  if (own !== null) return own;
  if (Array.isArray(schema.node.allOf)) {
    for (const [index, member] of schema.node.allOf.entries()) {
      const type = stringOrNull(resolve(root, member, `${schema.at}/allOf/${index}`).node.type);
      if (type !== null) return type;
    }
  }
  // A schema without `type` is read by the designer by its shape.
  if (isObject(schema.node.properties) || Array.isArray(schema.node.allOf)) return 'object';
  if (schema.node.items !== undefined) return 'array';
  return null;
}

/**
 * Walks every property and array item below `start` (not `start` itself), following refs.
 * A ref already being expanded on the current branch (a recursive schema) is listed but not entered.
 */
function walkSchema(root: Json, start: unknown, at: string, visit: (node: SchemaNode) => void): void {
  const MAX_DEPTH = 32;
  const descend = (schema: Resolved, segments: string[], stack: string[]): void => {
    if (segments.length > MAX_DEPTH) throw new SurfaceError(`schema nested deeper than ${MAX_DEPTH} levels`, schema.at);
    const type = schemaType(root, schema);
    if (type === 'array') {
      if (schema.node.items === undefined) return;
      const items = resolve(root, schema.node.items, `${schema.at}/items`);
      if (items.refs.some((ref) => stack.includes(ref))) return;
      const itemType = schemaType(root, items);
      // Array of objects: the item fields carry the information; array of scalars: list the item itself.
      const itemSegments = segments.length === 0 ? ['[]'] : [...segments.slice(0, -1), `${segments[segments.length - 1]}[]`];
      if (itemType !== 'object') {
        visit({ segments: itemSegments, schema: items.node, at: items.at, type: itemType, format: stringOrNull(items.node.format), required: false });
      }
      descend(items, itemSegments, [...stack, ...items.refs]);
      return;
    }
    if (type !== 'object') return;
    const { properties, required } = collectProperties(root, schema, stack);
    for (const property of properties) {
      const resolved = resolve(root, property.node, property.at);
      const childSegments = [...segments, property.name];
      // Visibility and format may sit next to a $ref (Swagger tools allow it); prefer the local value.
      const local = isObject(property.node) ? property.node : {};
      const childSchema = { ...resolved.node, ...local };
      delete childSchema.$ref;
      const recursive = resolved.refs.some((ref) => stack.includes(ref));
      visit({
        segments: childSegments,
        schema: childSchema,
        at: resolved.refs.length > 0 ? resolved.at : property.at,
        type: schemaType(root, resolved),
        format: stringOrNull(childSchema.format),
        required: required.has(property.name),
      });
      if (!recursive) descend(resolved, childSegments, [...stack, ...resolved.refs]);
    }
  };
  const resolved = resolve(root, start, at);
  descend(resolved, [], resolved.refs);
}

function visibilityOf(node: Json): string | null {
  return stringOrNull(node['x-ms-visibility']);
}

function parametersOf(root: Json, pathItem: Json, operation: Json, pathPointer: string, opPointer: string): SurfaceParameter[] {
  // Operation-level parameters override path-level ones with the same name and location.
  const merged = new Map<string, { node: unknown; at: string }>();
  const collect = (list: unknown, at: string): void => {
    if (list === undefined) return;
    if (!Array.isArray(list)) throw new SurfaceError('parameters must be an array', at);
    list.forEach((node, index) => {
      const resolved = resolve(root, node, `${at}/${index}`);
      merged.set(`${String(resolved.node.in)} ${String(resolved.node.name)}`, { node, at: `${at}/${index}` });
    });
  };
  collect(pathItem.parameters, `${pathPointer}/parameters`);
  collect(operation.parameters, `${opPointer}/parameters`);

  const result: SurfaceParameter[] = [];
  for (const { node, at } of merged.values()) {
    const param = resolve(root, node, at);
    const name = param.node.name;
    const location = param.node.in;
    if (typeof name !== 'string' || typeof location !== 'string') {
      throw new SurfaceError('parameter without a string name and in', param.at);
    }
    const declaredAt = param.refs.length > 0 ? param.at : at;
    if (location !== 'body') {
      result.push({
        path: name,
        in: location,
        type: stringOrNull(param.node.type),
        format: stringOrNull(param.node.format),
        required: param.node.required === true,
        visibility: visibilityOf(param.node),
        hasDefault: param.node.default !== undefined,
        pointer: declaredAt,
      });
      continue;
    }
    if (param.node.schema === undefined) throw new SurfaceError('body parameter without schema', param.at);
    const schemaAt = `${param.at}/schema`;
    const schema = resolve(root, param.node.schema, schemaAt);
    const properties: SurfaceParameter[] = [];
    walkSchema(root, param.node.schema, schemaAt, (child) => {
      const entry: SurfaceParameter = {
        path: [name, ...child.segments].join('/'),
        in: 'body',
        type: child.type,
        format: child.format,
        required: child.required,
        visibility: visibilityOf(child.schema),
        hasDefault: child.schema.default !== undefined,
        pointer: child.at,
      };
      if (child.schema['x-ms-notification-url'] === true) entry.platformFilled = true;
      properties.push(entry);
    });
    const topLevel = properties.filter((p) => p.path.split('/').length === 2);
    const body: SurfaceParameter = {
      path: name,
      in: 'body',
      type: schemaType(root, schema),
      format: stringOrNull(schema.node.format),
      required: param.node.required === true,
      // Visibility is honoured on the parameter; some definitions put it on the schema only.
      visibility: visibilityOf(param.node) ?? visibilityOf(schema.node),
      hasDefault: param.node.default !== undefined || schema.node.default !== undefined,
      pointer: declaredAt,
    };
    if (topLevel.length > 0 && topLevel.every((p) => p.platformFilled === true)) body.platformFilled = true;
    result.push(body, ...properties);
  }
  return result.sort(byPathThenLocation);
}

function successResponse(root: Json, operation: Json, opPointer: string): Resolved | null {
  const responses = operation.responses;
  if (!isObject(responses)) return null;
  const codes = Object.keys(responses).filter((code) => /^2\d\d$/.test(code));
  if (codes.length === 0) return null;
  const code = codes.includes('200') ? '200' : codes.sort()[0];
  return resolve(root, responses[code], `${opPointer}/responses/${code}`);
}

function fieldsOf(root: Json, schema: unknown, at: string): SurfaceField[] {
  const fields: SurfaceField[] = [];
  walkSchema(root, schema, at, (node) => {
    fields.push({ path: node.segments.join('/'), type: node.type, format: node.format, pointer: node.at });
  });
  return fields.sort((a, b) => comparePaths(a.path, b.path));
}

/** Orders paths segment by segment so that children follow their parent. */
export function comparePaths(a: string, b: string): number {
  const left = a.split('/');
  const right = b.split('/');
  for (let i = 0; i < Math.min(left.length, right.length); i++) {
    if (left[i] !== right[i]) return left[i] < right[i] ? -1 : 1;
  }
  return left.length - right.length;
}

function byPathThenLocation(a: SurfaceParameter, b: SurfaceParameter): number {
  return comparePaths(a.path, b.path) || (a.in < b.in ? -1 : a.in > b.in ? 1 : 0);
}

function triggerKind(operation: Json, at: string): TriggerKind {
  const trigger = operation['x-ms-trigger'];
  if (trigger === undefined) return 'none';
  if (trigger === 'single' || trigger === 'batch') return trigger;
  throw new SurfaceError(`x-ms-trigger must be 'single' or 'batch', got ${JSON.stringify(trigger)}`, `${at}/x-ms-trigger`);
}

/** Reads the published surface of a Swagger 2.0 definition. Throws SurfaceError on unreadable input. */
export function extractSurface(definition: object): Surface {
  const root = definition as Json;
  if (!isObject(root) || !isObject(root.paths)) throw new SurfaceError('definition has no paths object', '');
  const operations: SurfaceOperation[] = [];
  const seen = new Map<string, string>();
  for (const [route, rawItem] of Object.entries(root.paths)) {
    const pathPointer = pointer('paths', route);
    const pathItem = resolve(root, rawItem, pathPointer).node;
    for (const method of HTTP_METHODS) {
      const operation = pathItem[method];
      if (operation === undefined) continue;
      const opPointer = pointer('paths', route, method);
      if (!isObject(operation)) throw new SurfaceError('operation must be an object', opPointer);
      const operationId = operation.operationId;
      if (typeof operationId !== 'string' || operationId === '') throw new SurfaceError('operation without operationId', opPointer);
      const earlier = seen.get(operationId);
      if (earlier !== undefined) throw new SurfaceError(`operationId ${operationId} also used at ${earlier}`, opPointer);
      seen.set(operationId, opPointer);

      const trigger = triggerKind(operation, opPointer);
      let outputs: SurfaceField[] = [];
      let outputsPointer: string | undefined;
      if (trigger === 'single') {
        // A webhook trigger's outputs are the event, declared on the path item.
        const content = pathItem['x-ms-notification-content'];
        const contentPointer = `${pathPointer}/x-ms-notification-content`;
        if (content !== undefined) {
          const resolved = resolve(root, content, contentPointer);
          if (resolved.node.schema !== undefined) {
            outputsPointer = `${resolved.at}/schema`;
            outputs = fieldsOf(root, resolved.node.schema, outputsPointer);
          }
        }
      } else {
        const response = successResponse(root, operation, opPointer);
        if (response !== null && response.node.schema !== undefined) {
          outputsPointer = `${response.at}/schema`;
          outputs = fieldsOf(root, response.node.schema, outputsPointer);
        }
      }

      operations.push({
        operationId,
        method,
        path: route,
        visibility: visibilityOf(operation),
        trigger,
        parameters: parametersOf(root, pathItem, operation, pathPointer, opPointer),
        outputs,
        pointer: opPointer,
        ...(outputsPointer !== undefined ? { outputsPointer } : {}),
      });
    }
  }
  operations.sort((a, b) => (a.operationId < b.operationId ? -1 : a.operationId > b.operationId ? 1 : 0));
  return { operations };
}
