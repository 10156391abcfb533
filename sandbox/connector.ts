/**
 * One connector as the sandbox runs it: its definition and properties (read through the contract
 * harness's ContractDefinition, which indexes operations, polling policies and event schemas) and,
 * optionally, its custom code. The same class serves this project's connector and the production
 * 1.0 baseline (which has no script), so both run through the same gateway and runtime.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ContractDefinition, getAt, type Json, type OperationInfo, type SchemaIssue } from '../contract/definition';

type JsonMap = { [key: string]: Json };

export interface Route {
  operation: OperationInfo;
  pattern: RegExp;
  /** Path template parameter names, in order. */
  names: string[];
  /** Literal routes win over templated ones (`/webhooks/CallStarted` before `/webhooks/{webhook_id}`). */
  templated: number;
}

export interface RouteMatch {
  operation: OperationInfo;
  pathParams: Record<string, string>;
}

/** A request the platform would build for an operation from the flow's inputs. */
export interface OperationCall {
  method: string;
  /** Relative to the connector's root (base path excluded), with the query string. */
  path: string;
  body: string | null;
}

export class SandboxConnector {
  readonly contract: ContractDefinition;
  readonly scriptOperations: ReadonlySet<string>;
  private readonly routes: Route[];

  constructor(
    readonly label: string,
    definition: JsonMap,
    properties: JsonMap,
    /** Absolute path of script.csx, when the connector has custom code. */
    readonly scriptPath?: string,
  ) {
    this.contract = new ContractDefinition(definition, properties);
    const props = properties.properties as JsonMap | undefined;
    const ops = props && Array.isArray(props.scriptOperations) ? props.scriptOperations : [];
    this.scriptOperations = new Set(scriptPath ? ops.filter((o): o is string => typeof o === 'string') : []);
    this.routes = [...this.contract.operations.values()].map(toRoute).sort((a, b) => a.templated - b.templated);
  }

  /**
   * Reads `apiDefinition.swagger.json`, `apiProperties.json` and (when `withScript` and present)
   * `script.csx` from a folder.
   */
  static fromFolder(folder: string, label: string, options: { withScript?: boolean } = {}): SandboxConnector {
    const read = (name: string): JsonMap => JSON.parse(fs.readFileSync(path.join(folder, name), 'utf8')) as JsonMap;
    const script = path.join(folder, 'script.csx');
    const withScript = options.withScript !== false && fs.existsSync(script);
    return new SandboxConnector(label, read('apiDefinition.swagger.json'), read('apiProperties.json'), withScript ? path.resolve(script) : undefined);
  }

  get hasScript(): boolean {
    return this.scriptPath !== undefined;
  }

  operation(operationId: string): OperationInfo {
    const op = this.contract.operation(operationId);
    if (!op) throw new Error(`${this.label}: the definition has no operation "${operationId}"`);
    return op;
  }

  operationsOfKind(kind: 'batch' | 'single'): OperationInfo[] {
    return [...this.contract.operations.values()].filter((o) => o.trigger === kind);
  }

  /** Matches a method and a path relative to the connector root (e.g. `/webhooks/57`). */
  match(method: string, relativePath: string): RouteMatch | undefined {
    for (const route of this.routes) {
      if (route.operation.method !== method.toUpperCase()) continue;
      const m = route.pattern.exec(relativePath);
      if (!m) continue;
      const pathParams: Record<string, string> = {};
      route.names.forEach((name, i) => (pathParams[name] = decodeURIComponent(m[i + 1])));
      return { operation: route.operation, pathParams };
    }
    return undefined;
  }

  /**
   * Builds the call the platform makes for `inputs` (by parameter name; `body` for the body), as
   * the designer would: required internal parameters get their default, optional ones are sent
   * only when given. `omit` leaves parameters out (the polling state on the first poll).
   */
  buildCall(operationId: string, inputs: Record<string, unknown>, omit: readonly string[] = []): OperationCall {
    const op = this.operation(operationId);
    let p = op.pathTemplate;
    const query = new URLSearchParams();
    let body: string | null = null;
    for (const { parameter } of op.parameters) {
      if (omit.includes(parameter.name)) continue;
      const given = parameter.in === 'body' ? inputs.body : inputs[parameter.name];
      const value = given !== undefined ? given : parameter.required && parameter.default !== undefined ? parameter.default : undefined;
      if (value === undefined || value === null) {
        if (parameter.required && parameter.in === 'path') throw new Error(`${operationId}: path parameter "${parameter.name}" is required`);
        continue;
      }
      if (parameter.in === 'path') p = p.replace(`{${parameter.name}}`, encodeURIComponent(String(value)));
      else if (parameter.in === 'query') query.set(parameter.name, String(value));
      else if (parameter.in === 'body') body = JSON.stringify(value);
    }
    const qs = query.toString();
    return { method: op.method, path: p + (qs ? `?${qs}` : ''), body };
  }

  /** The body property marked `x-ms-notification-url` of a webhook trigger (e.g. `endpoint`). */
  notificationUrlProperty(operationId: string): string {
    const op = this.operation(operationId);
    const body = op.parameters.find((r) => r.parameter.in === 'body');
    let schema = body?.parameter.schema as Json | undefined;
    for (let guard = 0; guard < 8 && isMap(schema) && typeof schema.$ref === 'string'; guard++) schema = getAt(this.contract.doc, schema.$ref.replace(/^#/, ''));
    const props = isMap(schema) && isMap(schema.properties) ? schema.properties : {};
    const found = Object.entries(props).find(([, s]) => isMap(s) && s['x-ms-notification-url'] === true);
    if (!found) throw new Error(`${this.label}: ${operationId} has no body property marked x-ms-notification-url`);
    return found[0];
  }

  /** Validates a webhook event against the trigger's x-ms-notification-content schema. */
  validateEvent(operationId: string, event: Json): SchemaIssue[] {
    const pointer = this.operation(operationId).notificationSchemaPointer;
    if (!pointer) throw new Error(`${this.label}: ${operationId} declares no x-ms-notification-content schema`);
    return this.contract.validate(pointer, event);
  }
}

function isMap(v: unknown): v is JsonMap {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function toRoute(operation: OperationInfo): Route {
  const names: string[] = [];
  const source = operation.pathTemplate
    .replace(/\/+$/, '')
    .split('/')
    .map((segment) =>
      segment.replace(/\{([^}]+)\}|([^{]+)/g, (_, name: string | undefined, literal: string | undefined) => {
        if (name !== undefined) {
          names.push(name);
          return '([^/]+)';
        }
        return (literal ?? '').replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      }),
    )
    .join('/');
  return { operation, pattern: new RegExp(`^${source}/?$`), names, templated: names.length };
}
