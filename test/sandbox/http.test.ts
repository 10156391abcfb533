// The sandbox's HTTP client and servers: a kept-alive socket the server closes just as the client reuses
// it (its idle timeout firing while the event loop was busy playing days of traffic) never loses an
// idempotent request, and a POST is never sent twice.
import { afterEach, describe, expect, it } from 'vitest';
import { CLIENT_IDLE_MS, send, serve, SERVER_KEEP_ALIVE_MS, TransportError, type RunningServer } from '../../sandbox/http';

const servers: RunningServer[] = [];
afterEach(async () => {
  while (servers.length) await servers.pop()!.stop();
});

async function counting(): Promise<{ server: RunningServer; seen: string[] }> {
  const seen: string[] = [];
  const server = await serve(async (req) => {
    seen.push(`${req.method} ${req.url.pathname}`);
    return { status: 200, headers: { 'content-type': 'text/plain' }, body: req.method };
  });
  servers.push(server);
  return { server, seen };
}

describe('a kept-alive socket reset as it is reused', () => {
  it.each(['GET', 'DELETE'])('%s: sent once more on a new connection, answered once', async (method) => {
    const { server, seen } = await counting();
    await send({ method, url: `${server.origin}/first` });
    // The server's idle timeout closes the socket; the client, not yet told, reuses it at once.
    server.closeIdleConnections();
    const second = await send({ method, url: `${server.origin}/second` });
    expect(second).toMatchObject({ status: 200, body: method });
    expect(seen).toEqual([`${method} /first`, `${method} /second`]);
  });

  it('POST: not sent twice (it is not idempotent); the reset is a transport error', async () => {
    const { server, seen } = await counting();
    await send({ method: 'POST', url: `${server.origin}/first`, body: '{}' });
    server.closeIdleConnections();
    const error = await send({ method: 'POST', url: `${server.origin}/second`, body: '{}' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransportError);
    expect(seen).toEqual(['POST /first']);
  });

  it('a socket of its own that fails is not retried: a refused connection is a transport error', async () => {
    const { server } = await counting();
    const origin = server.origin;
    await servers.pop()!.stop();
    await expect(send({ method: 'GET', url: `${origin}/gone` })).rejects.toBeInstanceOf(TransportError);
  });
});

describe('idle timeouts', () => {
  it('the servers keep an idle socket far longer than the client does, so the client is the one that closes it', async () => {
    expect(SERVER_KEEP_ALIVE_MS).toBeGreaterThanOrEqual(5 * CLIENT_IDLE_MS);
    const { server } = await counting();
    const res = await send({ method: 'GET', url: `${server.origin}/` });
    expect(res.headers['keep-alive']).toBe(`timeout=${SERVER_KEEP_ALIVE_MS / 1000}`);
  });
});
