/**
 * Builds the HTTP request the platform would send for an operation, from the definition and a
 * flow author's inputs: base path + path template with URL-encoded path parameters, query
 * parameters (internal ones get their defaults, e.g. initial_call_id=0), header parameters, the
 * JSON body (webhook triggers: the callback URL in the `x-ms-notification-url` property) and the
 * API key header from the security definition. Pure: returns the request and any input problems.
 *
 * The one request builder of the project: the contract replay, the recorder, the script tests and
 * the sandbox runtime (SandboxConnector.buildCall) all build their requests here.
 */
import { derefChain, isObject, pointer as toPointer } from './json-pointer';
import type { ContractDefinition, Json, OperationInfo } from './definition';

export interface BuiltRequest {
  method: string;
  /** Base path + operation path, percent-encoded. */
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  body: Json;
}

export interface InputProblem {
  /** The input name (or `body.<prop>`). */
  input: string;
  /** Pointer into the definition to the parameter concerned ('' when none). */
  schemaPath: string;
  expected: string;
  actual: Json | undefined;
  message: string;
  /** An integer beyond the range of its declared format (int32): the platform cannot send it as that type. */
  outOfRange?: true;
}

export interface WebhookRegistration {
  /** The body property that receives the callback URL, dotted when nested (`subscription.url`). */
  property: string;
  /** The same as raw property names from the body's root (names may contain dots). */
  path: string[];
  pointer: string;
}

type JsonMap = { [key: string]: Json };
const isMap = isObject as (v: unknown) => v is JsonMap;

/** The header that carries the API key (from an apiKey security definition in a header). */
export function apiKeyHeader(def: ContractDefinition): string | undefined {
  const defs = def.doc.securityDefinitions;
  if (!isMap(defs)) return undefined;
  for (const d of Object.values(defs)) {
    if (isMap(d) && d.type === 'apiKey' && d.in === 'header' && typeof d.name === 'string') return d.name.toLowerCase();
  }
  return undefined;
}

/**
 * Finds the body property marked `x-ms-notification-url: true` at any depth of the body schema
 * (through `$ref`s, nested `properties` and `allOf` members), as checks/notification.ts does; the
 * first one in document order wins. `$ref` chains are followed with cycle detection and a schema
 * is not entered again below itself, so recursive schemas end. Properties under `items` or
 * `additionalProperties` are not looked at: they name no single place in the body to put the URL.
 */
export function notificationUrlProperty(def: ContractDefinition, op: OperationInfo): WebhookRegistration | undefined {
  const body = op.parameters.find((p) => p.parameter.in === 'body');
  if (!body) return undefined;
  const visit = (raw: unknown, rawPtr: string, path: string[], ancestors: ReadonlySet<string>): WebhookRegistration | undefined => {
    const found = derefChain(def.doc, raw, rawPtr);
    if (!found || ancestors.has(found.pointer)) return undefined;
    const { node, pointer: at } = found;
    if (node['x-ms-notification-url'] === true && path.length > 0) return { property: path.join('.'), path, pointer: at };
    const inside = new Set(ancestors).add(at);
    if (isObject(node.properties)) {
      for (const [name, prop] of Object.entries(node.properties)) {
        const hit = visit(prop, `${at}/properties${toPointer(name)}`, [...path, name], inside);
        if (hit) return hit;
      }
    }
    if (Array.isArray(node.allOf)) {
      for (let i = 0; i < node.allOf.length; i++) {
        const hit = visit(node.allOf[i], `${at}/allOf/${i}`, path, inside);
        if (hit) return hit;
      }
    }
    return undefined;
  };
  return visit(body.parameter.schema, `${body.pointer}/schema`, [], new Set());
}

function setPath(target: JsonMap, parts: readonly string[], value: Json): void {
  let node = target;
  for (const part of parts.slice(0, -1)) {
    if (!isMap(node[part])) node[part] = {};
    node = node[part] as JsonMap;
  }
  node[parts[parts.length - 1]] = value;
}

function serialiseQueryValue(value: Json, collectionFormat?: string): string {
  if (Array.isArray(value)) {
    const sep = collectionFormat === 'ssv' ? ' ' : collectionFormat === 'tsv' ? '\t' : collectionFormat === 'pipes' ? '|' : ',';
    return value.map((v) => String(v)).join(sep);
  }
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function typeProblem(type: string | undefined, format: string | undefined, value: Json): string | undefined {
  switch (type) {
    case 'integer': {
      const n = typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value;
      if (typeof n !== 'number' || !Number.isInteger(n)) return `an integer${format ? ` (${format})` : ''}`;
      if (format === 'int32' && (n < -2147483648 || n > 2147483647)) return INT32_EXPECTED;
      return undefined;
    }
    case 'number':
      return typeof value === 'number' || (typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value))) ? undefined : 'a number';
    case 'boolean':
      return typeof value === 'boolean' || value === 'true' || value === 'false' ? undefined : 'a boolean';
    case 'string':
      return typeof value === 'string' ? undefined : 'a string';
    default:
      return undefined;
  }
}

const INT32_EXPECTED = 'an int32 integer';

/**
 * The top-level properties of a body declared `integer`/`int32` whose value lies beyond that range (an id
 * beyond Int64 held as its digits included): what the platform could not send as the declared type, so the
 * action fails rather than send another number (Dial's `contactID`).
 */
