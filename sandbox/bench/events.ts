/**
 * eventsPerSecond: `count` CallStarted events POSTed by the PBX's dispatcher to a subscribed flow,
 * end to end (HTTP delivery, schema validation, one run each), with `concurrency` deliveries in
 * flight; also checks that each event made exactly one run.
 */
import type { ScriptHost } from '../../script-host/host';
import type { SandboxConnector } from '../connector';
import type { CallRecord } from '../pbx/model';
import { formatRiga } from '../pbx/time';
import type { MemorySink } from '../runtime/sinks';
import { Sandbox } from '../sandbox';
import { callEvent, type PbxEvent } from '../traffic/events';
import { generateDay } from '../traffic/stories';

export interface EventsResult {
  events: number;
  delivered: number;
  exactlyOnce: boolean;
  /** Events that made exactly one run. */
  exactlyOnceCount: number;
  eventsPerSecond: number;
}

export function syntheticCallStarted(count: number, start: number, firstId = 100_000): PbxEvent[] {
  return Array.from({ length: count }, (_, i) => {
    const call: CallRecord = {
      callID: firstId + i,
      caller: `+3710${String(5_000_000 + i).padStart(7, '0')}`,
      destination: '+37100010001',
      direction: 'in',
      status: 0,
      callStarted: formatRiga(start + i * 1000),
      callConnected: null,
      callEnded: formatRiga(start + i * 1000),
      contactID: 1,
      transferredTo: null,
    };
    return callEvent('CallStarted', call);
  });
}

/**
 * Test seams of measureEvents: the bench sets none of them (its figures are measured as the defaults have
 * it); the tests break what the figures measure on purpose and show that they move.
 */
export interface EventsSeams {
  /** Warm-up events before the timed ones (default 1,000). */
  warmup?: number;
  /**
   * Wraps the dispatcher's publish for the timed events only: a dispatcher that drops or repeats an
   * event (eventsNotExactlyOnce), or delays each delivery (an upper bound on eventsPerSecond).
   */
  publish?: (publish: (event: PbxEvent) => Promise<void>) => (event: PbxEvent) => Promise<void>;
}

export async function measureEvents(connector: SandboxConnector, scriptHost: ScriptHost | undefined, count = 10_000, concurrency = 64, seams: EventsSeams = {}): Promise<EventsResult> {
  const sb = await Sandbox.start({ connector, scriptHost });
  try {
    await sb.runtime.save({ id: 'events', name: 'events', trigger: { operationId: 'CallStarted' }, sink: { kind: 'memory' } });
    // Warm up (JIT, sockets) on other ids, then time `count` events.
    const warmup = syntheticCallStarted(seams.warmup ?? 1000, sb.clock.now(), 1);
    await sb.dispatcher.publishAll(warmup, concurrency);
    const sink = sb.runtime.flow('events')!.sink as MemorySink;
    sink.items.length = 0;
    if (seams.publish) sb.dispatcher.publish = seams.publish(sb.dispatcher.publish);
    const events = syntheticCallStarted(count, sb.clock.now());
    const t0 = process.hrtime.bigint();
    await sb.dispatcher.publishAll(events, concurrency);
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    const items = sink.items;
    const runsPerId = new Map<number, number>();
    for (const e of items) {
      const id = (e.data as { callID: number }).callID;
      runsPerId.set(id, (runsPerId.get(id) ?? 0) + 1);
    }
    const ids = new Set(runsPerId.keys());
    return {
      exactlyOnceCount: [...runsPerId.values()].filter((n) => n === 1).length,
      events: count,
      delivered: items.length,
      exactlyOnce: items.length === count && ids.size === count,
      eventsPerSecond: Math.round(items.length / seconds),
    };
  } finally {
    await sb.stop();
  }
}

export interface DayOfEventsResult {
  /** Events POSTed to subscribed callbacks over the day. */
  deliveries: number;
  runs: number;
  /** Events the runtime refused because they break the trigger's x-ms-notification-content schema. */
  schemaMismatch: number;
}

/**
 * A day of call traffic with one flow on every webhook trigger: how many of the PBX's events break
 * the trigger's declared event schema (e.g. a null callConnected where the schema says string).
 */
export async function measureDayOfEvents(connector: SandboxConnector, scriptHost: ScriptHost | undefined, seed = 7): Promise<DayOfEventsResult> {
  const sb = await Sandbox.start({ connector, scriptHost });
  try {
    for (const op of connector.operationsOfKind('single')) {
      await sb.runtime.save({ id: op.operationId, name: op.operationId, trigger: { operationId: op.operationId }, sink: { kind: 'memory' } });
    }
    const employees = sb.store.all('contacts').filter((c) => c.archived === 0);
    sb.player.schedule(generateDay({ seed, start: sb.clock.now(), employees }));
    await sb.clock.advanceBy(30 * 3_600_000);
    return { deliveries: sb.dispatcher.stats.deliveries, runs: sb.runtime.stats.runs, schemaMismatch: sb.runtime.stats.eventsInvalid };
  } finally {
    await sb.stop();
  }
}
