/**
 * A read-only view of one connector folder (definition, properties, optional script) that the
 * rules query. It knows Swagger 2.0 structure: operations, parameters (path-level and
 * `#/parameters` references), responses, and schemas reached through local `$ref`s, and it
 * always reports the pointer where a node really lives so findings land on the line to fix.
 */
import { derefChain, escapePointerToken, isObject, pointer, resolveLocalRef, type JsonObject } from '../lib/json-pointer';

export { isObject, type JsonObject } from '../lib/json-pointer';

export const DEFINITION_FILE = 'apiDefinition.swagger.json';
export const PROPERTIES_FILE = 'apiProperties.json';
export const SCRIPT_FILE = 'script.csx';

export interface ConnectorFiles {
  /** Parsed apiDefinition.swagger.json. */
  definition: unknown;
  /** Size of apiDefinition.swagger.json in bytes (defaults to the size of its compact JSON). */
  definitionBytes?: number;
  /** Parsed apiProperties.json, when the folder has one. */
  properties?: unknown;
  /** Text of script.csx, when the folder has one. */
  script?: string;
}

export const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch'] as const;

export interface OperationRef {
  path: string;
  method: string;
  operation: JsonObject;
  pathItem: JsonObject;
  /** Pointer to the operation object, e.g. `/paths/~1dial/post`. */
  pointer: string;
  operationId: string | undefined;
}

export interface Located<T = JsonObject> {
  node: T;
  pointer: string;
}

export interface ResponseRef extends Located {
  code: string;
}

/** What a schema walk knows about the node it visits. */
export interface SchemaVisit {
  node: JsonObject;
  pointer: string;
  /** Property name when the node is the value of a `properties` entry. */
  propertyName?: string;
  /** Whether the parent object lists this property in `required`. */
  requiredByParent?: boolean;
  /** The parent schema (resolved), when any. */
  parent?: JsonObject;
  /** Names of the properties from the walk's root to here (array items add nothing). */
  propertyPath: string[];
  /** The nodes from the walk's root down to the parent, outermost first. */
  ancestors: SchemaVisit[];
}

export function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

export class Connector {
  readonly doc: JsonObject;
  readonly properties: JsonObject | undefined;
  /** apiProperties.json as parsed, whatever it holds (undefined only when the folder has none). */
  readonly propertiesFile: unknown;
  readonly script: string | undefined;
  readonly definitionBytes: number;
  private operationCache: OperationRef[] | undefined;
  private parameterCache = new Map<OperationRef, Located[]>();
  private memo = new Map<string, unknown>();

  constructor(files: ConnectorFiles) {
    this.doc = isObject(files.definition) ? files.definition : {};
    this.properties = isObject(files.properties) ? files.properties : undefined;
    this.propertiesFile = files.properties;
    this.script = files.script;
    this.definitionBytes = files.definitionBytes ?? Buffer.byteLength(JSON.stringify(files.definition ?? null));
  }

  /** `properties` object of apiProperties.json. */
  get apiProperties(): JsonObject | undefined {
    const inner = this.properties?.properties;
    return isObject(inner) ? inner : undefined;
  }

  operations(): OperationRef[] {
    if (this.operationCache) return this.operationCache;
    const result: OperationRef[] = [];
    const paths = this.doc.paths;
    if (isObject(paths)) {
      for (const [path, pathItem] of Object.entries(paths)) {
        if (!isObject(pathItem)) continue;
        for (const method of HTTP_METHODS) {
          const operation = pathItem[method];
          if (!isObject(operation)) continue;
          result.push({
            path,
            method,
            operation,
            pathItem,
            pointer: pointer('paths', path, method),
            operationId: str(operation.operationId),
          });
        }
      }
    }
    this.operationCache = result;
    return result;
  }

  operationIds(): Set<string> {
    return new Set(this.operations().flatMap((op) => (op.operationId ? [op.operationId] : [])));
  }

  /** Resolves a local reference (`#/...`); undefined when it is not local or points nowhere. */
  resolveRef(ref: string): Located<unknown> | undefined {
    return resolveLocalRef(this.doc, ref);
  }

  /**
   * Follows `$ref` chains from a node to the object it stands for. Returns undefined for a
   * broken or cyclic chain (the reference rules report those).
   */
  deref(node: unknown, ptr: string): Located | undefined {
    return derefChain(this.doc, node, ptr);
  }

  /** Computes a value once per connector (traversals shared by several rules). */
  memoize<T>(key: string, compute: () => T): T {
    if (!this.memo.has(key)) this.memo.set(key, compute());
    return this.memo.get(key) as T;
  }

  /** Effective parameters of an operation: path-level ones overridden by operation-level ones. */
  parameters(op: OperationRef): Located[] {
    const cached = this.parameterCache.get(op);
    if (cached) return cached;
    const byKey = new Map<string, Located>();
    const collect = (list: unknown, base: string): void => {
      if (!Array.isArray(list)) return;
      list.forEach((raw, index) => {
        const found = this.deref(raw, `${base}/${index}`);
        if (!found) return;
        byKey.set(`${str(found.node.in)}:${str(found.node.name)}`, found);
      });
    };
    collect(op.pathItem.parameters, pointer('paths', op.path, 'parameters'));
    collect(op.operation.parameters, `${op.pointer}/parameters`);
    const result = [...byKey.values()];
    this.parameterCache.set(op, result);
    return result;
  }

  responses(op: OperationRef): ResponseRef[] {
    const responses = op.operation.responses;
    if (!isObject(responses)) return [];
    const result: ResponseRef[] = [];
    for (const [code, raw] of Object.entries(responses)) {
      const found = this.deref(raw, `${op.pointer}/responses/${code}`);
      if (found) result.push({ code, ...found });
    }
    return result;
  }

