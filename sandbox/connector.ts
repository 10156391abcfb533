/**
 * One connector as the sandbox runs it: its definition and properties (read through the contract
 * harness's ContractDefinition, which indexes operations, polling policies and event schemas) and,
 * optionally, its custom code. The same class serves this project's connector and the production
 * 1.0 baseline (which has no script), so both run through the same gateway and runtime.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ContractDefinition, type Json, type OperationInfo, type SchemaIssue } from '../lib/definition';
import { apiKeyHeader, buildRequest, notificationUrlProperty } from '../lib/request';

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
  /** Header parameters and content-type (lower-case names; no API key). */
  headers: Record<string, string>;
  body: string | null;
}

export class SandboxConnector {
  readonly contract: ContractDefinition;
  /** The definition's `info.title` (the brand's connector name). */
  readonly title: string;
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
    const info = definition.info as JsonMap | undefined;
    this.title = typeof info?.title === 'string' ? info.title : label;
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
   * Builds the call the platform makes for `inputs` (by parameter name; `body` for the body) with
   * the contract harness's request builder, so the sandbox and the replay send the same requests:
   * internal and required parameters get their default, optional ones are sent only when given,
   * header parameters, collectionFormat and x-ms-url-encoding are honoured. A webhook trigger's
   * `callbackUrl` goes into its x-ms-notification-url property (at any depth of the body). `omit`
   * leaves parameters out (the polling state on the first poll). The API key header is left to
   * the gateway, which sends the connection's key.
   */
  buildCall(operationId: string, inputs: Record<string, unknown>, options: { callbackUrl?: string; omit?: readonly string[] } = {}): OperationCall {
    const op = this.operation(operationId);
    if (options.callbackUrl !== undefined && !notificationUrlProperty(this.contract, op)) {
      throw new Error(`${this.label}: ${operationId} has no body property marked x-ms-notification-url`);
    }
    const { request, problems } = buildRequest(this.contract, op, inputs as JsonMap, options);
    const missingPath = problems.find((p) => op.parameters.some(({ parameter }) => parameter.in === 'path' && parameter.required && parameter.name === p.input && p.actual === undefined));
    if (missingPath) throw new Error(`${operationId}: path parameter "${missingPath.input}" is required`);
    // A value beyond its declared format's range (an id beyond int32 for Dial's contactID) is never sent as another number.
    const outOfRange = problems.find((p) => p.outOfRange);
    if (outOfRange) throw new Error(`${operationId}: ${outOfRange.message}: the platform cannot send it as the declared type, so nothing was sent`);
    const headers = { ...request.headers };
    const keyHeader = apiKeyHeader(this.contract);
    if (keyHeader) delete headers[keyHeader];
    // buildRequest joins the base path; the connection URL already stands for the connector's root.
    const root = this.contract.fullPath('').replace(/\/+$/, '');
    const qs = new URLSearchParams(request.query).toString();
    return { method: request.method, path: request.path.slice(root.length) + (qs ? `?${qs}` : ''), headers, body: request.body === null ? null : JSON.stringify(request.body) };
  }

  /** Validates a webhook event against the trigger's x-ms-notification-content schema. */
  validateEvent(operationId: string, event: Json): SchemaIssue[] {
    const pointer = this.operation(operationId).notificationSchemaPointer;
    if (!pointer) throw new Error(`${this.label}: ${operationId} declares no x-ms-notification-content schema`);
    return this.contract.validate(pointer, event);
  }
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
