/** Traversals shared by several rules. */
import { type Connector, type JsonObject, type Located, type OperationRef, type SchemaVisit, isObject, normalizeWords, str } from './connector';
import { pointer } from '../lib/finding';

export function isInternal(node: JsonObject): boolean {
  return node['x-ms-visibility'] === 'internal';
}

export interface ParameterVisit extends Located {
  op: OperationRef;
}

/** Every effective parameter of every operation; a path-level parameter is visited once. */
export function eachParameter(c: Connector): ParameterVisit[] {
  return c.memoize('parameters', () => collectParameters(c));
}

function collectParameters(c: Connector): ParameterVisit[] {
  const seen = new Set<string>();
  const result: ParameterVisit[] = [];
  for (const op of c.operations()) {
    for (const param of c.parameters(op)) {
      if (seen.has(param.pointer)) continue;
      seen.add(param.pointer);
      result.push({ ...param, op });
    }
  }
  return result;
}

export interface PropertyVisit extends SchemaVisit {
  propertyName: string;
  op: OperationRef;
}

/** Schemas the designer shows as an operation's outputs (a webhook's subscribe response is not one). */
export function designerOutputSchemas(c: Connector, op: OperationRef): Located<unknown>[] {
  if (c.triggerKind(op) === 'single') {
    const content = c.notificationContent(op);
    return content && content.node.schema !== undefined ? [{ node: content.node.schema, pointer: `${content.pointer}/schema` }] : [];
  }
  return c.outputSchemas(op);
}

/** Visible properties of every output schema, each location once. */
export function eachOutputProperty(c: Connector): PropertyVisit[] {
  return c.memoize('output properties', () => collectProperties(c, (op) => designerOutputSchemas(c, op)));
}

/** Visible properties of every body parameter schema, each location once. */
export function eachInputProperty(c: Connector): PropertyVisit[] {
  return c.memoize('input properties', () => collectProperties(c, (op) => c.bodySchemas(op)));
}

/** Visible (non-internal) properties, skipping whatever lies under an internal node. */
function collectProperties(c: Connector, schemasOf: (op: OperationRef) => Located<unknown>[]): PropertyVisit[] {
  const recorded = new Set<string>();
  const walked = new Set<string>();
  const result: PropertyVisit[] = [];
  for (const op of c.operations()) {
    for (const schema of schemasOf(op)) {
      c.walkSchema(schema.node, schema.pointer, (v) => {
        if (isInternal(v.node)) return false;
        if (v.propertyName !== undefined && !recorded.has(v.pointer)) {
          recorded.add(v.pointer);
          result.push({ ...v, propertyName: v.propertyName, op });
        }
        // A node walked before was reached through visible parents and its subtree walked then.
        if (walked.has(v.pointer)) return false;
        walked.add(v.pointer);
      });
    }
  }
  return result;
}

/** Every schema node of the document (definitions, bodies, responses, notification content), each once. */
export function eachSchemaNode(c: Connector): SchemaVisit[] {
  return c.memoize('schema nodes', () => collectSchemaNodes(c));
}

/** Every node that declares a `type` a value must match: non-body parameters and schema nodes. */
export function eachTypedNode(c: Connector): Array<{ node: JsonObject; pointer: string }> {
  return c.memoize('typed nodes', () => [
    ...eachParameter(c).filter((p) => p.node.in !== 'body'),
    ...eachSchemaNode(c),
  ]);
}

function collectSchemaNodes(c: Connector): SchemaVisit[] {
  const seen = new Set<string>();
  const result: SchemaVisit[] = [];
  const visit = (schema: unknown, ptr: string): void =>
    c.walkSchema(schema, ptr, (v) => {
      if (seen.has(v.pointer)) return false;
      seen.add(v.pointer);
      result.push(v);
    });
  const definitions = c.doc.definitions;
  if (isObject(definitions)) for (const [name, schema] of Object.entries(definitions)) visit(schema, pointer('definitions', name));
  const responses = c.doc.responses;
  if (isObject(responses)) {
    for (const [name, response] of Object.entries(responses)) {
      if (isObject(response) && response.schema !== undefined) visit(response.schema, pointer('responses', name, 'schema'));
    }
  }
  for (const op of c.operations()) {
    for (const schema of [...c.bodySchemas(op), ...c.outputSchemas(op)]) visit(schema.node, schema.pointer);
    for (const response of c.responses(op)) {
      if (response.node.schema !== undefined) visit(response.node.schema, `${response.pointer}/schema`);
    }
  }
  return result;
}

/** Display name of an input: `x-ms-summary`, or `title` (what the portal's body editor writes). */
export function inputDisplayName(node: JsonObject): string | undefined {
  return str(node['x-ms-summary']) ?? str(node.title);
}

/** True when a description only repeats one of the given names ("callID" vs "Call ID"). */
export function repeatsName(description: string, ...names: Array<string | undefined>): boolean {
  const text = normalizeWords(description);
  return names.some((name) => name !== undefined && normalizeWords(name) === text);
}

/** The operation's id for findings, when it has one. */
export function opId(op: OperationRef): { operationId?: string } {
  return op.operationId ? { operationId: op.operationId } : {};
}

/** Type check for `enum` and `default` values against a Swagger `type`. */
export function valueMatchesType(value: unknown, type: string): boolean {
  switch (type) {
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value);
    case 'number':
      return typeof value === 'number';
    case 'string':
      return typeof value === 'string';
    case 'boolean':
      return typeof value === 'boolean';
    case 'array':
      return Array.isArray(value);
    case 'object':
      return isObject(value);
    case 'file':
      return true;
    default:
      return true;
  }
}

export function typeOfValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}
