import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connector as model } from '../../connector/model/connector';
import { documentedLimits } from '../../connector/model/limits';
import { PLATFORM_TIME_LIMIT_MS, ScriptHost } from '../../script-host/host';
import { send } from '../../sandbox/http';
import { nextInterval } from '../../sandbox/runtime/runtime';
import type { MemorySink } from '../../sandbox/runtime/sinks';
import type { Sandbox } from '../../sandbox/sandbox';
import { defaultBindings, WorkflowHost } from '../../sandbox/workflow/host';
import { callHistoryPollingTrigger, legacyConnector, MINUTE, ourConnector, ROOT, useSandboxes, useScriptHost } from './helpers';

const host = useScriptHost();
const start = useSandboxes();
const ours = ourConnector(true);
const legacy = legacyConnector();

function delivered(sb: Sandbox, flowId = 'poll'): number[] {
  return (sb.runtime.flow(flowId)!.sink as MemorySink).items.map((i) => i.callID as number);
}

function expectExactlyOnce(got: number[], want: number[]): void {
  expect(got.length - new Set(got).size).toBe(0); // duplicated
  expect(want.filter((id) => !got.includes(id))).toEqual([]); // missed
  expect(got.length).toBe(want.length);
}

const pollFlow = (limit = 50) => ({ id: 'poll', name: 'poll', trigger: { operationId: 'GetCallHistory', inputs: { limit }, recurrenceMs: 3 * MINUTE }, sink: { kind: 'memory' as const } });

describe('polling protocol (this connector, with its custom code)', () => {
  it('the first poll only sets the state; later polls deliver each new call once, then answer 202', async () => {
    const statuses: number[] = [];
    const sb = await start({ connector: ours, scriptHost: host(), onPoll: ({ status }) => statuses.push(status) });
    await sb.runtime.save(pollFlow());
    await sb.clock.advanceBy(MINUTE);
    expect(sb.runtime.stats.polls).toBe(1);
    expect(delivered(sb)).toEqual([]); // the 40 seeded calls are history, not news
    const ids = sb.addAnsweredCalls(3);
    await sb.clock.advanceBy(3 * MINUTE);
    expect(delivered(sb).sort()).toEqual(ids.sort());
    await sb.clock.advanceBy(9 * MINUTE);
    expect(sb.runtime.stats.polls).toBe(5);
    expect(delivered(sb)).toHaveLength(3);
    expect(statuses).toEqual([202, 200, 202, 202, 202]);
  });

  it('a burst of 10 pages between two polls: nothing missed, nothing duplicated', async () => {
    const sb = await start({ connector: ours, scriptHost: host() });
    await sb.runtime.save(pollFlow(50));
    await sb.clock.advanceBy(MINUTE);
    const ids = sb.addAnsweredCalls(500);
    await sb.clock.advanceBy(6 * MINUTE);
    expectExactlyOnce(delivered(sb), ids);
  });

  it('a single 500 in the middle of a multi-page poll loses nothing: the next poll delivers it', async () => {
    const sb = await start({ connector: ours, scriptHost: host() });
    await sb.runtime.save(pollFlow(50));
    await sb.clock.advanceBy(MINUTE);
    const ids = sb.addAnsweredCalls(200);
    let listCalls = 0;
    const off = sb.pbx.api.onRequest(({ route }) => {
      if (route === 'list:calls' && ++listCalls === 2) sb.pbx.api.injectFault({ fault: { kind: 'html-500' }, times: 1, pathPrefix: '/trigger/' });
    });
    await sb.clock.advanceBy(3 * MINUTE);
    off();
    expect(sb.runtime.stats.pollFailures).toBe(1);
    expect(delivered(sb)).toEqual([]);
    await sb.clock.advanceBy(3 * MINUTE);
    expectExactlyOnce(delivered(sb), ids);
  });

  it('a dropped PBX connection during a poll loses nothing', async () => {
    const sb = await start({ connector: ours, scriptHost: host() });
    await sb.runtime.save(pollFlow(50));
    await sb.clock.advanceBy(MINUTE);
    const ids = sb.addAnsweredCalls(120);
    sb.gateway.dropNextBackendCalls = 1;
    await sb.clock.advanceBy(3 * MINUTE);
    expect(sb.runtime.stats.pollFailures).toBe(1);
    await sb.clock.advanceBy(3 * MINUTE);
    expectExactlyOnce(delivered(sb), ids);
  });

  it('a PBX-side 429 in the middle of a multi-page poll delays items but loses none', async () => {
    const sb = await start({ connector: ours, scriptHost: host(), pbx: { rateLimit: { requests: 10, windowMs: MINUTE } } });
    let pbx429 = 0;
    sb.pbx.api.onRequest(({ response }) => void (response.status === 429 && pbx429++));
    // Two flows poll the same list at the same instants: 2 x 7 pages > 10 PBX calls a minute.
    await sb.runtime.save(pollFlow(50));
    await sb.runtime.save({ ...pollFlow(50), id: 'second' });
    await sb.clock.advanceBy(MINUTE);
    const ids = sb.addAnsweredCalls(300);
    await sb.clock.advanceBy(15 * MINUTE);
    expect(pbx429).toBeGreaterThan(0);
    expect(sb.runtime.stats.pollThrottled).toBeGreaterThan(0);
    expectExactlyOnce(delivered(sb), ids);
    expectExactlyOnce(delivered(sb, 'second'), ids);
  });

  it('the connector throttle (429 + Retry-After from the gateway) delays polls but loses nothing', async () => {
    const sb = await start({ connector: ours, scriptHost: host(), gateway: { rateLimit: { calls: 1, windowMs: MINUTE } } });
    await sb.runtime.save({ ...pollFlow(50), trigger: { ...pollFlow(50).trigger, recurrenceMs: 10_000 } });
    await sb.clock.advanceBy(MINUTE);
    const ids = sb.addAnsweredCalls(120);
    await sb.clock.advanceBy(5 * MINUTE);
    expect(sb.gateway.stats.throttled).toBeGreaterThan(0);
    expect(sb.runtime.stats.pollThrottled).toBe(sb.gateway.stats.throttled);
    expectExactlyOnce(delivered(sb), ids);
  });
});

