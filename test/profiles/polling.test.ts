// Polling triggers under every PBX profile (test/profiles/harness.ts): script.csx in the Mono host
// against the mock PBX in-process, checked as the platform checks (each from the last Location). The host
// runs in virtual time (the real budget and limit; a profile's latency, e.g. `slow`, is declared and moves
// only the script's clock), and the assertions hold however the budget splits the work.
import { describe, expect, it } from 'vitest';
import { firstUrl } from '../script/poll-loop';
import { useScriptHost } from '../script/helpers';
import { connectorUrl, execute, expectExactlyOnce, expectNoPbxHeaders, MATRIX, mockUnder, poll, publicIds } from './harness';

const host = useScriptHost();

describe.each(MATRIX)('PBX profile $name: polling triggers', (profile) => {
  it('a 1.0 trigger URL (initial_call_id=N, as the 1.0 policy stored it) delivers what follows N, then answers 202', async () => {
    const pbx = mockUnder(profile);
    const ids = pbx.addCalls(30);
    const legacy = connectorUrl('/trigger/call_history', { initial_call_id: pbx.api.publicId(ids[19]) });
    const run = await poll(host(), pbx, legacy);
    expectExactlyOnce(run.delivered, publicIds(pbx, ids.slice(20)));
    expect(run.checks.at(-1)!.result.status).toBe(202);
    // It goes on from there like any flow of 1.1.
    const fresh = pbx.addCalls(3);
    const next = await poll(host(), pbx, run.location);
    expectExactlyOnce(next.delivered, publicIds(pbx, fresh));
    expect(next.checks.at(-1)!.result.status).toBe(202);
  });

  it("a small account's new flow: the first check sets the state, the next checks deliver the calls that follow", async () => {
    const pbx = mockUnder(profile);
    pbx.addCalls(5);
    const first = await execute(host(), pbx, firstUrl(), 'GetCallHistory');
    expect(first.result.status, first.result.body).toBe(202);
    expectNoPbxHeaders(first.result, 'first check');
    const fresh = pbx.addCalls(3);
    const run = await poll(host(), pbx, first.result.headers.location!);
    expectExactlyOnce(run.delivered, publicIds(pbx, fresh));
  });

  it("an empty account's first check is a 202 with the connector's Location; the first calls then arrive", async () => {
    const pbx = mockUnder(profile);
    const first = await execute(host(), pbx, firstUrl(), 'GetCallHistory');
    expect(first.result.status, first.result.body).toBe(202);
    expect(first.result.headers.location?.startsWith(connectorUrl('/trigger/call_history?'))).toBe(true);
    expectNoPbxHeaders(first.result, 'first check');
    const fresh = pbx.addCalls(2);
    const run = await poll(host(), pbx, first.result.headers.location!);
    expectExactlyOnce(run.delivered, publicIds(pbx, fresh));
  });

  it('a burst of 230 calls at Page Size 150, more calls arriving while it drains: each delivered once', async () => {
    const pbx = mockUnder(profile);
    pbx.addCalls(5);
    const first = await execute(host(), pbx, firstUrl({ limit: '150' }), 'GetCallHistory');
    expect(first.result.status, first.result.body).toBe(202);
    const burst = pbx.addCalls(230);
    const arrivals: number[] = [];
    pbx.afterRequest = (i) => {
      if (i % 3 === 0 && arrivals.length < 12) arrivals.push(...pbx.addCalls(1));
    };
    const run = await poll(host(), pbx, first.result.headers.location!, { maxChecks: 40 });
    pbx.afterRequest = undefined;
    // A call that arrived after the last PBX request of the run is the next check's.
    const rest = await poll(host(), pbx, run.location);
    expectExactlyOnce([...run.delivered, ...rest.delivered], publicIds(pbx, [...burst, ...arrivals]));
    expect(new URL(rest.location).searchParams.get('limit')).toBe('150');
  });

  it('another collection (GetContacts): a new flow delivers the employees added after its first check', async () => {
    const pbx = mockUnder(profile);
    const first = await execute(host(), pbx, firstUrl({}, '/trigger/contacts', 'initial_contact_id'), 'GetContacts');
    expect(first.result.status, first.result.body).toBe(202);
    const template = pbx.store.view('contacts')[0];
    const added = [1, 2].map((n) => pbx.store.add('contacts', { ...template, contactID: undefined, firstname: `Jauns${n}`, number: `+371000200${n}0` }).contactID);
    const run = await poll(host(), pbx, first.result.headers.location!, { operationId: 'GetContacts', idField: 'contactID' });
    expectExactlyOnce(run.delivered, publicIds(pbx, added));
  });
});
