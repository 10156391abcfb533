/**
 * Small HTTP plumbing shared by the gateway, the flow runtime and the event dispatcher: a
 * keep-alive client that never throws on an HTTP status (only on a transport failure), and a
 * server starter that hands a handler the whole request body.
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

const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

export function send(request: HttpRequest): Promise<HttpResponse> {
  return new Promise((resolve, reject) => {
    const url = new URL(request.url);
    const body = request.body ?? null;
    const headers: HeaderMap = { ...(request.headers ?? {}) };
    if (body !== null) headers['content-length'] = String(Buffer.byteLength(body));
    const req = http.request(
      { agent, method: request.method, hostname: url.hostname, port: url.port, path: url.pathname + url.search, headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const bytes = Buffer.concat(chunks);
          resolve({ status: res.statusCode ?? 0, headers: flatHeaders(res.headers), body: bytes.toString('utf8'), bytes });
        });
        res.on('error', (e) => reject(new TransportError(request.url, e)));
      },
    );
    req.on('error', (e) => reject(new TransportError(request.url, e)));
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
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    origin: `http://127.0.0.1:${port}`,
    port,
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
