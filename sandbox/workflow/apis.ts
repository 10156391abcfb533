/**
 * The connectors a workflow calls, as the runtime sees them: this connector (through the sandbox
 * gateway and script.csx) and local stand-ins for Microsoft's connectors. Both addressing styles
 * land on one operation: Power Automate names it (`operationId` + flattened parameters such as
 * `item/Call ID`), Logic Apps routes to it (`method` + `path` + `queries` + `body`).
 */
import type { JsonValue } from '../../lib/json';

export type Json = JsonValue;

/** One call of an operation, whichever style named it. */
export interface ApiCall {
  operationId: string;
  /** Path and query parameters by name; header parameters too. */
  params: Record<string, Json>;
  /** The body (undefined when none). */
  body?: Json;
}

export interface ApiResult {
  statusCode: number;
  headers: Record<string, string>;
  body: Json;
}

export interface RunEnv {
  /** Virtual time of the run (ms since the epoch). */
  now(): number;
}

export interface ConnectorApi {
  /** The API name flows reference (`excelonlinebusiness`). */
  readonly name: string;
  /** How messages call it (`Excel Online (Business) stand-in`). */
  readonly title: string;
  operationIds(): string[];
  /** The body parameter of an operation (flattened parameters `<name>/...` fill it). */
  bodyParameter(operationId: string): string | undefined;
  /** Non-body parameter names an operation takes. */
  parameterNames(operationId: string): string[];
  /** Logic Apps style: the operation at a method and a (decoded once) path, with its path parameters. */
  route(method: string, path: string): { operationId: string; params: Record<string, string> } | undefined;
  invoke(call: ApiCall, env: RunEnv): Promise<ApiResult>;
  /** `x-ms-pageable` of an operation: where its pages hold the next link and the items (the designer offers Pagination on it). */
  pagination?(operationId: string): { nextLinkName: string; itemName: string } | undefined;
  /** GET a next link as the platform's Pagination does. */
  follow?(link: string, env: RunEnv): Promise<ApiResult>;
  /** What it produced, for summaries (`rows`, `messages`, `mails`). */
  produced?(): { label: string; count: number } | undefined;
  close?(): Promise<void>;
}

/** An operation of a stand-in: its route as the platform publishes it, and what it does locally. */
export interface StandInOperation {
  operationId: string;
  method: string;
  /** Path template, e.g. `/drives/{drive}/files/{file}/tables/{table}/items`. */
  path: string;
  query?: string[];
  /** The body parameter's name (`item`, `body`, `emailMessage`). */
  body?: string;
  /** Path parameters the platform encodes twice (x-ms-url-encoding: double). */
  doubleEncoded?: string[];
  run(call: ApiCall, env: RunEnv): Promise<ApiResult> | ApiResult;
}

export class ActionFailure extends Error {
  override name = 'ActionFailure';
  constructor(readonly statusCode: number, message: string) {
    super(message);
  }
}

export class StandInApi implements ConnectorApi {
  constructor(
    readonly name: string,
    readonly title: string,
    private readonly operations: StandInOperation[],
    private readonly hooks: { produced?: () => { label: string; count: number }; close?: () => Promise<void> } = {},
  ) {}

  private op(operationId: string): StandInOperation | undefined {
    return this.operations.find((o) => o.operationId === operationId);
  }

  operationIds(): string[] {
    return this.operations.map((o) => o.operationId);
  }

  bodyParameter(operationId: string): string | undefined {
    return this.op(operationId)?.body;
  }

  parameterNames(operationId: string): string[] {
    const op = this.op(operationId);
    if (!op) return [];
    return [...[...op.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]), ...(op.query ?? [])];
  }

  route(method: string, path: string): { operationId: string; params: Record<string, string> } | undefined {
    for (const op of this.operations) {
      if (op.method.toUpperCase() !== method.toUpperCase()) continue;
      const names: string[] = [];
      const source = op.path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{([^}]+)\}/g, (_, n: string) => (names.push(n), '([^/]+)'));
      const m = new RegExp(`^${source}/?$`).exec(path);
      if (!m) continue;
      const params: Record<string, string> = {};
      names.forEach((n, i) => {
        const once = decodeURIComponent(m[i + 1]);
        params[n] = op.doubleEncoded?.includes(n) ? decodeURIComponent(once) : once;
      });
      return { operationId: op.operationId, params };
    }
    return undefined;
  }

  async invoke(call: ApiCall, env: RunEnv): Promise<ApiResult> {
    const op = this.op(call.operationId);
    if (!op) throw new ActionFailure(404, `${this.title} has no operation "${call.operationId}"`);
    return op.run(call, env);
  }

  produced(): { label: string; count: number } | undefined {
    return this.hooks.produced?.();
  }

  async close(): Promise<void> {
    await this.hooks.close?.();
  }
}

/** A value the designer leaves for the maker to pick binds to the stand-in's one resource. */
export const PICK_IN_DESIGNER = /^PICK-IN-DESIGNER/;

export function ok(body: Json, statusCode = 200): ApiResult {
  return { statusCode, headers: { 'content-type': 'application/json' }, body };
}
