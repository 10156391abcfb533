/**
 * The connector definition as every reader sees it (the contract harness, the sandbox's connector
 * and flow runtime): operations indexed by operationId
 * (method, path, resolved parameters, responses, webhook event schema, polling state), and a
 * strict JSON Schema validator for its Swagger 2.0 schemas.
 *
 * Swagger 2.0 → JSON Schema (draft-07, Ajv): `$ref`s to `#/definitions` point into one shared
 * schema, `x-nullable: true` adds `null` to the type, `x-*` keys and Swagger-only keywords
 * (example, discriminator, readOnly, xml, externalDocs) are dropped, formats are kept when Ajv
 * knows them (int32, int64, date-time... via ajv-formats). Everything is loaded and compiled once.
 * Drift detection, which only the contract harness needs, lives in contract/drift.ts.
 */
import * as fs from 'fs';
import * as path from 'path';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { pointer as toPointer } from './finding';
import { getAt as getAtPointer, parsePointer } from './json-pointer';

import type { JsonValue } from './json';

export type Json = JsonValue;
type JsonMap = { [key: string]: Json };

export interface SwaggerParameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'body' | 'formData';
  required?: boolean;
  type?: string;
  format?: string;
  default?: Json;
  enum?: Json[];
  schema?: JsonMap;
  'x-ms-visibility'?: string;
  'x-ms-url-encoding'?: 'single' | 'double';
  collectionFormat?: string;
}

export interface ResolvedParameter {
  parameter: SwaggerParameter;
  /** Pointer to the parameter in the definition (after following a `#/parameters` $ref). */
  pointer: string;
}

export interface DeclaredResponse {
  status: string;
  /** Pointer to the response object (after following a `#/responses` $ref). */
  pointer: string;
  /** Pointer to its schema, when it declares one. */
  schemaPointer?: string;
  headers: Record<string, { type?: string; format?: string }>;
}

export interface PollingState {
  /** The state query parameter (e.g. `initial_call_id`). */
  parameter: string;
  /** Its expression over the last response (e.g. `@{triggerBody().data[0].callID}`). */
  expression: string;
  /** The split-on array expression (e.g. `@triggerBody().data`). */
  dataPath?: string;
  /** Pointer into apiProperties.json to the triggerConfig entry (or to the state parameter when the script owns it). */
  pointer: string;
  /**
   * Who answers the polling protocol: a `pollingtrigger` policy of apiProperties.json (the 1.0 connector),
   * or the custom code (this connector since 1.1: the same 1.0 cursor, answered by script.csx).
   */
  declaredBy: 'policy' | 'script';
}

export interface OperationInfo {
  operationId: string;
  method: string;
  /** Path template as declared (without basePath), e.g. `/contacts/{contact_id}`. */
  pathTemplate: string;
  pointer: string;
  parameters: ResolvedParameter[];
  responses: DeclaredResponse[];
  trigger?: 'batch' | 'single';
  /** Webhook triggers: pointer to the `x-ms-notification-content` schema on the path item. */
  notificationSchemaPointer?: string;
  polling?: PollingState;
  /** `x-ms-pageable`: the property holding the next page's URL and the one holding the items (autorest's default: `value`). */
  pageable?: { nextLinkName: string; itemName: string };
}

/** A polling trigger whose protocol the custom code answers with the 1.0 cursor: `parameter` = the id above which items are new. */
export interface ScriptCursor {
  operationId: string;
  parameter: string;
  idField: string;
}

export interface SchemaIssue {
  keyword: string;
  /** Pointer into the data. */
  dataPath: string;
  /** Pointer into the definition (schema node + keyword). */
  schemaPath: string;
  expected: string;
  actual: Json | undefined;
  message: string;
}

export class DefinitionError extends Error {
  constructor(readonly file: string, readonly pointer: string, problem: string) {
    super(`${file}: ${pointer || '(document)'}: ${problem}`);
    this.name = 'DefinitionError';
  }
}

const SHARED_ID = 'swagger-definitions.json';
const DROPPED_KEYWORDS = new Set(['example', 'discriminator', 'readOnly', 'xml', 'externalDocs', 'collectionFormat']);
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch'];

