// The bench's list and webhook figures (sandbox/bench/lists.ts, webhooks.ts: npm run bench's listMissed,
// listDuplicated, webhookLeaks, subscribeRefused) move when what they measure is broken on purpose: a list
// page that repeats or drops an item, a connector without the custom code that unsubscribes webhooks.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { measureListPaging } from '../../sandbox/bench/lists';
import { measureWebhookLifecycle } from '../../sandbox/bench/webhooks';
import { ScriptHost } from '../../script-host/host';
import { LIST_PAGE_DROPS_AN_ITEM, LIST_PAGE_REPEATS_AN_ITEM, scriptVariant } from '../support/script-variant';
import { ourConnector, useScriptHost } from './helpers';

const ours = ourConnector(true);
const host = useScriptHost();

/** A host running a variant of script.csx, started and stopped around the file's tests. */
function useVariant(name: string, change: readonly [string, string]): () => ScriptHost {
  const variant = new ScriptHost({ scriptPath: scriptVariant(name, [change]) });
  beforeAll(() => variant.start());
  afterAll(() => variant.stop());
  return () => variant;
}

const repeats = useVariant('list-page-repeats-an-item', LIST_PAGE_REPEATS_AN_ITEM);
const drops = useVariant('list-page-drops-an-item', LIST_PAGE_DROPS_AN_ITEM);

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
