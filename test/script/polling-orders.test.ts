// Polling triggers through script.csx against every PBX listing the evidence allows (issue 18): bursts drained
// across checks lose and repeat nothing whatever the order within a page or across the place where a check stops,
// pages that overrun the limit skip nothing, and "no items found" (404) is an empty page for a new flow, a small
// account and a trigger stored by 1.0. The budget is shortened (a variant of script.csx) and the PBX made slow
// enough that the budget splits each burst, so checks stop in the middle of the listing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScriptHost } from '../../script-host/host';
import { CONNECTOR, useScriptHost } from './helpers';
import { Listing, tally, type ListingShape } from './listing';
import { check, drain, firstUrl, HISTORY, scriptWithBudget } from './poll-loop';

const fullBudget = useScriptHost();
const BUDGET_MS = 300;
const host = new ScriptHost({ scriptPath: scriptWithBudget(BUDGET_MS) });
beforeAll(async () => {
  await host.start();
  // The first execution of a Mono host compiles the script's code paths; it must not eat a shortened budget.
  await check(host, new Listing({ emptyAs404: true }), firstUrl());
});
afterAll(() => host.stop());

const shapes: Array<[string, ListingShape]> = [
  ['newest first', {}],
  ['oldest first', { order: 'oldest-first' }],
  ['newest first, neighbours swapped throughout', { swapAt: (p) => p % 4 === 1 }],
  ['newest first, every third page in ascending order', { ascendingPage: (offset) => offset % 60 === 0 }],
  ['oldest first, neighbours swapped throughout', { order: 'oldest-first', swapAt: (p) => p % 4 === 1 }],
  ['newest first, pages one longer than asked repeating an id', { overrun: 'repeat' }],
  ['newest first, pages one longer than asked with the next item', { overrun: 'next' }],
  ['oldest first, pages one longer than asked repeating an id', { order: 'oldest-first', overrun: 'repeat' }],
  ['newest first, an empty page is 404 "no items found"', { emptyAs404: true }],
  ['newest first, swaps, ascending pages, overruns and 404 at once', { swapAt: (p) => p % 6 === 3, ascendingPage: (offset) => offset % 40 === 0, overrun: 'repeat', emptyAs404: true }],
];

describe.each(shapes)('a burst of 300 drained across checks, %s', (_name, shape) => {
  it('delivers every new item once, and the calls that arrive meanwhile too', async () => {
    const listing = new Listing({ ...shape, latencyMs: 20 });
    listing.add(5);
    const first = await check(host, listing, firstUrl({ limit: '20' }));
    expect(first.result.status).toBe(202);
    const burst = listing.add(300);
    const arrivals: number[] = [];
    listing.afterRequest = (i) => {
      if (i % 7 === 0 && arrivals.length < 30) arrivals.push(...listing.add(2));
    };
    const result = await drain(host, listing, first.result.headers.location!, 60);
    listing.afterRequest = undefined;
    // Calls that arrived during the last check come with the next one.
    const rest = await drain(host, listing, result.location, 5);
    expect(result.checks.length).toBeGreaterThan(2); // the budget split the burst
    expect(tally([...burst, ...arrivals], [...result.delivered, ...rest.delivered])).toEqual({ missed: [], repeated: [] });
  });
});

describe('the first check of a new flow', () => {
  it.each([
    ['newest first', {}, undefined],
    ['newest first, the first page in ascending order', { ascendingPage: (offset: number) => offset === 0 }, undefined],
    ['oldest first', { order: 'oldest-first' as const }, '1'],
    ['oldest first, neighbours swapped', { order: 'oldest-first' as const, swapAt: (p: number) => p % 4 === 1 }, '1'],
  ])('%s, 5,000 calls: the second page tells the order, whatever the order within the first', async (_name, shape, scan) => {
    const listing = new Listing(shape);
    listing.add(5000);
    const first = await check(fullBudget(), listing, firstUrl());
    expect(first.result.status).toBe(202);
    expect(first.pbxRequests.map((url) => new URL(url).searchParams.get('offset'))).toEqual([null, '100']);
    const state = new URL(first.result.headers.location!).searchParams;
    expect(state.get('poll_scan') ?? undefined).toBe(scan);
    if (!scan) expect(state.get('initial_call_id')).toBe('5000');
  });
});