function bodyRangeProblems(def: ContractDefinition, schema: Json | undefined, at: string, body: Json): InputProblem[] {
  const found = schema === undefined ? undefined : derefChain(def.doc, schema, at);
  if (!found || !isMap(found.node.properties) || !isMap(body)) return [];
  const problems: InputProblem[] = [];
  for (const [name, prop] of Object.entries(found.node.properties)) {
    const value = body[name];
    if (!isMap(prop) || prop.type !== 'integer' || prop.format !== 'int32' || value === undefined || value === null) continue;
    if (typeProblem('integer', 'int32', value) !== INT32_EXPECTED) continue;
    const schemaPath = `${found.pointer}/properties${toPointer(name)}/format`;
    problems.push({ input: `body.${name}`, schemaPath, expected: INT32_EXPECTED, actual: value, message: `body property "${name}" is declared int32; ${String(value)} is beyond its range`, outOfRange: true });
  }
  return problems;
}

const DEFAULT_API_KEY = 'Bearer contract-replay-key';

export interface BuildOptions {
  /** Fills the notification-url property of a webhook registration (default DEFAULT_CALLBACK_URL). */
  callbackUrl?: string;
  /** The API key header's value (default a placeholder). */
  apiKey?: string;
  /** Parameters left out entirely, default or not (the polling state on a trigger's first call). */
  omit?: readonly string[];
}

/**
 * Builds the request for `op` from `inputs`. Problems with the inputs are returned, not thrown:
 * the request is still built.
 */
export function buildRequest(
  def: ContractDefinition,
  op: OperationInfo,
  inputs: JsonMap,
  options: BuildOptions = {},
): { request: BuiltRequest; problems: InputProblem[] } {
  const problems: InputProblem[] = [];
  const query: Record<string, string> = {};
  const headers: Record<string, string> = {};
  let body: Json = null;
  let path = op.pathTemplate;
  const known = new Set<string>();

  for (const { parameter: p, pointer } of op.parameters) {
    known.add(p.name);
    if (options.omit?.includes(p.name)) continue;
    if (p.in === 'body') {
      const given = inputs[p.name] ?? inputs.body;
      known.add('body');
      body = given === undefined ? null : (JSON.parse(JSON.stringify(given)) as Json);
      problems.push(...bodyRangeProblems(def, p.schema, `${pointer}/schema`, body));
      continue;
    }
    let value: Json | undefined = inputs[p.name];
    // The platform sends an internal parameter's default; a required one with a default too.
    if (value === undefined && p.default !== undefined && (p.required || p['x-ms-visibility'] === 'internal')) value = p.default;
    if (value === undefined || value === null) {
      if (p.required) {
        problems.push({ input: p.name, schemaPath: pointer, expected: `a value for required ${p.in} parameter "${p.name}"`, actual: undefined, message: `required input "${p.name}" is missing` });
      }
      if (p.in === 'path') path = path.replace(`{${p.name}}`, '');
      continue;
    }
    const wrong = typeProblem(p.type, p.format, value);
    if (wrong) {
      problems.push({ input: p.name, schemaPath: `${pointer}/type`, expected: wrong, actual: value, message: `input "${p.name}" must be ${wrong}`, ...(wrong === INT32_EXPECTED ? { outOfRange: true as const } : {}) });
    }
    if (Array.isArray(p.enum) && !p.enum.some((e) => String(e) === String(value))) {
      problems.push({ input: p.name, schemaPath: `${pointer}/enum`, expected: `one of ${JSON.stringify(p.enum)}`, actual: value, message: `input "${p.name}" is not one of the declared values` });
    }
    const text = serialiseQueryValue(value, p.collectionFormat);
    if (p.in === 'path') {
      const once = encodeURIComponent(text);
      path = path.replace(`{${p.name}}`, p['x-ms-url-encoding'] === 'double' ? encodeURIComponent(once) : once);
    } else if (p.in === 'query') {
      query[p.name] = text;
    } else if (p.in === 'header') {
      headers[p.name.toLowerCase()] = text;
    }
  }

  for (const name of Object.keys(inputs)) {
    if (!known.has(name)) {
      problems.push({ input: name, schemaPath: op.pointer + '/parameters', expected: `one of the parameters: ${[...known].join(', ') || '(none)'}`, actual: inputs[name], message: `input "${name}" is not a parameter of ${op.operationId}` });
    }
  }

  if (op.trigger === 'single') {
    const reg = notificationUrlProperty(def, op);
    if (reg) {
      if (!isMap(body)) body = {};
      setPath(body as JsonMap, reg.path, options.callbackUrl ?? DEFAULT_CALLBACK_URL);
    }
  }
  if (body !== null) headers['content-type'] = 'application/json';
  const keyHeader = apiKeyHeader(def);
  if (keyHeader) headers[keyHeader] = options.apiKey ?? DEFAULT_API_KEY;

  return { request: { method: op.method, path: def.fullPath(path), query, headers, body }, problems };
}

/** The callback URL used when a webhook scenario does not name one (no token in it, by rule). */
export const DEFAULT_CALLBACK_URL = 'https://callback.example.invalid/workflows/contract/triggers/manual/run';
