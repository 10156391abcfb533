import { describe, expect, it } from 'vitest';
import { documentedLimits } from '../../connector/model/limits';
import { send } from '../../sandbox/http';
import type { MemorySink } from '../../sandbox/runtime/sinks';
import type { FlowDefinition } from '../../sandbox/runtime/runtime';
import { callEvent } from '../../sandbox/traffic/events';
import { generateDay } from '../../sandbox/traffic/stories';
import { ourConnector, useSandboxes, useScriptHost } from './helpers';

const host = useScriptHost();
const start = useSandboxes();
const ours = ourConnector(true);
const without = ourConnector(false);

const flow = (operationId: string, id = 'f'): FlowDefinition => ({ id, name: id, trigger: { operationId }, sink: { kind: 'memory' } });

describe('webhook trigger lifecycle (this connector, with its custom code)', () => {
  it('subscribes with a Location that points back through the connector; edit, off, on and delete keep exactly one or zero webhooks', async () => {
    const sb = await start({ connector: ours, scriptHost: host(), keyStyle: 'plain' });
    expect(await sb.runtime.save(flow('CallCompleted'))).toBe('on');
    const [hook] = sb.store.webhooks();
    expect(hook.event).toBe('CallCompleted');
    expect(hook.endpoint.startsWith(sb.runtime.callbackOrigin)).toBe(true);
    const location = sb.runtime.flow('f')!.location!;
    expect(location).toBe(`${sb.connection.url}/webhooks/${hook.id}`);

    await sb.runtime.save({ ...flow('CallCompleted'), trigger: { operationId: 'CallCompleted', settings: { edited: 1 } } });
    const afterEdit = sb.store.webhooks();
    expect(afterEdit.map((h) => h.id)).toEqual([hook.id + 1]);

    await sb.runtime.save({ ...flow('CallStarted') });
    expect(sb.store.webhooks().map((h) => h.event)).toEqual(['CallStarted']);
    await sb.runtime.setEnabled('f', false);
    expect(sb.store.webhooks()).toEqual([]);
    await sb.runtime.setEnabled('f', true);
    expect(sb.store.webhooks()).toHaveLength(1);
    await sb.runtime.delete('f');
    expect(sb.store.webhooks()).toEqual([]);
    expect(sb.runtime.stats.unsubscribeMissingLocation).toBe(0);
  });

  it('leaves no webhook and meets no refusal over 30 save/edit/delete cycles of every webhook trigger', async () => {
    const sb = await start({ connector: ours, scriptHost: host() });
    const triggers = ours.operationsOfKind('single');
    expect(triggers).toHaveLength(10);
    for (const op of triggers) {
      for (let i = 0; i < 3; i++) {
        const f = flow(op.operationId, `${op.operationId}-${i}`);
        await sb.runtime.save(f);
        await sb.runtime.save({ ...f, trigger: { ...f.trigger, settings: { edited: true } } });
        await sb.runtime.delete(f.id);
      }
    }
    expect(sb.store.webhooks()).toEqual([]);
    expect(sb.runtime.stats).toMatchObject({ subscribes: 60, subscribeRefused: 0, unsubscribes: 60 });
  });
});

describe('webhook trigger lifecycle without custom code (the 1.0 behaviour)', () => {
  const { maxWebhooks } = documentedLimits;
  it(`leaks one webhook per subscription (no Location) until the ${maxWebhooks}-webhook limit refuses the next, with an actionable error`, async () => {
    const sb = await start({ connector: without });
    // Each round subscribes twice (save, then edit) and leaks both: the last round is refused twice.
    for (let i = 0; i < maxWebhooks / 2 + 1; i++) {
      await sb.runtime.save(flow('CallStarted', `leaky-${i}`));
      await sb.runtime.save({ ...flow('CallStarted', `leaky-${i}`), trigger: { operationId: 'CallStarted', settings: { edited: true } } });
      await sb.runtime.delete(`leaky-${i}`);
    }
    expect(sb.store.webhooks()).toHaveLength(maxWebhooks);
    expect(sb.runtime.stats.subscribeRefused).toBe(2);
    expect(sb.runtime.stats.unsubscribeMissingLocation).toBe(maxWebhooks);
    const status = await sb.runtime.save(flow('CallCompleted', 'late'));
    expect(status).toBe('failed');
    expect(sb.runtime.flow('late')!.error).toMatch(new RegExp(`422.*(limit|${maxWebhooks})`, 'i'));
  });
});

