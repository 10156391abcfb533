// The bench's list, webhook, day-of-polling and gateway figures (sandbox/bench/lists.ts, webhooks.ts,
// polling.ts, run.ts: npm run bench's listMissed, listDuplicated, listFailedPages, listMaxScriptMs1000,
// webhookLeaks, subscribeRefused, pollCallsPerItem, gatewayScriptMsMedian/P99) move when what they measure is
// broken on purpose: a list page that repeats or drops an item or fails once, a slow PBX, a connector without
// the custom code that unsubscribes webhooks, a check that asks the PBX once more, a script that sleeps in
// every execution. Wall time: only lower bounds on times.
import { describe, expect, it } from 'vitest';
import { measureListPaging } from '../../sandbox/bench/lists';
import { measureBurst, measureDayOfPolling } from '../../sandbox/bench/polling';
import { gatewayScriptFigures } from '../../sandbox/bench/run';
import { measureWebhookLifecycle } from '../../sandbox/bench/webhooks';
import { LIST_PAGE_DROPS_AN_ITEM, LIST_PAGE_REPEATS_AN_ITEM, scriptVariant, SLEEP_MS, SLEEPS_FIRST } from '../support/script-variant';
import { legacyConnector, ourConnector, useScriptHost } from './helpers';

const ours = ourConnector(true);
const host = useScriptHost();

/** A host running a variant of script.csx, started and stopped around the file's tests. */
const useVariant = (name: string, ...changes: ReadonlyArray<readonly [string, string]>) => useScriptHost(scriptVariant(name, changes));

const repeats = useVariant('list-page-repeats-an-item', LIST_PAGE_REPEATS_AN_ITEM);
const drops = useVariant('list-page-drops-an-item', LIST_PAGE_DROPS_AN_ITEM);
// The first request for a page after the first fails (once in the host's life: a static counter).
const failsOnce = useVariant(
  'list-page-fails-once',
  ['    private string apiKey;', '    private string apiKey;\n    private static int plantedFailures;'],
  ['        bool first = snapshot.IsZero && after.IsZero;', '        bool first = snapshot.IsZero && after.IsZero;\n        if (!first && plantedFailures++ == 0) return ErrorResponse(HttpStatusCode.ServiceUnavailable, "Planted: this page fails once.");'],
);
// Every delivering check of a polling trigger asks the PBX for one page more than it needs (and ignores it).
const extraRequest = useVariant('poll-asks-once-more', ['        Pass pass;\n        bool backlog;', '        await ListAsync(poll, state.Cursor, 0, 1, state.Cap, id => false).ConfigureAwait(false);\n        Pass pass;\n        bool backlog;']);
const sleeps = useVariant('sleeps-first', SLEEPS_FIRST);

describe('the list figures of npm run bench (ListCalls by nextLink while calls arrive)', () => {
  it('this connector: none missed, none duplicated, no failed page', async () => {
    const r = await measureListPaging(ours, host(), 1, 250);
    expect(r).toMatchObject({ missed: 0, duplicated: 0, failedPages: 0 });
    expect(r!.pages).toBeGreaterThan(2);
  });

  it('a page that repeats an item shows in duplicated (listDuplicated), one that drops an item in missed (listMissed)', async () => {
    const repeated = await measureListPaging(ours, repeats(), 1, 250);
    expect(repeated!.duplicated).toBeGreaterThanOrEqual(1);
    expect(repeated!.missed).toBe(0);
    const dropped = await measureListPaging(ours, drops(), 1, 250);
    expect(dropped!.missed).toBeGreaterThanOrEqual(1);
    expect(dropped!.duplicated).toBe(0);
  });

  it('a page the connector answers with an error shows in failedPages (listFailedPages); the walk tries the link again and completes', async () => {
    const r = await measureListPaging(ours, failsOnce(), 1, 250);
    expect(r).toMatchObject({ failedPages: 1, missed: 0, duplicated: 0 });
    expect(r!.pages).toBeGreaterThan(2);
  });

  it('a slow PBX shows in maxScriptMs (listMaxScriptMs1000): PBX waits count, at least one request of the latency less 20 %', async () => {
    const r = await measureListPaging(ours, host(), 500, 150);
    expect(r!.maxScriptMs).toBeGreaterThanOrEqual(400);
    expect(r).toMatchObject({ missed: 0, duplicated: 0 });
  });
});

describe('the webhook figures of npm run bench (save, edit, delete each webhook trigger)', () => {
  it('this connector leaks nothing and is never refused; without its custom code (1.0) every subscription leaks until the PBX refuses more', async () => {
    const fixed = await measureWebhookLifecycle(ours, host(), 2);
    expect(fixed).toMatchObject({ leaks: 0, refused: 0 });
    expect(fixed.subscribes).toBeGreaterThan(20);
    const leaking = await measureWebhookLifecycle(ourConnector(false), undefined, 2);
    // The PBX keeps at most 20 webhooks per account: the leaks fill it, then subscribes are refused.
    expect(leaking.leaks).toBe(20);
    expect(leaking.refused).toBeGreaterThanOrEqual(1);
  });
});

describe('the day-of-polling figure of npm run bench (pollCallsPerItem)', () => {
  it('at most the 1.0 way of polling (its goal); a check that asks the PBX once more costs more per item', async () => {
    const fixed = await measureDayOfPolling(ours, host());
    const asksMore = await measureDayOfPolling(ours, extraRequest());
    const legacy = await measureDayOfPolling(legacyConnector(), undefined);
    // The same day and the same items: only the PBX requests differ.
    expect(asksMore.items).toBe(fixed.items);
    expect(fixed.items).toBeGreaterThan(0);
    expect(asksMore.callsPerItem).toBeGreaterThan(fixed.callsPerItem);
    expect(fixed.callsPerItem).toBeLessThanOrEqual(legacy.callsPerItem);
  });
});

describe('the gateway figures of npm run bench (the script time per gateway call)', () => {
  it(`a script that sleeps ${SLEEP_MS} ms in every execution shows at least that in gatewayScriptMsMedian and gatewayScriptMsP99`, async () => {
    const hooks = await measureWebhookLifecycle(ours, sleeps(), 1);
    const burst = await measureBurst(ours, sleeps(), 2, 50);
    expect(hooks.scriptHostMs.length).toBeGreaterThan(0);
    expect(burst.scriptHostMs.length).toBeGreaterThan(0);
    const figures = gatewayScriptFigures([...hooks.scriptHostMs, ...burst.scriptHostMs]);
    expect(figures.gatewayScriptMsMedian.ours).toBeGreaterThanOrEqual(SLEEP_MS);
    expect(figures.gatewayScriptMsP99.ours).toBeGreaterThanOrEqual(SLEEP_MS);
  });
});
