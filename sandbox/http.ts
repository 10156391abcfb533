/**
 * Small HTTP plumbing shared by the gateway, the flow runtime and the event dispatcher: a
 * keep-alive client that never throws on an HTTP status (only on a transport failure), and a
 * server starter that hands a handler the whole request body.
 *
 * Kept-alive sockets and idle timeouts: a server closes a socket that stayed idle for its keep-alive
 * timeout; a client that sends a request on that socket at that moment gets `read ECONNRESET` (the
 * request never reached the handler). The sandbox plays days in seconds, with long stretches in which
 * the event loop does not turn, so both timers often fall due together: multi-week `npm start` runs
 * lost weekly runs that way. Two guards, as HTTP clients do: the client gives up an idle socket long
 * before the sandbox's servers would (CLIENT_IDLE_MS < SERVER_KEEP_ALIVE_MS), and a request whose
 * reused socket was reset before any answer is sent once more on a new connection when its method is
 * idempotent (GET, HEAD, OPTIONS, PUT, DELETE); a POST is never sent twice.
 */
import * as http from 'http';
import type { AddressInfo } from 'net';

export type HeaderMap = Record<string, string>;

export interface HttpRequest {
  method: string;
  url: string;
  headers?: HeaderMap;
  body?: string | null;
}

export interface HttpResponse {
  status: number;
  /** Lower-case names. */
  headers: HeaderMap;
  /** The body as text (UTF-8). */
  body: string;
  /** The exact bytes when they matter (a file): `send` always sets them; a handler sets them to answer bytes. */
  bytes?: Buffer;
}

/** A transport failure (refused, reset, dropped): no HTTP answer at all. */
export class TransportError extends Error {
  constructor(readonly url: string, cause: Error) {
    super(`no answer from ${url}: ${cause.message}`);
    this.name = 'TransportError';
  }
}

/** An idle kept-alive socket is closed by the client after this long (real time)... */
export const CLIENT_IDLE_MS = 4_000;
/** ...well before the sandbox's servers would close it. */
export const SERVER_KEEP_ALIVE_MS = 30_000;

const agent = new http.Agent({ keepAlive: true, maxSockets: 64, timeout: CLIENT_IDLE_MS });

const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);

/** What the client did about resets (for tests and diagnostics): requests sent again after a reset of a reused socket. */
export const clientStats = { resentAfterReset: 0 };

/** A reused kept-alive socket the server had closed: the request never reached it. */
function resetOfReusedSocket(req: http.ClientRequest, error: NodeJS.ErrnoException): boolean {
  return req.reusedSocket && (error.code === 'ECONNRESET' || error.code === 'EPIPE');
}

export function send(request: HttpRequest): Promise<HttpResponse> {
  return attempt(request, IDEMPOTENT.has(request.method.toUpperCase()));
}

function attempt(request: HttpRequest, mayRetry: boolean): Promise<HttpResponse> {
  return new Promise((resolve, reject) => {
    const url = new URL(request.url);
    const body = request.body ?? null;
    const headers: HeaderMap = { ...(request.headers ?? {}) };
    if (body !== null) headers['content-length'] = String(Buffer.byteLength(body));
    let answered = false;
    const req = http.request(
      { agent, method: request.method, hostname: url.hostname, port: url.port, path: url.pathname + url.search, headers },
      (res) => {
        answered = true;
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const bytes = Buffer.concat(chunks);
          resolve({ status: res.statusCode ?? 0, headers: flatHeaders(res.headers), body: bytes.toString('utf8'), bytes });
        });
        res.on('error', (e) => reject(new TransportError(request.url, e)));
      },
    );
    req.on('error', (e: NodeJS.ErrnoException) => {
      if (mayRetry && !answered && resetOfReusedSocket(req, e)) {
        clientStats.resentAfterReset++;
        resolve(attempt(request, false));
      } else reject(new TransportError(request.url, e));
    });
    // One write for headers and body (a separate write costs a second syscall per request).
    req.end(body ?? undefined);
  });
}

export function flatHeaders(headers: http.IncomingHttpHeaders): HeaderMap {
  const out: HeaderMap = {};
  for (const [k, v] of Object.entries(headers)) if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

export interface IncomingRequest {
  method: string;
  /** Path and query as received. */
  url: URL;
  headers: HeaderMap;
  body: string;
}

export type Handler = (request: IncomingRequest) => Promise<HttpResponse>;

export interface RunningServer {
  origin: string;
  port: number;
  /** Closes the kept-alive connections that wait for a next request, as a server's idle timeout does. */
  closeIdleConnections(): void;
  stop(): Promise<void>;
}

/** Starts a server on 127.0.0.1; a handler error becomes a 500 with its message (never a crash). */
export async function serve(handler: Handler, maxBodyBytes = 1_000_000): Promise<RunningServer> {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= maxBodyBytes) chunks.push(c);
    });
    req.on('end', () => {
      if (size > maxBodyBytes) {
        res.writeHead(413, { 'content-type': 'text/plain' }).end('request body too large\n');
        return;
      }
      const incoming: IncomingRequest = {
        method: (req.method ?? 'GET').toUpperCase(),
        url: new URL(req.url ?? '/', 'http://127.0.0.1'),
        headers: flatHeaders(req.headers),
        body: Buffer.concat(chunks).toString('utf8'),
      };
      handler(incoming).then(
        (out) => res.writeHead(out.status, out.headers).end(out.bytes ?? out.body),
        (e: Error) => res.writeHead(500, { 'content-type': 'text/plain' }).end(`sandbox failure: ${e.message}\n`),
      );
    });
  });
  server.keepAliveTimeout = SERVER_KEEP_ALIVE_MS;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    origin: `http://127.0.0.1:${port}`,
    port,
    closeIdleConnections: () => server.closeIdleConnections(),
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export function jsonResponse(status: number, body: unknown, headers: HeaderMap = {}): HttpResponse {
  return { status, headers: { 'content-type': 'application/json; charset=utf-8', ...headers }, body: JSON.stringify(body) };
}
