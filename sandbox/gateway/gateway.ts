/**
 * The connector gateway: the connector's own URL space, as the platform exposes a custom connector
 * (`<origin>/apim/<api name>/<connectionId>/<operation path>`). For each call it
 * 1. matches the method and path to an operation of the definition (404 otherwise);
 * 2. applies the platform's throttle, documentedLimits.callsPerConnection calls per connection per
 *    documentedLimits.renewalSeconds (100 per 60 s; 429 + Retry-After);
 * 3. builds the backend request as the platform does: `https://<host of the definition><basePath>` + the
 *    same path and query, the operation's header parameters, the connection's `api_key` value as the
 *    Authorization header, unchanged;
 * 4. runs script.csx through the Mono host for the operations listed in `scriptOperations`, with
 *    OriginalRequestUri = the gateway URL that was called, every Context.SendAsync going out through
 *    the sandbox's network; otherwise forwards the request itself.
 *    The network: the definition's host (and `hosts`, e.g. the storage host of recording links) resolve
 *    to local servers on 127.0.0.1 over plain HTTP, the URL's scheme passed on as `x-forwarded-proto`
 *    (as a TLS-terminating proxy does), the host as `host`. So the script sees the URLs it sees in
 *    production (an `https://` PBX), and the mock can tell what came over which scheme. Any other host
 *    fails like an unknown name: the sandbox has no internet;
 * 5. only for connectors that declare a `pollingtrigger` policy (the 1.0 baseline): applies it to
 *    the response. A connector whose custom code answers the polling protocol (this one since 1.1) gets
 *    its 202/200, Location and Retry-After passed through untouched: the gateway only answers.
 */
import { randomUUID } from 'crypto';
import { documentedLimits } from '../../connector/model/limits';
import { ScriptExecutionError, type ScriptHost } from '../../script-host/host';
import type { SandboxConnector } from '../connector';
import { send, serve, TransportError, type HeaderMap, type HttpResponse, type IncomingRequest, type RunningServer } from '../http';
import { applyPollingPolicy } from './polling-policy';
import { isTextualMediaType } from '../../lib/media-type';
import { SlidingWindowLimiter } from './rate-limit';

/** The API name in the connector's URL space (`/apim/<name>/…`): its title in lower case, hyphenated. */
export function apiNameOf(connector: SandboxConnector): string {
  return connector.title.trim().toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'connector';
}

/** The platform's throttle on this connector, as documented. */
export const DEFAULT_RATE_LIMIT = { calls: documentedLimits.callsPerConnection, windowMs: documentedLimits.renewalSeconds * 1000 } as const;

export interface Connection {
  /** The `api_key` connection parameter exactly as the maker typed it (with or without "Bearer "). */
  apiKey: string;
}

export interface GatewayOptions {
  connector: SandboxConnector;
  /** Where the PBX (the definition's host) listens: its base URL, e.g. `http://127.0.0.1:4100/api/v2/`. */
  backendBaseUrl: string;
  /** Other hosts of the sandbox's network, by name: their local origin (`http://127.0.0.1:4100`). */
  hosts?: Record<string, string>;
  now: () => number;
  /** Started script host (shared by the caller); required when the connector has custom code. */
  scriptHost?: ScriptHost;
  /** The platform's throttle; default documentedLimits (100 calls per 60 s per connection). */
  rateLimit?: { calls: number; windowMs: number };
  /** Retry-After the polling policy sends (seconds). */
  pollRetryAfterSeconds?: number;
  apiName?: string;
  log?: (entry: GatewayLogEntry) => void;
}

export interface GatewayLogEntry {
  at: number;
  connectionId: string;
  operationId: string | null;
  method: string;
  path: string;
  status: number;
  note?: string;
}

export interface GatewayStats {
  requests: number;
  throttled: number;
  scriptRuns: number;
  /** Time spent inside the script host per run (backend waits excluded), ms. */
  scriptHostMs: number[];
  /**
   * Wall time of each script run, PBX waits included, cold start excluded (ms). A run the platform's
   * limit cut counts as that limit (it did not answer within it), so a slow PBX cannot hide there.
   */
  scriptWallMs: number[];
  /** Cold starts waited for (ms), reported apart. */
  coldStartMs: number[];
  /** Script runs that had not answered within the platform's time limit (the call failed). */
  scriptTimeouts: number;
  /** Items the polling policy handed out (200 answers). */
  polledItems: number;
}

export class Gateway {
  readonly stats: GatewayStats = { requests: 0, throttled: 0, scriptRuns: 0, scriptHostMs: [], scriptWallMs: [], coldStartMs: [], scriptTimeouts: 0, polledItems: 0 };
  private readonly connections = new Map<string, Connection>();
  private readonly limiter: SlidingWindowLimiter;
  private server: RunningServer | undefined;
  readonly apiName: string;
  /** When set, the next backend calls fail like a dropped connection (tests of robustness). */
  dropNextBackendCalls = 0;
  /** Policy templates of apiProperties.json the sandbox does not implement (only pollingtrigger is). */
  readonly unsupportedPolicies: string[];