describe('events', () => {
  it('start one run per event for the subscribed trigger only, with data matching the store', async () => {
    const sb = await start({ connector: ours, scriptHost: host() });
    await sb.runtime.save(flow('CallCompleted', 'completed'));
    await sb.runtime.save(flow('LostCallerAdded', 'lost'));
    const employees = sb.store.all('contacts').filter((c) => c.archived === 0);
    sb.player.schedule(generateDay({ seed: 3, start: sb.clock.now(), durationMs: 6 * 3_600_000, callsPerDay: 200, employees }));
    await sb.clock.advanceBy(7 * 3_600_000);
    const completed = (sb.runtime.flow('completed')!.sink as MemorySink).items;
    expect(completed.length).toBe(sb.player.stats.callsCompleted);
    expect(completed.length).toBeGreaterThan(20);
    for (const e of completed.slice(0, 20)) {
      const data = e.data as { callID: number; callConnected: string | null };
      expect(e.eventType).toBe('CallCompleted');
      expect(sb.store.get('calls', data.callID)?.callConnected ?? null).toBe(data.callConnected);
    }
    const lost = (sb.runtime.flow('lost')!.sink as MemorySink).items;
    expect(lost.length).toBeGreaterThan(0);
    expect(lost.every((e) => e.eventType === 'LostCallerAdded')).toBe(true);
    expect(sb.runtime.stats.eventsInvalid + sb.runtime.stats.eventsMalformed).toBe(0);
  });

  it('answers a malformed event, an invalid one and one for an unknown subscription with a 4xx, logs it and keeps serving', async () => {
    const sb = await start({ connector: without });
    await sb.runtime.save(flow('CallStarted', 'calls'));
    const endpoint = sb.store.webhooks()[0].endpoint;
    const post = (url: string, body: string) => send({ method: 'POST', url, headers: { 'content-type': 'application/json' }, body });

    expect((await post(endpoint, '{"type": "call", "data": ')).status).toBe(400);
    expect((await post(endpoint, '[1, 2]')).status).toBe(400);
    const invalid = await post(endpoint, JSON.stringify({ type: 'call', version: '2', eventType: 'CallStarted', data: { callID: 'not a number' } }));
    expect(invalid.status).toBe(400);
    expect(JSON.parse(invalid.body).error.message).toMatch(/callID/);
    const wrongSig = endpoint.replace(/sig=[0-9a-f]+/, 'sig=00');
    expect((await post(wrongSig, JSON.stringify(callEvent('CallStarted', sb.store.get('calls', 1)!)))).status).toBe(404);
    expect((await post(`${sb.runtime.callbackOrigin}/somewhere/else`, '{}')).status).toBe(404);

    expect(sb.runtime.stats).toMatchObject({ eventsMalformed: 2, eventsInvalid: 1, eventsUnknownSubscription: 2, runs: 0 });
    expect(sb.runtime.logEntries.filter((l) => l.level === 'warn').map((l) => l.message).join('\n')).toMatch(/malformed[\s\S]*schema[\s\S]*unknown subscription/);

    const good = await post(endpoint, JSON.stringify(callEvent('CallStarted', sb.store.get('calls', 1)!)));
    expect(good.status).toBe(202);
    expect(sb.runtime.flow('calls')!.runs).toBe(1);
  });

  it('delivers 10,000 events in a row exactly once', async () => {
    const sb = await start({ connector: without });
    await sb.runtime.save(flow('CallStarted', 'many'));
    const base = sb.store.get('calls', 1)!;
    const events = Array.from({ length: 10_000 }, (_, i) => callEvent('CallStarted', { ...base, callID: 10_000 + i }));
    await sb.dispatcher.publishAll(events, 64);
    const items = (sb.runtime.flow('many')!.sink as MemorySink).items;
    expect(items).toHaveLength(10_000);
    expect(new Set(items.map((e) => (e.data as { callID: number }).callID)).size).toBe(10_000);
    expect(sb.dispatcher.stats).toMatchObject({ delivered: 10_000, refused: 0, failed: 0, retries: 0 });
  }, 60_000); // ~3 s on an idle 2-core machine; the margin is for a loaded CI runner
});