describe('the platform around the trigger', () => {
  it('Retry-After shortens the recurrence, never lengthens it; 0 means poll now', () => {
    expect(nextInterval(3 * MINUTE, '0')).toBe(0);
    expect(nextInterval(3 * MINUTE, '30')).toBe(30_000);
    expect(nextInterval(3 * MINUTE, '600')).toBe(3 * MINUTE);
    expect(nextInterval(3 * MINUTE, undefined)).toBe(3 * MINUTE);
    expect(nextInterval(3 * MINUTE, 'soon')).toBe(3 * MINUTE);
  });

  it('the gateway passes the script\'s 202/200, Location and Retry-After through untouched', async () => {
    // Oldest first with more than a page: the first check answers 202 + Retry-After: 0 (read on at once).
    const sb = await start({ connector: ours, scriptHost: host(), pbx: { order: 'oldest-first' } });
    const scriptAnswer = async (url: string) => {
      // The same check run by the script host directly, as the gateway would hand it over.
      const backend = new URL(sb.pbx.baseUrl);
      const relative = new URL(url).pathname.slice(new URL(sb.connection.url).pathname.length);
      return host().execute({ operationId: 'GetCallHistory', method: 'GET', url: `${backend.origin}${backend.pathname.replace(/\/$/, '')}${relative}${new URL(url).search}`, headers: { authorization: `Bearer ${sb.apiKey}`, host: ours.contract.host }, originalRequestUri: url }, async (o) => {
        const res = await send({ method: o.method, url: o.url, headers: { ...o.headers, host: ours.contract.host } });
        return { status: res.status, headers: res.headers, body: res.body };
      });
    };
    const first = `${sb.connection.url}/trigger/call_history?limit=20&initial_call_id=0`;
    const direct = await scriptAnswer(first);
    const res = await send({ method: 'GET', url: first });
    expect(res.status).toBe(202);
    expect(res.headers['retry-after']).toBe('0');
    expect(new URL(res.headers.location).searchParams.get('poll_scan')).toBe('1');
    expect({ status: res.status, location: res.headers.location, retryAfter: res.headers['retry-after'] }).toEqual({ status: direct.status, location: direct.headers.location, retryAfter: direct.headers['retry-after'] });

    // Read on to the end of the listing (202 without Retry-After), then three new calls: 200 with them and the next Location.
    let next = res.headers.location;
    for (let i = 0; i < 5; i++) {
      const scan = await send({ method: 'GET', url: next });
      expect(scan.status).toBe(202);
      next = scan.headers.location;
      if (scan.headers['retry-after'] === undefined) break;
    }
    const ids = sb.addAnsweredCalls(3);
    const delivered = await send({ method: 'GET', url: next });
    expect(delivered.status).toBe(200);
    expect((JSON.parse(delivered.body) as { data: Array<{ callID: number }> }).data.map((c) => c.callID).sort()).toEqual(ids.sort());
    expect(new URL(delivered.headers.location).searchParams.get('initial_call_id')).toBe(String(Math.max(...ids)));
    expect(new URL(delivered.headers.location).origin).toBe(new URL(sb.connection.url).origin);
  });

  it('the runtime honours Retry-After: 0 on a 202 and on a 200, checking again at once instead of after the recurrence', async () => {
    const sb = await start({ connector: ours, scriptHost: host(), pbx: { order: 'oldest-first' } });
    await sb.runtime.save(pollFlow(20)); // 40 seeded calls: two pages to read on before delivering
    await sb.clock.advanceBy(MINUTE);
    // 202 + Retry-After: 0, then the rest of the listing at the same instant.
    expect(sb.runtime.pollChecks('poll')).toBeGreaterThanOrEqual(2);
    const ids = sb.addAnsweredCalls(documentedLimits.maxItemsPerCheck + 100);
    await sb.clock.advanceBy(3 * MINUTE);
    // One check hands over at most maxItemsPerCheck with Retry-After: 0; the next, at once, the rest.
    expectExactlyOnce(delivered(sb), ids);
  });
});

