/**
 * The mock PBX over HTTP on 127.0.0.1 (random port by default): a thin adapter from node:http to
 * PbxApi.handle. `startPbxServer` resolves once listening and returns the base URL
 * (`http://127.0.0.1:<port>/api/v2/`, like the definition's basePath with its trailing slash).
 * The storage host of pre-signed recording links (RECORDING_STORAGE_HOST, PbxApi.handleStorage) listens on
 * a port of its own (`storageOrigin`): another host, as a client sees it. The sandbox's network resolves the
 * PBX's host and the storage host to these two; a mock that stands in for no host (`publicHost` absent, e.g.
 * run by hand for `npm run probe-pbx`) writes its links to them directly (ApiOptions.linkOrigins).
 */
import * as http from 'http';
import type { AddressInfo } from 'net';
import { SERVER_KEEP_ALIVE_MS } from '../http';
import { BASE_PATH, PbxApi, type ApiOptions, type PbxRequest, type PbxResponse } from './api';
import { PbxStore, type StoreOptions } from './store';
import { RECORDING_STORAGE_HOST, type RecordingLinkKind } from './recordings';
import type { SeedOptions } from './seed';

/** The mock's behaviour, as a PBX profile sets it (profiles.ts `apiOptionsOf`): the API's options and the recording links its store writes. */
export type PbxBehaviourOptions = Partial<Omit<ApiOptions, 'apiKey' | 'now'>> & { recordingLinks?: readonly RecordingLinkKind[] };

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
  /** The kinds of recording link the store it seeds writes (a PBX profile's `recordingLinks`; a given store has its own). */
  recordingLinks?: readonly RecordingLinkKind[];
}

export interface PbxServer {
  /** e.g. `http://127.0.0.1:43121/api/v2/` */
  baseUrl: string;
  /** e.g. `http://127.0.0.1:43121` */
  origin: string;
  /** Where the storage host of pre-signed recording links listens, e.g. `http://127.0.0.1:43122`. */
  storageOrigin: string;
  /** The PBX host it stands in for, when given. */
  publicHost?: string;
  port: number;
  store: PbxStore;
  api: PbxApi;
  stop(): Promise<void>;
}

export async function startPbxServer(options: PbxServerOptions): Promise<PbxServer> {
  const { store: given, seed, storeOptions, host = '127.0.0.1', port = 0, maxBodyBytes = 1_000_000, publicHost, recordingLinks, ...apiOptions } = options;
  const store = given ?? PbxStore.seeded(seed, { now: apiOptions.now, publicHost, recordingLinks, ...storeOptions });
  const api = new PbxApi(store, apiOptions);

  const server = listener(maxBodyBytes, (req, request) => {
    const addressedTo = (req.headers.host ?? '').replace(/:\d+$/, '').toLowerCase();
    if (publicHost !== undefined && addressedTo !== publicHost.toLowerCase() && addressedTo !== host) {
      const message = `This mock PBX stands in for ${publicHost}; the request was addressed to ${addressedTo || 'no host'}.`;
      return { status: 421, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ version: '2', status: 'error', statusCode: 421, message, data: null }) };
    }
    return api.handle(request);
  }, () => api.latency());
  // The storage service answers at once, whatever the PBX's latency.
  const storage = listener(maxBodyBytes, (_req, request) => api.handleStorage(request), () => 0);

  const origin = await listen(server, host, port);
  const storageOrigin = await listen(storage, host, 0).catch(async (e: unknown) => {
    await close(server);
    throw e;
  });
  // Reached without the sandbox's network, the links name the two listeners themselves.
  if (publicHost === undefined && api.options.linkOrigins === undefined) {
    api.configure({ linkOrigins: { [`https://${store.publicHost}`]: origin, [`https://${RECORDING_STORAGE_HOST}`]: storageOrigin } });
  }
  return {
    baseUrl: `${origin}${BASE_PATH}/`,
    origin,
    storageOrigin,
    publicHost,
    port: Number(new URL(origin).port),
    store,
    api,
    stop: async () => {
      await Promise.all([close(server), close(storage)]);
    },
  };
}

/** A node:http server that reads the whole request, hands it to `answer` and writes the response after `delay()` ms. */
function listener(maxBodyBytes: number, answer: (req: http.IncomingMessage, request: PbxRequest) => PbxResponse, delay: () => number): http.Server {
  return http.createServer((req, res) => {
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
      const url = new URL(req.url ?? '/', 'http://pbx.invalid');
      const query: Record<string, string> = {};
      url.searchParams.forEach((value, key) => {
        query[key] = value;
      });
      const headers: Record<string, string | undefined> = {};
      for (const [key, value] of Object.entries(req.headers)) headers[key] = Array.isArray(value) ? value.join(', ') : value;
      try {
        const response = answer(req, {
          method: req.method ?? 'GET',
          path: url.pathname,
          query,
          headers,
          body: Buffer.concat(chunks).toString('utf8'),
          remoteAddress: req.socket.remoteAddress,
        });
        const wait = delay();
        if (wait > 0) setTimeout(() => res.writeHead(response.status, response.headers).end(response.body), wait);
        else res.writeHead(response.status, response.headers).end(response.body);
      } catch (e) {
        // A bug in the mock itself: say so plainly rather than hang the client.
        res.writeHead(500, { 'content-type': 'text/plain' }).end(`mock PBX failure: ${(e as Error).message}\n`);
      }
    });
  });
}

/** Listens on host:port (0: any free port); resolves to the origin. */
async function listen(server: http.Server, host: string, port: number): Promise<string> {
  // Longer than the sandbox client's idle timeout (../http.ts): the client, not the server, ends idle sockets.
  server.keepAliveTimeout = SERVER_KEEP_ALIVE_MS;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return `http://${host}:${(server.address() as AddressInfo).port}`;
}

function close(server: http.Server): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.close((err) => (err ? reject(err) : resolve()));
    server.closeAllConnections();
  });
}
