/**
 * Validation against Microsoft's published JSON schemas for connector files
 * (apiDefinition.swagger.schema.json: draft-04; paconn-apiProperties/paconn-settings: draft-07).
 * The schemas are JSONC, carry a top-level `id` that Ajv 8 rejects, and are stale: paconn reads
 * `scriptOperations` (apiProperties) and `script` (settings.json) although the schemas forbid
 * them. We allow exactly those two keys, nothing more.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { summarizeAjvErrors } from './ajv-errors';
import type { Finding } from '../lib/finding';
import { isObject } from './connector';

export type MsSchemaKind = 'apiDefinition' | 'apiProperties' | 'settings';

export const MS_SCHEMA_FILES: Record<MsSchemaKind, string> = {
  apiDefinition: 'apiDefinition.swagger.schema.json',
  apiProperties: 'paconn-apiProperties.schema.json',
  settings: 'paconn-settings.schema.json',
};

export const MS_SCHEMA_RULE = 'ms-schema';

/** Said wherever the schemas are applied: where they are stale, and what is done about it. */
export const MS_SCHEMA_STALE_KEYS = "Microsoft's schemas refuse properties.scriptOperations and settings.json's script, which paconn reads: both allowed";

/** Removes `//` and `/* *\/` comments outside string literals; keeps everything else byte for byte. */
export function stripJsonComments(text: string): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (ch === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j + 1;
    } else if (ch === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i += 1;
    } else if (ch === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? text.length : end + 2;
    } else {
      out += ch;
      i += 1;
    }
  }
  return out;
}

/** Parses a JSONC schema and drops its top-level `id` (Ajv 8 accepts only `$id`). */
export function parseMsSchema(text: string): Record<string, unknown> {
  const schema: unknown = JSON.parse(stripJsonComments(text));
  if (!isObject(schema)) throw new Error('schema is not a JSON object');
  const { id: _dropped, ...rest } = schema;
  void _dropped;
  return rest;
}

/** Lets one named key through an object schema that has `additionalProperties: false`. */
function allowKey(objectSchema: unknown, key: string, schema: Record<string, unknown>, where: string): void {
  if (!isObject(objectSchema) || !isObject(objectSchema.properties)) {
    throw new Error(`unexpected schema shape: ${where} has no 'properties'`);
  }
  if (!(key in objectSchema.properties)) objectSchema.properties[key] = schema;
}

/** The known-stale places: `properties.scriptOperations` and settings' `script`. */
export function patchMsSchema(kind: MsSchemaKind, schema: Record<string, unknown>): Record<string, unknown> {
  if (kind === 'apiProperties') {
    const inner = isObject(schema.properties) ? schema.properties.properties : undefined;
    allowKey(inner, 'scriptOperations', { type: 'array', items: { type: 'string' } }, 'apiProperties #/properties/properties');
  }
  if (kind === 'settings') allowKey(schema, 'script', { type: 'string' }, 'settings #');
  return schema;
}

export type MsValidator = (document: unknown, file: string) => Finding[];

/** Compiles the validator for one file kind from the schema folder. */
export function loadMsValidator(schemaDir: string, kind: MsSchemaKind): MsValidator {
  const path = join(schemaDir, MS_SCHEMA_FILES[kind]);
  const schema = patchMsSchema(kind, parseMsSchema(readFileSync(path, 'utf8')));
  const options = { allErrors: true, strict: false, validateSchema: false };
  // Loaded here, not at the top, so that `npm run check` without --ms-schemas never pays for them.
  /* eslint-disable @typescript-eslint/no-require-imports */
  const AjvClass = kind === 'apiDefinition' ? require('ajv-draft-04').default : require('ajv').default;
  const ajv = new AjvClass(options);
  require('ajv-formats').default(ajv);
  /* eslint-enable @typescript-eslint/no-require-imports */
  const validate: ValidateFunction = ajv.compile(schema);
  return (document, file) => (validate(document) ? [] : toFindings(validate.errors ?? [], file, MS_SCHEMA_FILES[kind]));
}

/** One finding per failing location; the branch errors of a failed oneOf/anyOf are folded into it. */
export function toFindings(errors: ErrorObject[], file: string, schemaFile: string): Finding[] {
  return summarizeAjvErrors(errors).map((e) => ({
    file,
    pointer: e.pointer,
    rule: MS_SCHEMA_RULE,
    severity: 'error' as const,
    message: `${e.message} [${schemaFile} ${e.schemaPath}]`,
  }));
}

/** Validates apiDefinition.swagger.json, apiProperties.json and (when given) settings.json. */
export function validateWithMsSchemas(
  schemaDir: string,
  files: { definition?: unknown; properties?: unknown; settings?: unknown },
): Finding[] {
  const findings: Finding[] = [];
  if (files.definition !== undefined) findings.push(...loadMsValidator(schemaDir, 'apiDefinition')(files.definition, 'apiDefinition.swagger.json'));
  if (files.properties !== undefined) findings.push(...loadMsValidator(schemaDir, 'apiProperties')(files.properties, 'apiProperties.json'));
  if (files.settings !== undefined) findings.push(...loadMsValidator(schemaDir, 'settings')(files.settings, 'settings.json'));
  return findings;
}