describe('Split on', () => {
  it('a flow saved without Split on (as on 1.0) gets one run per check with the items as an array', async () => {
    const sb = await start({ connector: ours, scriptHost: host() });
    await sb.runtime.save({ ...pollFlow(), trigger: { ...pollFlow().trigger, splitOn: false } });
    await sb.clock.advanceBy(MINUTE);
    const ids = sb.addAnsweredCalls(4);
    await sb.clock.advanceBy(3 * MINUTE);
    const runs = (sb.runtime.flow('poll')!.sink as MemorySink).items;
    expect(runs).toHaveLength(1);
    expect((runs[0].data as Array<{ callID: number }>).map((c) => c.callID)).toEqual([...ids].reverse());
  });
});

describe('a platform as strict as the real one, through the workflow runtime', () => {
  // Wall time (the sandbox's clock) with wide margins: a PBX twice as slow as the 5 s limit, then 400 ms a
  // request (±20 %) against the 3.5 s budget. A loaded machine may change how many checks a burst takes,
  // never what is delivered, and nothing asserts how long anything took.
  const cold = new ScriptHost({ scriptPath: path.join(ROOT, 'script.csx'), coldStartMs: 2000 });
  beforeAll(() => cold.start());
  afterAll(() => cold.stop());
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sandbox-strict-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('PBX latency with jitter, a silent page cap, a cold start and the 5 s limit: a timed-out check loses nothing, a burst split by the budget arrives once', async () => {
    expect(PLATFORM_TIME_LIMIT_MS).toBe(5000);
    const sb = await start({ connector: ours, scriptHost: cold, pbx: { latencyMs: 10_000, latencyJitter: 0.2, pageCap: 7 } });
    const file = path.join(dir, 'polled-calls.json');
    fs.writeFileSync(file, JSON.stringify(pollingWorkflow()));
    const flow = await WorkflowHost.start({ sandbox: sb, connector: ours, file, root: ROOT, bindings: defaultBindings(dir), apiName: model.brand.apiName });
    try {
      // The first check: a cold start of 2 s, then a PBX request of 8–12 s. The script would answer at its own
      // deadline (3.15 s after it started, 5.15 s in all), but the platform's limit ends the call at 5 s.
      await sb.clock.advanceBy(MINUTE);
      expect(sb.gateway.stats.scriptTimeouts).toBe(1);
      expect(sb.runtime.stats.pollFailures).toBe(1);
      expect(sb.gateway.stats.coldStartMs).toEqual([2000]);
      // The bench's maxScriptMs reads these: the cut execution counts as the whole limit.
      expect(sb.gateway.stats.scriptWallMs).toEqual([PLATFORM_TIME_LIMIT_MS]);
      expect(flow.runs).toHaveLength(0);

      sb.pbx.api.configure({ latencyMs: 400 });
      await sb.clock.advanceBy(3 * MINUTE); // the first check again: it sets the state
      // 100 calls in pages of at most 7: 15 requests of 320–480 ms, more than one check's budget.
      const ids = sb.addAnsweredCalls(100);
      // A check cut by the limit while all 100 are owed: a new host (cold again) and the slow PBX. It delivers
      // nothing and keeps the Location, so the checks after it deliver every call.
      await cold.stop();
      await cold.start();
      sb.pbx.api.configure({ latencyMs: 10_000 });
      await sb.clock.advanceBy(3 * MINUTE);
      expect(sb.gateway.stats.scriptTimeouts).toBe(2);
      expect(sb.gateway.stats.coldStartMs).toEqual([2000, 2000]);
      expect(flow.runs).toHaveLength(0);
      sb.pbx.api.configure({ latencyMs: 400 });
      const checksBefore = sb.runtime.pollChecks(flow.id);
      for (let i = 0; i < 10 && new Set(polledIds(flow)).size < ids.length; i++) await sb.clock.advanceBy(3 * MINUTE);
      await flow.close();
      expectExactlyOnce(polledIds(flow), ids);
      expect(flow.failedRuns).toEqual([]);
      // The budget split the burst (15 requests do not fit in one check), and every page was read.
      expect(sb.runtime.pollChecks(flow.id) - checksBefore).toBeGreaterThan(1);
      expect(sb.pbxCalls.get('list:calls')).toBeGreaterThanOrEqual(15);
    } finally {
      await flow.stop();
    }
  }, 60_000);
});

