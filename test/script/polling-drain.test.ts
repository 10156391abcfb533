// Bursts drained across checks through the Mono script host against the mock PBX: newest first and oldest
// first, with and without a silent page cap, with latency per request and items arriving mid-drain. The
// script's time budget is shortened (a variant of script.csx) so that the budget splits a burst within a fast
// test; the real figures (3.5 s, 5,000 items, 1 s per request) are the bench's.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScriptHost } from '../../script-host/host';
import { check, drain, firstUrl, MockPbx, scriptWithBudget } from './poll-loop';

const BUDGET_MS = 300;
const host = new ScriptHost({ scriptPath: scriptWithBudget(BUDGET_MS) });
beforeAll(async () => {
  await host.start();
  // The first execution of a Mono host compiles the script's code paths; it must not eat a shortened budget.
  await check(host, new MockPbx(), firstUrl());
});
afterAll(() => host.stop());

const sorted = (ids: number[]) => [...ids].sort((a, b) => a - b);
const queryOf = (location: string | undefined) => Object.fromEntries(new URL(location ?? 'http://none').searchParams);

describe('the first check', () => {
  it('on an account with 5,000 items: at most two PBX requests, 202, and later checks deliver exactly what came after', async () => {
    const pbx = new MockPbx();
    pbx.addCalls(5000);
    const first = await check(host, pbx, firstUrl());
    expect(first.result.status).toBe(202);
    // The second page tells the listing's order (polling-orders.test.ts); this shortened budget may leave room for one.
    expect(first.pbxRequests.length).toBeLessThanOrEqual(2);
    const fresh = pbx.addCalls(3);
    const next = await drain(host, pbx, first.result.headers.location!, 5);
    expect(next.delivered).toEqual([...fresh].reverse());
  });

  it('oldest first, on an account shorter than a page: later checks deliver exactly what came after', async () => {
    const pbx = new MockPbx({ order: 'oldest-first' });
    pbx.addCalls(30);
    const first = await check(host, pbx, firstUrl());
    expect(first.pbxRequests).toHaveLength(1);
    const fresh = pbx.addCalls(4);
    const next = await drain(host, pbx, first.result.headers.location!, 5);
    expect(next.delivered).toEqual([...fresh].reverse());
  });
});

describe.each([
  ['newest first, page size 20', { order: 'newest-first' as const }, { limit: '20' }],
  ['oldest first, page size 20', { order: 'oldest-first' as const }, { limit: '20' }],
  ['newest first, silent cap of 7 per page', { order: 'newest-first' as const, pageCap: 7 }, {}],
  ['oldest first, silent cap of 7 per page', { order: 'oldest-first' as const, pageCap: 7 }, {}],
])('a burst of 400 drained across checks: %s, 25 ms per request', (_name, options, inputs) => {
  it('delivers every new item exactly once, within the budget, with Retry-After: 0 while items are owed', async () => {
    const pbx = new MockPbx({ ...options, latencyMs: 25 });
    // Fewer than a page (and than the cap) before the flow starts: see 'oldest first, more than a page' below.
    const old = pbx.addCalls(5);
    const first = await check(host, pbx, firstUrl(inputs));
    expect(first.result.status).toBe(202);
    const burst = pbx.addCalls(400);
    // More calls arrive while the backlog drains (they shift a newest-first listing down).
    const arrivals: number[] = [];
    pbx.afterRequest = (i) => {
      if (i % 5 === 0 && arrivals.length < 40) arrivals.push(...pbx.addCalls(2));
    };
    const drained = await drain(host, pbx, first.result.headers.location!, 80);
    pbx.afterRequest = undefined;
    // Calls that arrived during the last check come with the next one.
    const tail = await drain(host, pbx, drained.location, 5);
    const result = { ...drained, delivered: [...drained.delivered, ...tail.delivered] };

    expect(result.delivered.filter((id) => old.includes(id))).toEqual([]);
    expect(new Set(result.delivered).size).toBe(result.delivered.length);
    expect(sorted(result.delivered)).toEqual(sorted([...burst, ...arrivals]));
    expect(result.checks.length).toBeGreaterThan(2); // the budget split the burst
    const last = result.checks[result.checks.length - 1].result;
    expect(last.status).toBe(202);
    expect(last.headers['retry-after']).toBeUndefined();
    // A check after which burst items are still owed says "poll again now".
    const owedAfter = (i: number) => burst.some((id) => !result.checks.slice(0, i + 1).some((c) => c.delivered.includes(id)));
    const owing = result.checks.filter((_, i) => owedAfter(i));
    expect(owing.length).toBeGreaterThan(0);
    for (const c of owing) expect(c.result.headers['retry-after']).toBe('0');
    for (const c of result.checks) {
      expect(c.result.wallMs).toBeLessThan(BUDGET_MS + 250);
      for (const url of c.pbxRequests) expect([...new URL(url).searchParams.keys()].filter((k) => k.startsWith('poll_'))).toEqual([]);
      const data = c.delivered;
      expect(data).toEqual([...data].sort((a, b) => b - a)); // newest first within a check
    }
    // Every Location is the connector's, with the user's inputs kept.
    expect(queryOf(result.location)).toMatchObject(inputs);
  });
});