  constructor(private options: GatewayOptions) {
    const limit = options.rateLimit ?? DEFAULT_RATE_LIMIT;
    this.limiter = new SlidingWindowLimiter(limit.calls, limit.windowMs, options.now);
    this.apiName = options.apiName ?? apiNameOf(options.connector);
    this.unsupportedPolicies = options.connector.contract.policyTemplates.filter((t) => t !== 'pollingtrigger');
    if (this.unsupportedPolicies.length > 0) {
      process.emitWarning(`${options.connector.label}: the sandbox gateway ignores policy templates ${this.unsupportedPolicies.join(', ')}`);
    }
    if (options.connector.hasScript && !options.scriptHost) {
      throw new Error(`${options.connector.label}: the connector has custom code; pass a started ScriptHost (or load it without the script)`);
    }
  }

  get connector(): SandboxConnector {
    return this.options.connector;
  }

  /**
   * A connector update (e.g. `paconn update` from 1.0 to 1.1): later calls run the new definition,
   * properties and script; connections and the throttle's window stay.
   */
  replaceConnector(connector: SandboxConnector, scriptHost?: ScriptHost): void {
    if (connector.hasScript && !(scriptHost ?? this.options.scriptHost)) throw new Error(`${connector.label}: the connector has custom code; pass a started ScriptHost`);
    this.options = { ...this.options, connector, scriptHost: scriptHost ?? this.options.scriptHost };
  }

  async start(): Promise<void> {
    this.server ??= await serve((req) => this.handle(req));
  }

  async stop(): Promise<void> {
    await this.server?.stop();
    this.server = undefined;
  }

  /** Closes the platform's kept-alive connections waiting for a next call, as the server's idle timeout does. */
  closeIdleConnections(): void {
    this.server?.closeIdleConnections();
  }

  get origin(): string {
    if (!this.server) throw new Error('gateway not started');
    return this.server.origin;
  }

  /** Adds a connection; returns its root URL (`…/apim/<api name>/<id>`). */
  addConnection(connection: Connection, id: string = randomUUID().replace(/-/g, '')): { id: string; url: string } {
    this.connections.set(id, connection);
    return { id, url: this.connectionUrl(id) };
  }

  connectionUrl(id: string): string {
    return `${this.origin}/apim/${this.apiName}/${id}`;
  }

  private record(entry: Omit<GatewayLogEntry, 'at'>): void {
    this.options.log?.({ at: this.options.now(), ...entry });
  }

  async handle(req: IncomingRequest): Promise<HttpResponse> {
    const prefix = `/apim/${this.apiName}/`;
    const pathname = req.url.pathname;
    if (!pathname.startsWith(prefix)) return platformError(404, 'NotFound', `No connector at ${pathname}; connector URLs start with ${prefix}<connectionId>/.`);
    const rest = pathname.slice(prefix.length);
    const slash = rest.indexOf('/');
    const connectionId = slash < 0 ? rest : rest.slice(0, slash);
    const relativePath = slash < 0 ? '/' : rest.slice(slash);
    const connection = this.connections.get(connectionId);
    if (!connection) return platformError(404, 'ConnectionNotFound', `Connection "${connectionId}" does not exist.`);

    const match = this.connector.match(req.method, relativePath);
    if (!match) {
      this.record({ connectionId, operationId: null, method: req.method, path: relativePath, status: 404 });
      return platformError(404, 'OperationNotFound', `No operation of ${this.connector.label} matches ${req.method} ${relativePath}.`);
    }
    const op = match.operation;
    this.stats.requests++;
    const decision = this.limiter.take(connectionId);
    if (!decision.allowed) {
      this.stats.throttled++;
      this.record({ connectionId, operationId: op.operationId, method: req.method, path: relativePath, status: 429 });
      return {
        status: 429,
        headers: { 'content-type': 'application/json', 'retry-after': String(decision.retryAfterSeconds) },
        body: JSON.stringify({ statusCode: 429, message: `Rate limit is exceeded. Try again in ${decision.retryAfterSeconds} seconds.` }),
      };
    }

    // Policy emulation (declared policies only): a request without the state parameter is the trigger's first call.
    const policy = op.polling?.declaredBy === 'policy' ? op.polling : undefined;
    const query = new URLSearchParams(req.url.search);
    let firstCall = false;
    let currentState = '';
    if (policy) {
      const declared = op.parameters.find((p) => p.parameter.name === policy.parameter)?.parameter.default;
      firstCall = !query.has(policy.parameter);
      currentState = query.get(policy.parameter) ?? String(declared ?? 0);
      query.set(policy.parameter, currentState);
    }

    const qs = query.toString();
    // The URL the platform builds from the definition; the network below takes it to the mock PBX.
    const backendUrl = this.connector.contract.origin + this.connector.contract.fullPath(relativePath) + (qs ? `?${qs}` : '');
    const headers: HeaderMap = { authorization: connection.apiKey };
    if (req.headers['content-type']) headers['content-type'] = req.headers['content-type'];
    for (const { parameter } of op.parameters) {
      const name = parameter.name.toLowerCase();
      if (parameter.in === 'header' && name !== 'authorization' && req.headers[name] !== undefined) headers[name] = req.headers[name];
    }
    const body = req.method === 'GET' || req.method === 'DELETE' ? null : req.body;
    const originalUrl = this.origin + req.url.pathname + req.url.search;

    let response: HttpResponse;
    try {
      response = this.connector.scriptOperations.has(op.operationId)
        ? await this.runScript(op.operationId, { method: req.method, url: backendUrl, headers, body }, originalUrl)
        : await this.backend({ method: req.method, url: backendUrl, headers, body });
    } catch (e) {
      if (e instanceof ScriptExecutionError && e.timedOut) {
        // The platform's limit on custom code: the call fails, whatever the script would have answered.
        this.stats.scriptTimeouts++;
        this.stats.scriptRuns++;
        this.stats.scriptWallMs.push(e.timing.limitMs);
        if (e.timing.coldStartMs > 0) this.stats.coldStartMs.push(e.timing.coldStartMs);
        this.record({ connectionId, operationId: op.operationId, method: req.method, path: relativePath, status: 504, note: e.message });
        return platformError(504, 'ScriptTimeout', `The custom code did not finish within the time limit: ${e.message}`);
      }
      const status = e instanceof TransportError ? 502 : 500;
      this.record({ connectionId, operationId: op.operationId, method: req.method, path: relativePath, status, note: (e as Error).message });
      return platformError(status, status === 502 ? 'BadGateway' : 'ScriptError', (e as Error).message);
    }

    if (policy) {
      const outcome = applyPollingPolicy(response, {
        policy,
        requestUrl: new URL(originalUrl),
        firstCall,
        currentState,
        retryAfterSeconds: this.options.pollRetryAfterSeconds ?? 180,
      });
      this.stats.polledItems += outcome.items;
      response = outcome.response;
    }
    this.record({ connectionId, operationId: op.operationId, method: req.method, path: relativePath, status: response.status });
    const passed = passHeaders(response.headers);
    // A file is passed on as its bytes; text as the (possibly rewritten) text.
    return { status: response.status, headers: passed, body: response.body, ...(isTextualMediaType(passed['content-type']) ? {} : { bytes: response.bytes }) };
  }