/** A Power Automate flow polling GetCallHistory (split on, page size 50), one Compose per call. */
function pollingWorkflow(): unknown {
  return {
    properties: {
      displayName: 'Polled calls',
      connectionReferences: { [`shared_${model.brand.apiName}`]: { runtimeSource: 'embedded', connection: { connectionReferenceLogicalName: 'lmt_Pbx' }, api: { name: `shared_${model.brand.apiName}` } } },
      definition: {
        triggers: { When_a_call_is_logged: callHistoryPollingTrigger(`shared_${model.brand.apiName}`) },
        actions: { Call: { type: 'Compose', runAfter: {}, inputs: "@triggerBody()?['callID']" } },
      },
    },
  };
}

function polledIds(flow: WorkflowHost): number[] {
  return flow.runs.map((r) => (r.trigger.outputs.body as { callID: number }).callID);
}

describe('migrating from 1.0: a flow that polled under the pollingtrigger policy', () => {
  it('continues from its stored state N under 1.1 with nothing missed and nothing repeated', async () => {
    const sb = await start({ connector: legacy });
    await sb.runtime.save(pollFlow(50));
    await sb.clock.advanceBy(MINUTE); // the policy's first call: state = the newest call
    const before = sb.addAnsweredCalls(5);
    await sb.clock.advanceBy(3 * MINUTE); // delivered under 1.0; state N = the newest of them
    expect(delivered(sb).sort((a, b) => a - b)).toEqual(before);
    // More calls arrive, then the connector is updated to 1.1: the flow keeps the URL the policy built.
    const during = sb.addAnsweredCalls(7);
    sb.updateConnector(ours, host());
    await sb.clock.advanceBy(3 * MINUTE);
    const burst = sb.addAnsweredCalls(300); // more than a 1.0 page: 1.0 would have skipped most of it
    await sb.clock.advanceBy(6 * MINUTE);
    expectExactlyOnce(delivered(sb), [...before, ...during, ...burst]);
  });
});

describe('polling under the 1.0 policy (cursor = data[0] of one page)', () => {
  it('misses every page but the newest of a burst larger than a page', async () => {
    const sb = await start({ connector: legacy });
    await sb.runtime.save(pollFlow(50));
    await sb.clock.advanceBy(MINUTE);
    const ids = sb.addAnsweredCalls(500);
    await sb.clock.advanceBy(6 * MINUTE);
    const got = delivered(sb);
    expect(got.sort((a, b) => a - b)).toEqual(ids.slice(-50));
  });
});