describe('a check that stops in the middle of the listing', () => {
  it.each([
    ['newest first', {}],
    ['oldest first', { order: 'oldest-first' as const }],
  ])('%s, two neighbours swapped across the place where it stops (its item limit): nothing lost', async (_name, order) => {
    // The first check stops after 25 pages of 100 (2,500 items); the items at places 2,499 and 2,500 are swapped.
    const stop = 2500;
    const listing = new Listing({ ...order, swapAt: (p) => p === stop - 1 });
    const old = listing.add(2);
    const burst = listing.add(2600);
    const stored = firstUrl({ limit: '100' }).replace('initial_call_id=0', `initial_call_id=${old[old.length - 1]}&poll_v=1`);
    const result = await drain(fullBudget(), listing, stored, 6);
    expect(result.checks[0].delivered.length).toBeLessThan(2600);
    expect(tally(burst, result.delivered)).toEqual({ missed: [], repeated: [] });
  });
});

describe('a trigger whose PBX pages overrun the limit', () => {
  it.each([['repeat' as const], ['next' as const]])('42 new calls, Page Size 10, pages one longer (%s): all 42 once, in one check', async (overrun) => {
    const listing = new Listing({ overrun });
    const old = listing.add(3);
    const location = firstUrl({ limit: '10' }).replace('initial_call_id=0', `initial_call_id=${old[old.length - 1]}`);
    const burst = listing.add(42);
    const result = await drain(host, listing, location, 5);
    expect(tally(burst, result.delivered)).toEqual({ missed: [], repeated: [] });
  });
});

describe('"no items found" (404) is an empty page', () => {
  it('an empty account: the first check is a 202 with a Location, and the calls that come later are delivered', async () => {
    const listing = new Listing({ emptyAs404: true });
    const first = await check(host, listing, firstUrl());
    expect(first.result.status).toBe(202);
    expect(new URL(first.result.headers.location!).pathname).toBe(new URL(`${CONNECTOR}${HISTORY}`).pathname);
    const nothing = await check(host, listing, first.result.headers.location!);
    expect(nothing.result.status).toBe(202);
    const fresh = listing.add(3);
    const next = await drain(host, listing, nothing.result.headers.location!, 5);
    expect(next.delivered).toEqual([...fresh].reverse());
    expect(next.checks[next.checks.length - 1].result.status).toBe(202);
  });

  it('a small account: a new flow delivers its next calls, then answers 202', async () => {
    const listing = new Listing({ emptyAs404: true });
    listing.add(4);
    const first = await check(host, listing, firstUrl());
    const fresh = listing.add(2);
    const next = await drain(host, listing, first.result.headers.location!, 5);
    expect(next.delivered).toEqual([...fresh].reverse());
    expect(next.checks.map((c) => c.result.status)).toEqual([200, 202]);
  });

  it('a trigger stored by 1.0 (its cursor, no state of 1.1) delivers what follows its cursor, then answers 202', async () => {
    const listing = new Listing({ emptyAs404: true });
    const old = listing.add(7);
    const fresh = listing.add(3);
    // The URL the 1.0 pollingtrigger policy stored: the operation with initial_call_id = the last id it saw.
    const stored = firstUrl().replace('initial_call_id=0', `initial_call_id=${old[old.length - 1]}`);
    const result = await drain(host, listing, stored, 5);
    expect(result.delivered).toEqual([...fresh].reverse());
    expect(result.checks.map((c) => c.result.status)).toEqual([200, 202]);
  });
});
