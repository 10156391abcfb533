import { describe, expect, it } from 'vitest';
import { documentedLimits } from '../../connector/model/limits';
import type { PollingState } from '../../lib/definition';
import { applyPollingPolicy } from '../../sandbox/gateway/polling-policy';
import { SlidingWindowLimiter } from '../../sandbox/gateway/rate-limit';
import { send } from '../../sandbox/http';
import { legacyConnector, MINUTE, ourConnector, useSandboxes } from './helpers';

const connector = ourConnector(false);
const start = useSandboxes();

describe('routing', () => {
  it('matches every operation of the definition by method and path template, literal paths first', () => {
    expect(connector.match('POST', '/webhooks/CallStarted')?.operation.operationId).toBe('CallStarted');
    expect(connector.match('DELETE', '/webhooks/57')).toMatchObject({ operation: { operationId: 'DeleteWebhookByID' }, pathParams: { webhook_id: '57' } });
    expect(connector.match('GET', '/call_history/12')).toMatchObject({ operation: { operationId: 'GetCallHistoryItemByID' }, pathParams: { call_id: '12' } });
    expect(connector.match('GET', '/trigger/call_history')?.operation.operationId).toBe('GetCallHistory');
    expect(connector.match('GET', '/webhooks/CallStarted')).toBeUndefined();
    expect(connector.match('GET', '/nothing/here')).toBeUndefined();
    for (const op of connector.contract.operations.values()) {
      const concrete = op.pathTemplate.replace(/\{[^}]+\}/g, '7');
      expect(connector.match(op.method, concrete)?.operation.operationId, op.operationId).toBe(op.operationId);
    }
  });

  it('forwards a matched call to the PBX with the connection key, and refuses unknown paths and connections', async () => {
    const sb = await start({ connector });
    const ok = await send({ method: 'GET', url: `${sb.connection.url}/call_history/3` });
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.body)).toMatchObject({ status: 'success', data: { callID: 3 } });
    const unknown = await send({ method: 'GET', url: `${sb.connection.url}/no/such/operation` });
    expect(unknown.status).toBe(404);
    expect(JSON.parse(unknown.body).error.code).toBe('OperationNotFound');
    const noConnection = await send({ method: 'GET', url: `${sb.gateway.origin}/apim/${sb.gateway.apiName}/nope/call_history/3` });
    expect(noConnection.status).toBe(404);
  });

  it('answers 502 (not a crash) when the PBX connection drops', async () => {
    const sb = await start({ connector });
    sb.gateway.dropNextBackendCalls = 1;
    const dropped = await send({ method: 'GET', url: `${sb.connection.url}/call_history/3` });
    expect(dropped.status).toBe(502);
    expect((await send({ method: 'GET', url: `${sb.connection.url}/call_history/3` })).status).toBe(200);
  });
});

describe('calls the platform builds (lib/request.ts through SandboxConnector.buildCall)', () => {
  it('sends internal defaults, leaves out omitted parameters and the base path, and never the API key', () => {
    expect(connector.buildCall('GetCallHistory', { limit: 5 })).toEqual({ method: 'GET', path: '/trigger/call_history?initial_call_id=0&limit=5', headers: {}, body: null });
    expect(connector.buildCall('GetCallHistory', { limit: 5 }, { omit: ['initial_call_id'] }).path).toBe('/trigger/call_history?limit=5');
    expect(connector.buildCall('GetCallHistoryItemByID', { call_id: 'a/b' }).path).toBe('/call_history/a%2Fb');
    expect(() => connector.buildCall('GetCallHistoryItemByID', {})).toThrow(/path parameter "call_id" is required/);
  });

  it('never sends a body integer beyond its declared int32 (Dial\'s contactID): the call is refused, not sent as another number', () => {
    const dial = (contactID: unknown) => connector.buildCall('Dial', { body: { destination: '+37100000001', contactID } });
    expect(dial(3).body).toBe(JSON.stringify({ destination: '+37100000001', contactID: 3 }));
    expect(dial(2147483647).body).toContain('2147483647');
    expect(() => dial(2147483648)).toThrow(/Dial: body property "contactID" is declared int32; 2147483648 is beyond its range: .*nothing was sent/);
    // An id beyond Int64 reaches a run as its digits (lib/json.ts).
    expect(() => dial('100000000000000000003')).toThrow(/contactID.*100000000000000000003 is beyond its range/);
  });

  it('puts the callback URL in the x-ms-notification-url property of a webhook registration', () => {
    const call = connector.buildCall('CallStarted', {}, { callbackUrl: 'http://127.0.0.1:1/cb' });
    expect(call).toEqual({ method: 'POST', path: '/webhooks/CallStarted', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ endpoint: 'http://127.0.0.1:1/cb' }) });
    expect(() => connector.buildCall('GetCallHistory', {}, { callbackUrl: 'http://127.0.0.1:1/cb' })).toThrow(/no body property marked x-ms-notification-url/);
  });
});

