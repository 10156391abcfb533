/**
 * The mock PBX over HTTP on 127.0.0.1 (random port by default): a thin adapter from node:http to
 * PbxApi.handle. `startPbxServer` resolves once listening and returns the base URL
 * (`http://127.0.0.1:<port>/api/v2/`, like the definition's basePath with its trailing slash).
 */
import * as http from 'http';
import type { AddressInfo } from 'net';
import { BASE_PATH, PbxApi, type ApiOptions } from './api';
import { PbxStore, type StoreOptions } from './store';
import { RECORDING_STORAGE_HOST } from './recordings';
import type { SeedOptions } from './seed';

export interface PbxServerOptions extends Partial<ApiOptions> {
  apiKey: string;
  /** Use this store (e.g. one shared with an event generator); otherwise one is seeded. */
  store?: PbxStore;
  seed?: SeedOptions;
  storeOptions?: StoreOptions;
  host?: string;
  port?: number;
  /**
   * The PBX host this mock stands in for (the brand's, e.g. `mobili-stotele.tele2.lt`). Requests
   * addressed to another host get 421, as a connector of another brand would; requests to the
   * local address itself (curl against `--serve`) are answered.
   */
  publicHost?: string;
  /** Largest request body accepted (bytes). */
  maxBodyBytes?: number;
}

export interface PbxServer {
  /** e.g. `http://127.0.0.1:43121/api/v2/` */
  baseUrl: string;
  /** e.g. `http://127.0.0.1:43121` */
  origin: string;
  /** The PBX host it stands in for, when given. */
  publicHost?: string;
  port: number;
  store: PbxStore;
  api: PbxApi;
  stop(): Promise<void>;
}

export async function startPbxServer(options: PbxServerOptions): Promise<PbxServer> {
  const { store: given, seed, storeOptions, host = '127.0.0.1', port = 0, maxBodyBytes = 1_000_000, publicHost, ...apiOptions } = options;
  const store = given ?? PbxStore.seeded(seed, { now: apiOptions.now, publicHost, ...storeOptions });
  const api = new PbxApi(store, apiOptions);

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBodyBytes) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on('end', () => {
      if (tooLarge) {
        res.writeHead(413, { 'content-type': 'text/plain' }).end('request body too large\n');
        return;
      }
      const addressedTo = (req.headers.host ?? '').replace(/:\d+$/, '').toLowerCase();
      const storage = addressedTo === RECORDING_STORAGE_HOST;
      if (!storage && publicHost !== undefined && addressedTo !== publicHost.toLowerCase() && addressedTo !== host) {
        const message = `This mock PBX stands in for ${publicHost}; the request was addressed to ${addressedTo || 'no host'}.`;
        res.writeHead(421, { 'content-type': 'application/json' }).end(JSON.stringify({ version: '2', status: 'error', statusCode: 421, message, data: null }));
        return;
      }
      const url = new URL(req.url ?? '/', 'http://pbx.invalid');
      const query: Record<string, string> = {};
      url.searchParams.forEach((value, key) => {
        query[key] = value;
      });
      const headers: Record<string, string | undefined> = {};
      for (const [key, value] of Object.entries(req.headers)) headers[key] = Array.isArray(value) ? value.join(', ') : value;
      try {
        const request = {
          method: req.method ?? 'GET',
          path: url.pathname,
          query,
          headers,
          body: Buffer.concat(chunks).toString('utf8'),
          remoteAddress: req.socket.remoteAddress,
        };
        // The storage host of pre-signed recording links is served here too (the sandbox resolves it to this server).
        const response = storage ? api.handleStorage(request) : api.handle(request);
        const delay = api.latency();
        if (delay > 0) setTimeout(() => res.writeHead(response.status, response.headers).end(response.body), delay);
        else res.writeHead(response.status, response.headers).end(response.body);
      } catch (e) {
        // A bug in the mock itself: say so plainly rather than hang the client.
        res.writeHead(500, { 'content-type': 'text/plain' }).end(`mock PBX failure: ${(e as Error).message}\n`);
      }
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const origin = `http://${host}:${address.port}`;
  // Audio links this mock serves point at itself (a profile with `recordingLinks`).
  if (api.options.recordingLinks !== undefined && api.options.fileOrigin === undefined) api.configure({ fileOrigin: origin });
  return {
    baseUrl: `${origin}${BASE_PATH}/`,
    origin,
    publicHost,
    port: address.port,
    store,
    api,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}