  successResponses(op: OperationRef): ResponseRef[] {
    return this.responses(op).filter((r) => /^2\d\d$/.test(r.code));
  }

  /** Operations marked as triggers, with their kind. */
  triggerKind(op: OperationRef): 'batch' | 'single' | undefined {
    const kind = op.operation['x-ms-trigger'];
    return kind === 'batch' || kind === 'single' ? kind : undefined;
  }

  /**
   * Webhook subscribe operations: `x-ms-trigger: single` on a POST, or beside `x-ms-notification-content`.
   * A GET marked `single` is a polling trigger that returns one item, not a webhook.
   */
  webhookOperations(): OperationRef[] {
    return this.operations().filter((op) => this.triggerKind(op) === 'single' && (op.method === 'post' || op.pathItem['x-ms-notification-content'] !== undefined));
  }

  /** The `x-ms-notification-content` of a webhook operation's path item. */
  notificationContent(op: OperationRef): Located | undefined {
    const content = op.pathItem['x-ms-notification-content'];
    return isObject(content) ? { node: content, pointer: pointer('paths', op.path, 'x-ms-notification-content') } : undefined;
  }

  /**
   * Output schemas of an operation: the schema of each success response, plus the
   * notification content for webhooks (what the designer shows as outputs).
   */
  outputSchemas(op: OperationRef): Located<unknown>[] {
    const schemas: Located<unknown>[] = [];
    for (const response of this.successResponses(op)) {
      if (response.node.schema !== undefined) schemas.push({ node: response.node.schema, pointer: `${response.pointer}/schema` });
    }
    const content = this.notificationContent(op);
    if (content && content.node.schema !== undefined) schemas.push({ node: content.node.schema, pointer: `${content.pointer}/schema` });
    return schemas;
  }

  /** Body parameter schemas of an operation (input schemas). */
  bodySchemas(op: OperationRef): Located<unknown>[] {
    return this.parameters(op)
      .filter((p) => p.node.in === 'body' && p.node.schema !== undefined)
      .map((p) => ({ node: p.node.schema, pointer: `${p.pointer}/schema` }));
  }

  /**
   * Depth-first walk over a schema, following local `$ref`s (each reported at its real
   * location) and stopping at cycles. The visitor returns false to skip a node's children.
   * Walked with an explicit stack, not recursion: a chain of thousands of `$ref`s (or a schema
   * nested as deep as the reader allows) costs memory, never the call stack.
   */
  walkSchema(schema: unknown, ptr: string, visit: (v: SchemaVisit) => boolean | void): void {
    type Context = Omit<SchemaVisit, 'node' | 'pointer'>;
    const stack: Array<{ raw: unknown; rawPtr: string; ctx: Context }> = [{ raw: schema, rawPtr: ptr, ctx: { propertyPath: [], ancestors: [] } }];
    while (stack.length > 0) {
      const { raw, rawPtr, ctx } = stack.pop()!;
      const found = this.deref(raw, rawPtr);
      if (!found || ctx.ancestors.some((a) => a.pointer === found.pointer)) continue;
      const current: SchemaVisit = { node: found.node, pointer: found.pointer, ...ctx };
      if (visit(current) === false) continue;
      const { node, pointer: at } = current;
      const ancestors = [...ctx.ancestors, current];
      const child = (extra: Partial<Context> = {}): Context => ({ parent: node, propertyPath: ctx.propertyPath, ancestors, ...extra });
      const required = Array.isArray(node.required) ? node.required : [];
      // Children in visiting order: properties, items, additionalProperties, allOf parts (pushed reversed).
      const children: Array<{ raw: unknown; rawPtr: string; ctx: Context }> = [];
      if (isObject(node.properties)) {
        for (const [name, value] of Object.entries(node.properties)) {
          children.push({ raw: value, rawPtr: `${at}/properties/${escapePointerToken(name)}`, ctx: child({
            propertyName: name,
            requiredByParent: required.includes(name),
            propertyPath: [...ctx.propertyPath, name],
          }) });
        }
      }
      if (node.items !== undefined && !Array.isArray(node.items)) children.push({ raw: node.items, rawPtr: `${at}/items`, ctx: child() });
      if (isObject(node.additionalProperties)) children.push({ raw: node.additionalProperties, rawPtr: `${at}/additionalProperties`, ctx: child() });
      if (Array.isArray(node.allOf)) node.allOf.forEach((part, i) => children.push({ raw: part, rawPtr: `${at}/allOf/${i}`, ctx: child() }));
      for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]);
    }
  }
}

/**
 * The template id of a policy instance, lower-cased: the platform matches template ids without
 * regard to case (Microsoft's own connectors write `dynamicHostUrl`, `SetProperty`,
 * `setQueryParameter`), and paconn's schema types `templateId` as any non-empty string.
 */
export function policyTemplateId(policy: unknown): string | undefined {
  return isObject(policy) && typeof policy.templateId === 'string' ? policy.templateId.toLowerCase() : undefined;
}

/** The policy instances of apiProperties.json (`properties.policyTemplateInstances`), whatever they hold. */
export function policyInstances(properties: unknown): unknown[] {
  const inner = isObject(properties) && isObject(properties.properties) ? properties.properties : undefined;
  return inner && Array.isArray(inner.policyTemplateInstances) ? inner.policyTemplateInstances : [];
}

/** Lowercase letters and digits only: "Call ID", "call_id" and "callID" all become "callid". */
export function normalizeWords(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]/g, '');
}