describe('rate limiting', () => {
  const { callsPerConnection, renewalSeconds } = documentedLimits;
  it(`allows ${callsPerConnection} calls per connection in any ${renewalSeconds} s and answers 429 with Retry-After beyond`, async () => {
    const sb = await start({ connector });
    const url = `${sb.connection.url}/call_history/1`;
    for (let i = 0; i < callsPerConnection; i++) {
      expect((await send({ method: 'GET', url })).status).toBe(200);
      await sb.clock.advanceBy(100);
    }
    const refused = await send({ method: 'GET', url });
    expect(refused.status).toBe(429);
    const wait = Number(refused.headers['retry-after']);
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(renewalSeconds);
    expect(sb.pbxCallCount).toBe(callsPerConnection);
    await sb.clock.advanceBy(wait * 1000);
    expect((await send({ method: 'GET', url })).status).toBe(200);
    // Another connection has its own window.
    const other = sb.gateway.addConnection({ apiKey: 'Bearer whatever' });
    expect((await send({ method: 'GET', url: `${other.url}/call_history/1` })).status).not.toBe(429);
  });

  it('slides the window: a refused call does not count', () => {
    let now = 0;
    const limiter = new SlidingWindowLimiter(2, 60_000, () => now);
    expect(limiter.take('a').allowed).toBe(true);
    now = 30_000;
    expect(limiter.take('a').allowed).toBe(true);
    expect(limiter.take('a')).toEqual({ allowed: false, retryAfterSeconds: 30 });
    now = 60_000;
    expect(limiter.take('a').allowed).toBe(true);
    expect(limiter.take('a').allowed).toBe(false);
  });
});

describe('the pollingtrigger policy', () => {
  const policy: PollingState = { parameter: 'initial_call_id', expression: '@{triggerBody().data[0].callID}', dataPath: '@triggerBody().data', pointer: '', declaredBy: 'policy' };
  const page = (ids: number[]) => ({ status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ status: 'success', data: ids.map((callID) => ({ callID })) }) });
  const ctx = (firstCall: boolean, currentState: string) => ({
    policy,
    requestUrl: new URL(`http://gw/apim/x/c/trigger/call_history?limit=5${firstCall ? '' : `&initial_call_id=${currentState}`}`),
    firstCall,
    currentState,
    retryAfterSeconds: 180,
  });

  it('first call: 202, no items, Location with the newest id as state', () => {
    const out = applyPollingPolicy(page([40, 39]), ctx(true, '0'));
    expect(out.response.status).toBe(202);
    expect(out.items).toBe(0);
    expect(new URL(out.response.headers.location).searchParams.get('initial_call_id')).toBe('40');
    expect(new URL(out.response.headers.location).searchParams.get('limit')).toBe('5');
    expect(out.response.headers['retry-after']).toBe('180');
  });

  it('later calls: 200 with the items and the new state, or 202 with the state unchanged', () => {
    const fired = applyPollingPolicy(page([45, 44, 43]), ctx(false, '42'));
    expect(fired.response.status).toBe(200);
    expect(fired.items).toBe(3);
    expect(new URL(fired.response.headers.location).searchParams.get('initial_call_id')).toBe('45');
    const quiet = applyPollingPolicy(page([]), ctx(false, '45'));
    expect(quiet.response.status).toBe(202);
    expect(new URL(quiet.response.headers.location).searchParams.get('initial_call_id')).toBe('45');
  });

  it('passes errors through untouched (the caller keeps its Location) and turns a non-JSON 200 into a 502', () => {
    const error = { status: 500, headers: { 'content-type': 'text/html' }, body: '<html>oops</html>' };
    expect(applyPollingPolicy(error, ctx(false, '45')).response).toBe(error);
    expect(applyPollingPolicy({ ...error, status: 200 }, ctx(false, '45')).response.status).toBe(502);
  });

  it('runs end to end through the gateway, for a connector that declares it: 202 first, then 200 with the new calls, then 202', async () => {
    const sb = await start({ connector: legacyConnector() });
    const first = await send({ method: 'GET', url: `${sb.connection.url}/trigger/call_history?limit=50` });
    expect(first.status).toBe(202);
    const newest = sb.store.maxId('calls');
    expect(new URL(first.headers.location).searchParams.get('initial_call_id')).toBe(String(newest));
    expect(new URL(first.headers.location).pathname).toBe(new URL(`${sb.connection.url}/trigger/call_history`).pathname);
    const quiet = await send({ method: 'GET', url: first.headers.location });
    expect(quiet.status).toBe(202);
    await sb.clock.advanceBy(MINUTE);
    const contact = sb.store.view('contacts')[0];
    sb.store.add('calls', { caller: '+37100000009', destination: contact.number, direction: 'in', status: 1, callStarted: '2026-11-02T09:20:00+02:00', callConnected: '2026-11-02T09:20:05+02:00', callEnded: '2026-11-02T09:21:00+02:00', contactID: contact.contactID, transferredTo: null });
    const fired = await send({ method: 'GET', url: quiet.headers.location });
    expect(fired.status).toBe(200);
    expect(JSON.parse(fired.body).data.map((c: { callID: number }) => c.callID)).toEqual([newest + 1]);
    expect(new URL(fired.headers.location).searchParams.get('initial_call_id')).toBe(String(newest + 1));
  });
});