describe('a newest-first listing that moves up between checks', () => {
  it('items deleted above the resume place: the check notices, reads from the top, and still misses nothing', async () => {
    const pbx = new MockPbx({ latencyMs: 25 });
    pbx.addCalls(5);
    const first = await check(host, pbx, firstUrl({ limit: '20' }));
    const burst = pbx.addCalls(400);
    const one = await check(host, pbx, first.result.headers.location!);
    const state = queryOf(one.result.headers.location);
    expect(state.poll_low).toBeDefined(); // a newest-first drain in progress
    // Delete delivered items: everything below them moves up past the resume place.
    const deleted = one.delivered.slice(0, 30);
    for (const id of deleted) pbx.store.remove('calls', id);
    const rest = await drain(host, pbx, one.result.headers.location!, 40);
    expect(rest.checks.some((c) => c.result.logs.some((l) => /listing moved since the last check/.test(l.message)))).toBe(true);
    const all = [...one.delivered, ...rest.delivered];
    expect(new Set(all).size).toBe(all.length);
    expect(sorted(all)).toEqual(burst);
  });
});

describe('oldest first, more than a page before the flow starts', () => {
  it('later checks read on to the newest item, delivering nothing old, then deliver exactly what comes after', async () => {
    const pbx = new MockPbx({ order: 'oldest-first', latencyMs: 25 });
    const old = pbx.addCalls(600);
    const first = await check(host, pbx, firstUrl({ limit: '20' }));
    expect(first.result.status).toBe(202);
    // The second page holds higher ids than the first: oldest first, the newest item lies at the end.
    expect(first.pbxRequests).toHaveLength(2);
    expect(queryOf(first.result.headers.location)).toMatchObject({ poll_scan: '1' });
    expect(first.result.headers['retry-after']).toBe('0');
    const scan = await drain(host, pbx, first.result.headers.location!, 20);
    expect(scan.delivered).toEqual([]);
    expect(scan.checks.length).toBeGreaterThan(1);
    expect(queryOf(scan.location)).toMatchObject({ initial_call_id: String(old[old.length - 1]) });
    expect(queryOf(scan.location).poll_scan).toBeUndefined();
    const fresh = pbx.addCalls(30);
    const next = await drain(host, pbx, scan.location, 20);
    expect(sorted(next.delivered)).toEqual(fresh);
  });
});

describe('a PBX slower than the budget', () => {
  it('a request still running at the deadline is cancelled: 504 with the error envelope, the state unchanged', async () => {
    const pbx = new MockPbx({ latencyMs: BUDGET_MS * 10, latencyJitter: 0 });
    pbx.addCalls(3);
    const c = await check(host, pbx, firstUrl({ limit: '5' }).replace('initial_call_id=0', 'initial_call_id=1&poll_v=1'));
    expect(c.result.status).toBe(504);
    // Far below the PBX's 10 × budget: the request in flight was cancelled at the deadline, not awaited.
    expect(c.result.wallMs).toBeLessThan(BUDGET_MS * 5);
    expect(c.result.headers.location).toBeUndefined();
    const body = JSON.parse(c.result.body) as Record<string, unknown>;
    expect(body).toMatchObject({ version: '2', status: 'error', statusCode: 504 });
    expect(String(body.message)).toMatch(/did not answer within \d+\.\d s\. .*the next check tries again/);
  });

  it('what was gathered before the deadline is answered, and the rest follows', async () => {
    const pbx = new MockPbx({ latencyMs: 110, latencyJitter: 0 });
    pbx.addCalls(1);
    const burst = pbx.addCalls(10).slice(0);
    const start = firstUrl({ limit: '2' }).replace('initial_call_id=0', `initial_call_id=${burst[0] - 1}&poll_v=1`);
    const one = await check(host, pbx, start);
    expect(one.result.status).toBe(200);
    expect(one.delivered.length).toBeGreaterThan(0);
    expect(one.delivered.length).toBeLessThan(10);
    expect(one.result.headers['retry-after']).toBe('0');
    const rest = await drain(host, pbx, one.result.headers.location!, 20);
    expect(sorted([...one.delivered, ...rest.delivered])).toEqual(burst);
  });
});