function isMap(v: unknown): v is JsonMap {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Reads the value at an RFC 6901 pointer, `#/...` accepted (undefined when absent). */
export function getAt(doc: Json | undefined, ptr: string): Json | undefined {
  return getAtPointer(doc, ptr) as Json | undefined;
}

export class ContractDefinition {
  readonly operations = new Map<string, OperationInfo>();
  /** The templateId of every policy template instance of apiProperties.json, in order. */
  readonly policyTemplates: string[] = [];
  readonly host: string;
  readonly basePath: string;
  readonly scheme: string;
  private readonly ajv: Ajv;
  private readonly compiled = new Map<string, ValidateFunction>();
  private readonly compiledByShape = new Map<string, ValidateFunction>();

  constructor(
    readonly doc: JsonMap,
    readonly properties: JsonMap,
    readonly file = 'apiDefinition.swagger.json',
    readonly propertiesFile = 'apiProperties.json',
  ) {
    if (!isMap(doc.paths)) throw new DefinitionError(file, '/paths', 'the definition has no `paths` object');
    this.host = typeof doc.host === 'string' ? doc.host : 'localhost';
    this.basePath = typeof doc.basePath === 'string' ? doc.basePath : '/';
    this.scheme = Array.isArray(doc.schemes) && typeof doc.schemes[0] === 'string' ? doc.schemes[0] : 'https';
    this.ajv = new Ajv({ strict: true, strictTypes: false, strictRequired: false, strictTuples: false, allErrors: true });
    addFormats(this.ajv);
    this.ajv.addSchema({ $id: SHARED_ID, definitions: this.convertDefinitions() });
    this.indexOperations();
    this.indexPolling();
  }

  /** Loads both files once (the suite shares one instance per test file). */
  static load(definitionPath: string, propertiesPath: string, names?: { file?: string; propertiesFile?: string }): ContractDefinition {
    const read = (p: string): JsonMap => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(fs.readFileSync(p, 'utf8'));
      } catch (e) {
        throw new DefinitionError(p, '', `cannot read as JSON: ${(e as Error).message}`);
      }
      if (!isMap(parsed)) throw new DefinitionError(p, '', 'expected a JSON object');
      return parsed;
    };
    return new ContractDefinition(read(definitionPath), read(propertiesPath), names?.file, names?.propertiesFile);
  }

  operation(operationId: string): OperationInfo | undefined {
    return this.operations.get(operationId);
  }

  /** Origin + base path without the trailing slash, e.g. `https://host/api/v2`. */
  get origin(): string {
    return `${this.scheme}://${this.host}`;
  }

  /** Joins the base path and an operation path the way the platform does (one slash between). */
  fullPath(operationPath: string): string {
    return (this.basePath.replace(/\/+$/, '') + '/' + operationPath.replace(/^\/+/, '')).replace(/\/{2,}/g, '/');
  }

  private convertDefinitions(): JsonMap {
    const defs = isMap(this.doc.definitions) ? this.doc.definitions : {};
    const out: JsonMap = {};
    for (const [name, schema] of Object.entries(defs)) out[name] = this.convert(schema, `/definitions/${toPointer(name).slice(1)}`);
    return out;
  }

  /** Swagger 2.0 schema → draft-07 schema for Ajv (pure apart from reading Ajv's known formats). */
  convert(schema: Json, at: string): Json {
    if (!isMap(schema)) return schema;
    if (typeof schema.$ref === 'string') {
      const ref = schema.$ref;
      if (!ref.startsWith('#/definitions/')) throw new DefinitionError(this.file, at + '/$ref', `only #/definitions references are supported, got "${ref}"`);
      if (getAt(this.doc, ref) === undefined) throw new DefinitionError(this.file, at + '/$ref', `"${ref}" does not exist`);
      // Swagger ignores siblings of $ref, except x-nullable which generators (autorest) honour.
      const target: JsonMap = { $ref: SHARED_ID + ref };
      return schema['x-nullable'] === true ? { anyOf: [target, { type: 'null' }] } : target;
    }
    const out: JsonMap = {};
    for (const [key, value] of Object.entries(schema)) {
      if (key.startsWith('x-') || DROPPED_KEYWORDS.has(key)) continue;
      if (key === 'properties' && isMap(value)) {
        const props: JsonMap = {};
        for (const [p, s] of Object.entries(value)) props[p] = this.convert(s, `${at}/properties${toPointer(p)}`);
        out.properties = props;
      } else if (key === 'items' || key === 'additionalProperties') {
        out[key] = typeof value === 'boolean' ? value : this.convert(value, `${at}/${key}`);
      } else if (key === 'allOf' && Array.isArray(value)) {
        out.allOf = value.map((s, i) => this.convert(s, `${at}/allOf/${i}`));
      } else if (key === 'format' && typeof value === 'string') {
        if (this.ajv.formats[value] !== undefined) out.format = value;
      } else if (key === 'type' && value === 'file') {
        continue;
      } else {
        out[key] = value;
      }
    }
    if (schema['x-nullable'] === true) {
      if (typeof out.type === 'string') out.type = [out.type, 'null'];
      if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
    }
    return out;
  }

  private indexOperations(): void {
    const paths = this.doc.paths as JsonMap;
    for (const [pathTemplate, item] of Object.entries(paths)) {
      if (!isMap(item)) continue;
      const itemPointer = `/paths${toPointer(pathTemplate)}`;
      const shared = Array.isArray(item.parameters) ? item.parameters : [];
      for (const method of METHODS) {
        const op = item[method];
        if (!isMap(op)) continue;
        const pointer = `${itemPointer}/${method}`;
        const operationId = typeof op.operationId === 'string' ? op.operationId : `${method.toUpperCase()} ${pathTemplate}`;
        const parameters = new Map<string, ResolvedParameter>();
        shared.forEach((p, i) => this.addParameter(parameters, p, `${itemPointer}/parameters/${i}`));
        (Array.isArray(op.parameters) ? op.parameters : []).forEach((p, i) => this.addParameter(parameters, p, `${pointer}/parameters/${i}`));
        const responses: DeclaredResponse[] = [];
        for (const [status, r] of Object.entries(isMap(op.responses) ? op.responses : {})) {
          let rp = `${pointer}/responses/${toPointer(status).slice(1)}`;
          let response = r;
          if (isMap(r) && typeof r.$ref === 'string') {
            rp = r.$ref.replace(/^#/, '');
            response = getAt(this.doc, rp) ?? null;
          }
          if (!isMap(response)) continue;
          const headers: DeclaredResponse['headers'] = {};
          for (const [h, def] of Object.entries(isMap(response.headers) ? response.headers : {})) {
            headers[h.toLowerCase()] = isMap(def) ? { type: def.type as string | undefined, format: def.format as string | undefined } : {};
          }
          responses.push({ status, pointer: rp, schemaPointer: response.schema !== undefined ? `${rp}/schema` : undefined, headers });
        }
        const trigger = op['x-ms-trigger'] === 'batch' || op['x-ms-trigger'] === 'single' ? op['x-ms-trigger'] : undefined;
        const notification = item['x-ms-notification-content'];
        const paging = op['x-ms-pageable'];
        this.operations.set(operationId, {
          operationId,
          method: method.toUpperCase(),
          pathTemplate,
          pointer,
          parameters: [...parameters.values()],
          responses,
          trigger,
          notificationSchemaPointer:
            trigger === 'single' && isMap(notification) && notification.schema !== undefined ? `${itemPointer}/x-ms-notification-content/schema` : undefined,
          pageable:
            isMap(paging) && typeof paging.nextLinkName === 'string'
              ? { nextLinkName: paging.nextLinkName, itemName: typeof paging.itemName === 'string' ? paging.itemName : 'value' }
              : undefined,
        });
      }
    }
  }

  private addParameter(into: Map<string, ResolvedParameter>, p: Json, at: string): void {
    let ptr = at;
    let param = p;
    if (isMap(p) && typeof p.$ref === 'string') {
      ptr = p.$ref.replace(/^#/, '');
      param = getAt(this.doc, ptr) ?? null;
      if (!isMap(param)) throw new DefinitionError(this.file, at + '/$ref', `"${p.$ref}" does not exist`);
    }
    if (!isMap(param) || typeof param.name !== 'string') return;
    into.set(`${param.in}:${param.name}`, { parameter: param as unknown as SwaggerParameter, pointer: ptr });
  }

  private indexPolling(): void {
    const props = isMap(this.properties.properties) ? this.properties.properties : {};
    const instances = Array.isArray(props.policyTemplateInstances) ? props.policyTemplateInstances : [];
    instances.forEach((inst, i) => {
      this.policyTemplates.push(isMap(inst) && typeof inst.templateId === 'string' ? inst.templateId : '(no templateId)');
      if (!isMap(inst) || inst.templateId !== 'pollingtrigger' || !isMap(inst.parameters)) return;
      const params = inst.parameters;
      const names = params['x-ms-apimTemplate-operationName'];
      const config = params['x-ms-apimTemplateParameter.triggerConfig'];
      if (!Array.isArray(names) || !isMap(config)) return;
      const [parameter, expression] = Object.entries(config)[0] ?? [];
      if (typeof parameter !== 'string' || typeof expression !== 'string') return;
      for (const name of names) {
        const op = typeof name === 'string' ? this.operations.get(name) : undefined;
        if (!op) continue;
        op.polling = {
          parameter,
          expression,
          dataPath: typeof params['x-ms-apimTemplateParameter.triggerDataPath'] === 'string' ? (params['x-ms-apimTemplateParameter.triggerDataPath'] as string) : undefined,
          pointer: `/properties/policyTemplateInstances/${i}/parameters/x-ms-apimTemplateParameter.triggerConfig${toPointer(parameter)}`,
          declaredBy: 'policy',
        };
      }
    });
  }

  /**
   * Polling triggers whose protocol the custom code answers (no policy): their 1.0 cursor, so that scenario
   * replays carry it from poll to poll as before. A policy, when present, wins.
   */
  declareScriptCursors(cursors: readonly ScriptCursor[]): this {
    for (const { operationId, parameter, idField } of cursors) {
      const op = this.operations.get(operationId);
      if (!op || op.polling) continue;
      const param = op.parameters.find((p) => p.parameter.name === parameter);
      op.polling = { parameter, expression: `@{triggerBody().data[0].${idField}}`, dataPath: '@triggerBody().data', pointer: param?.pointer ?? op.pointer, declaredBy: 'script' };
    }
    return this;
  }

  /** Compiled validator for the schema at a definition pointer (compiled once, then cached). */
  private validatorFor(schemaPointer: string): ValidateFunction {
    let fn = this.compiled.get(schemaPointer);
    if (!fn) {
      const raw = getAt(this.doc, schemaPointer);
      if (raw === undefined) throw new DefinitionError(this.file, schemaPointer, 'no schema here');
      const converted = this.convert(raw, schemaPointer);
      // Most responses are a bare $ref (ErrorResponse on every error status): compile each shape once.
      const key = JSON.stringify(converted);
      try {
        fn = this.compiledByShape.get(key) ?? this.ajv.compile(converted as object);
        this.compiledByShape.set(key, fn);
      } catch (e) {
        throw new DefinitionError(this.file, schemaPointer, `the schema does not compile: ${(e as Error).message}`);
      }
      this.compiled.set(schemaPointer, fn);
    }
    return fn;
  }

  /** Validates data against the schema at a pointer; issues carry data and definition pointers. */
  validate(schemaPointer: string, data: Json): SchemaIssue[] {
    const fn = this.validatorFor(schemaPointer);
    if (fn(data)) return [];
    return dedupe((fn.errors ?? []).filter((e) => !isCompositeNoise(e)).map((e) => this.issue(schemaPointer, data, e)));
  }

  private issue(root: string, data: Json, e: ErrorObject): SchemaIssue {
    let dataPath = e.instancePath;
    const nodePointer = this.locate(root, dataPath);
    let actual: Json | undefined = getAt(data, dataPath);
    let expected = e.message ?? e.keyword;
    let schemaPath = `${nodePointer}/${e.keyword}`;
    const params = e.params as Record<string, unknown>;
    switch (e.keyword) {
      case 'required': {
        const missing = String(params.missingProperty);
        dataPath = `${dataPath}${toPointer(missing)}`;
        actual = undefined;
        expected = `required property "${missing}"`;
        break;
      }
      case 'type': {
        const node = getAt(this.doc, nodePointer);
        const format = isMap(node) && typeof node.format === 'string' ? ` (${node.format})` : '';
        expected = `${String(params.type).replace(',', ' or ')}${format}${isMap(node) && node['x-nullable'] === true ? ' or null' : ''}`;
        break;
      }
      case 'format':
        expected = `format ${String(params.format)}`;
        break;
      case 'enum':
        expected = `one of ${JSON.stringify(params.allowedValues)}`;
        break;
      case 'additionalProperties':
        dataPath = `${dataPath}${toPointer(String(params.additionalProperty))}`;
        actual = getAt(data, dataPath);
        expected = 'no properties beyond those declared (additionalProperties: false)';
        schemaPath = `${nodePointer}/additionalProperties`;
        break;
      default:
        break;
    }
    return { keyword: e.keyword, dataPath, schemaPath, expected, actual, message: e.message ?? e.keyword };
  }

  /** Follows a data path through the (Swagger) schema at `root`, returning the schema node's pointer. */
  locate(root: string, dataPath: string): string {
    let ptr = this.deref(root);
    for (const token of parsePointer(dataPath)) {
      const node = getAt(this.doc, ptr);
      if (!isMap(node)) break;
      if (isMap(node.items) && /^\d+$/.test(token)) {
        ptr = this.deref(`${ptr}/items`);
        continue;
      }
      const owner = this.propertyOwner(ptr, token);
      if (owner === undefined) break;
      ptr = this.deref(`${owner}/properties${toPointer(token)}`);
    }
    return ptr;
  }

  /** The schema pointer (itself or an allOf member) that declares property `name`. */
  private propertyOwner(ptr: string, name: string): string | undefined {
    const node = getAt(this.doc, ptr);
    if (!isMap(node)) return undefined;
    if (isMap(node.properties) && Object.prototype.hasOwnProperty.call(node.properties, name)) return ptr;
    if (Array.isArray(node.allOf)) {
      for (let i = 0; i < node.allOf.length; i++) {
        const found = this.propertyOwner(this.deref(`${ptr}/allOf/${i}`), name);
        if (found) return found;
      }
    }
    return undefined;
  }

  /** Follows the `$ref` chain from a pointer to the node it stands for (its pointer). */
  deref(ptr: string): string {
    let current = ptr;
    for (let guard = 0; guard < 32; guard++) {
      const node = getAt(this.doc, current);
      if (!isMap(node) || typeof node.$ref !== 'string') return current;
      current = node.$ref.replace(/^#/, '');
    }
    return current;
  }
}

/** anyOf/oneOf wrappers (from x-nullable $refs) repeat their members' errors: keep the specific ones. */
function isCompositeNoise(e: ErrorObject): boolean {
  if (e.keyword === 'anyOf' || e.keyword === 'oneOf' || e.keyword === 'if') return true;
  return e.keyword === 'type' && e.params.type === 'null' && /\/anyOf\/\d+\/type$/.test(e.schemaPath);
}

function dedupe(issues: SchemaIssue[]): SchemaIssue[] {
  const seen = new Set<string>();
  return issues.filter((i) => {
    const key = `${i.keyword}|${i.dataPath}|${i.schemaPath}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The repository root (where the generated apiDefinition.swagger.json and apiProperties.json live). */
export const PROJECT_ROOT = path.resolve(__dirname, '..');

/** Loads the project's own generated definition and properties from the repository root. */
export function loadProjectDefinition(root: string = PROJECT_ROOT, scriptCursors: readonly ScriptCursor[] = []): ContractDefinition {
  return ContractDefinition.load(path.join(root, 'apiDefinition.swagger.json'), path.join(root, 'apiProperties.json')).declareScriptCursors(scriptCursors);
}