  /** The local origin a URL's host resolves to in the sandbox's network; a host it does not know fails like an unknown name. */
  private resolve(url: URL): string {
    const host = url.hostname.toLowerCase();
    if (host === this.connector.contract.host.toLowerCase()) return new URL(this.options.backendBaseUrl).origin;
    const known = this.options.hosts?.[host];
    if (known) return known;
    throw new TransportError(url.toString(), new Error(`getaddrinfo ENOTFOUND ${host} (the sandbox's network knows ${[this.connector.contract.host, ...Object.keys(this.options.hosts ?? {})].join(', ')}; it has no internet)`));
  }

  private async backend(request: { method: string; url: string; headers: HeaderMap; body: string | null }): Promise<HttpResponse> {
    if (this.dropNextBackendCalls > 0) {
      this.dropNextBackendCalls--;
      throw new TransportError(request.url, new Error('socket hang up (simulated)'));
    }
    const url = new URL(request.url);
    const local = this.resolve(url) + url.pathname + url.search;
    // Addressed to the host of the URL (the mock PBX checks it), its scheme passed on as a TLS-terminating proxy does.
    return send({ ...request, url: local, headers: { ...request.headers, host: url.host, 'x-forwarded-proto': url.protocol.replace(/:$/, '') } });
  }

  private async runScript(operationId: string, request: { method: string; url: string; headers: HeaderMap; body: string | null }, originalRequestUri: string): Promise<HttpResponse> {
    const host = this.options.scriptHost!;
    const result = await host.execute({ operationId, ...request, originalRequestUri }, async (outbound) => {
      const answer = await this.backend({ method: outbound.method, url: outbound.url, headers: outbound.headers, body: outbound.body });
      return { status: answer.status, headers: answer.headers, body: isTextualMediaType(answer.headers['content-type']) ? answer.body : answer.bytes };
    });
    this.stats.scriptRuns++;
    this.stats.scriptHostMs.push(result.hostMs);
    this.stats.scriptWallMs.push(result.wallMs - result.coldStartMs);
    if (result.coldStartMs > 0) this.stats.coldStartMs.push(result.coldStartMs);
    return { status: result.status, headers: lower(result.headers), body: result.body, bytes: result.bodyBytes };
  }
}

const PASSED_HEADERS = ['content-type', 'content-disposition', 'location', 'retry-after'];

function passHeaders(headers: HeaderMap): HeaderMap {
  const out: HeaderMap = {};
  for (const [k, v] of Object.entries(headers)) if (PASSED_HEADERS.includes(k.toLowerCase())) out[k.toLowerCase()] = v;
  return out;
}

function lower(headers: HeaderMap): HeaderMap {
  const out: HeaderMap = {};
  for (const [k, v] of Object.entries(headers)) out[k.toLowerCase()] = v;
  return out;
}

/** Errors the platform itself produces (not the backend): `{error: {code, message}}`. */
function platformError(status: number, code: string, message: string): HttpResponse {
  return { status, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ error: { code, message } }) };
}
