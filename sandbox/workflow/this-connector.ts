/**
 * This connector as a workflow's API: its operations come from the definition, and every call
 * goes to the sandbox gateway's connection URL, so the gateway, its throttle and script.csx run as
 * they do for the platform.
 */
import { parseJson } from '../../lib/json';
import { isTextualMediaType } from '../../lib/media-type';
import { notificationUrlProperty } from '../../lib/request';
import type { SandboxConnector } from '../connector';
import { send, type HttpResponse } from '../http';
import { ActionFailure, type ApiCall, type ApiResult, type ConnectorApi, type Json } from './apis';

export class ThisConnectorApi implements ConnectorApi {
  constructor(
    readonly name: string,
    private readonly connector: SandboxConnector,
    private readonly connectionUrl: string,
  ) {}

  get title(): string {
    return `${this.connector.label} (through the sandbox gateway)`;
  }

  operationIds(): string[] {
    return [...this.connector.contract.operations.keys()];
  }

  bodyParameter(operationId: string): string | undefined {
    return this.connector.contract.operation(operationId)?.parameters.find((p) => p.parameter.in === 'body')?.parameter.name;
  }

  parameterNames(operationId: string): string[] {
    return (this.connector.contract.operation(operationId)?.parameters ?? []).filter((p) => p.parameter.in !== 'body').map((p) => p.parameter.name);
  }

  route(method: string, path: string): { operationId: string; params: Record<string, string> } | undefined {
    const m = this.connector.match(method, path);
    return m && { operationId: m.operation.operationId, params: m.pathParams };
  }

  /** The trigger kind of an operation (`single` webhook, `batch` polling), if it is one. */
  trigger(operationId: string): 'single' | 'batch' | undefined {
    return this.connector.contract.operation(operationId)?.trigger;
  }

  /** Where the body carries the callback URL of a webhook trigger (raw property names). */
  notificationPath(operationId: string): string[] | undefined {
    const op = this.connector.contract.operation(operationId);
    return op && notificationUrlProperty(this.connector.contract, op)?.path;
  }

  pagination(operationId: string): { nextLinkName: string; itemName: string } | undefined {
    return this.connector.contract.operation(operationId)?.pageable;
  }

  /**
   * The next page of a pageable operation: its link is the connector's own URL (script.csx builds it from
   * OriginalRequestUri), so the GET goes through the gateway and script.csx again. (Whether the platform sends it
   * through the connection or straight to the URL is unconfirmed: PowerPlatformConnectors#2959.)
   */
  async follow(link: string): Promise<ApiResult> {
    if (!link.startsWith(`${this.connectionUrl}/`)) throw new ActionFailure(502, `the next link ${link} does not lead back through this connection (${this.connectionUrl})`);
    return this.answer('next page', await send({ method: 'GET', url: link, headers: {}, body: null }));
  }

  async invoke(call: ApiCall): Promise<ApiResult> {
    const inputs: Record<string, unknown> = { ...call.params };
    if (call.body !== undefined) inputs.body = call.body;
    let built;
    try {
      built = this.connector.buildCall(call.operationId, inputs);
    } catch (e) {
      throw new ActionFailure(400, (e as Error).message);
    }
    return this.answer(call.operationId, await send({ method: built.method, url: this.connectionUrl + built.path, headers: built.headers, body: built.body }));
  }

  private answer(what: string, res: HttpResponse): ApiResult {
    const type = res.headers['content-type'];
    if (res.status < 400 && !isTextualMediaType(type)) {
      // A file (GetRecordingFile): the platform's form of binary content in a run, which file actions take as it is.
      return { statusCode: res.status, headers: res.headers, body: { '$content-type': type ?? 'application/octet-stream', $content: (res.bytes ?? Buffer.from(res.body)).toString('base64') } };
    }
    // Ids beyond 2^53 stay whole (as their digits): the platform's .NET JSON keeps big integers exact (unconfirmed).
    const parsed = parseJson(res.body, { exactIntegers: true });
    const body: Json = parsed.ok ? parsed.value : res.body;
    if (res.status >= 400) {
      const message = parsed.ok && parsed.value && typeof parsed.value === 'object' && !Array.isArray(parsed.value) && typeof parsed.value.message === 'string' ? parsed.value.message : res.body.slice(0, 200);
      throw new ActionFailure(res.status, `${what} answered ${res.status}: ${message}`);
    }
    return { statusCode: res.status, headers: res.headers, body };
  }
}
