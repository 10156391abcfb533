/**
 * The sandbox part of `npm run bench`: every figure side by side, {ours, baseline}, measured in one
 * run on fresh sandboxes. The baseline runs through the same gateway and runtime with its own
 * definition and properties and no script.
 */
import { percentile, type Figure } from '../../script-host/bench';
import { ScriptHost } from '../../script-host/host';
import type { SandboxConnector } from '../connector';
import { measureDayOfEvents, measureEvents } from './events';
import { measureDrain, measureFirstCheck, type DrainResult } from './drain';
import { measureListPaging, type ListPagingResult } from './lists';
import { PROFILES, type PbxProfile } from '../pbx/profiles';
import { measureProfiles } from './profiles';
import { measureBurst, measureDayOfPolling } from './polling';
import { loadSubjects } from './subjects';
import { measureWebhookLifecycle } from './webhooks';

/** One figure, ours beside the baseline's (null when a side has none). */
export type Pair = Figure;

export interface SandboxBenchResult {
  figures: Record<string, Pair>;
  notes: string[];
}

/** PBX latencies per request (ms) at which a 5,000-item burst is drained. */
export const DRAIN_LATENCIES = [50, 250, 1000] as const;

export interface SandboxBenchOptions {
  root: string;
  /** The brand's folder (definition, properties, script); defaults to the root (the primary brand). */
  folder?: string;
  baselineFolder: string;
  cycles?: number;
  events?: number;
  /** Runs of the event throughput; the figure is their median. */
  eventRuns?: number;
  /** Items of each polling burst (5,000). */
  burst?: number;
  /** Cold start of the script host before its first execution in each drain run (ms). */
  coldStartMs?: number;
  /** Multiplies the PBX latencies of the drain runs (1); the smoke run of the docs test shrinks them, same figures. */
  latencyScale?: number;
  /** Calls read with ListCalls at each latency (1,000). */
  listCalls?: number;
  /** The PBX profiles of the per-profile figures (every named one), and their sizes. */
  profiles?: readonly PbxProfile[];
  profileSizes?: { burst: number; listCalls: number };
  progress?: (message: string) => void;
}

export async function runSandboxBench(options: SandboxBenchOptions): Promise<SandboxBenchResult> {
  const progress = options.progress ?? (() => undefined);
  const subjects = loadSubjects(options.folder ?? options.root, options.baselineFolder);
  const notes: string[] = [];
  if (subjects.baselineNote) notes.push(subjects.baselineNote);
  if (!subjects.ours.hasScript) notes.push('script.csx not found: this connector ran without its custom code');

  const host = subjects.ours.hasScript ? new ScriptHost({ scriptPath: subjects.ours.scriptPath }) : undefined;
  await host?.start();
  try {
    const both = async <T>(name: string, measure: (c: SandboxConnector, h: ScriptHost | undefined) => Promise<T>): Promise<{ ours: T; baseline: T | null }> => {
      progress(`${name}: this connector`);
      const ours = await measure(subjects.ours, host);
      let baseline: T | null = null;
      if (subjects.baseline) {
        progress(`${name}: production 1.0`);
        baseline = await measure(subjects.baseline, undefined);
      }
      return { ours, baseline };
    };
    const pick = <T>(r: { ours: T; baseline: T | null }, f: (x: T) => number): Pair => ({ ours: f(r.ours), baseline: r.baseline === null ? null : f(r.baseline) });

    const hooks = await both('webhook lifecycle', (c, h) => measureWebhookLifecycle(c, h, options.cycles ?? 100));
    const burst = await both('polling burst', (c, h) => measureBurst(c, h));
    const day = await both('a day of polling', (c, h) => measureDayOfPolling(c, h));
    const dayEvents = await both('a day of events on every webhook trigger', (c, h) => measureDayOfEvents(c, h));
    const drains = new Map<number, { ours: DrainResult; baseline: DrainResult | null }>();
    for (const latencyMs of DRAIN_LATENCIES) {
      const drainOptions = { latencyMs: latencyMs * (options.latencyScale ?? 1), burst: options.burst ?? 5000, coldStartMs: options.coldStartMs ?? 1000 };
      // The baseline never drains a burst (one page per check); a few checks show what it misses.
      drains.set(latencyMs, await both(`a ${drainOptions.burst}-item burst, PBX at ${latencyMs} ms per request, cap ${PAGE_CAP_NOTE}`, (c) => measureDrain(c, { ...drainOptions, maxChecks: c.hasScript ? 80 : 5 })));
    }
    const firstCheck = await both('first check on an account with 5,000 calls', (c, h) => measureFirstCheck(c, h));
    const lists = new Map<number, { ours: ListPagingResult | null; baseline: ListPagingResult | null }>();
    for (const latencyMs of DRAIN_LATENCIES) {
      const scaled = latencyMs * (options.latencyScale ?? 1);
      const listed = options.listCalls ?? 1000;
      lists.set(latencyMs, await both(`reading ${listed} calls with ListCalls by nextLink while calls arrive, PBX at ${scaled} ms per request`, (c, h) => measureListPaging(c, h, scaled, listed)));
    }
    const listSum = (f: (r: ListPagingResult) => number, side: 'ours' | 'baseline'): number | null =>
      DRAIN_LATENCIES.reduce<number | null>((sum, latency) => {
        const r = lists.get(latency)![side];
        return sum === null || r === null ? null : sum + f(r);
      }, 0);
    const eventRuns: number[] = [];
    let events: { ours: Awaited<ReturnType<typeof measureEvents>>; baseline: unknown } | undefined;
    for (let run = 0; run < (options.eventRuns ?? 5); run++) {
      progress(`event throughput: run ${run + 1}`);
      const once = await measureEvents(subjects.ours, host, options.events ?? 10_000);
      eventRuns.push(once.eventsPerSecond);
      if (!events || once.exactlyOnceCount < events.ours.exactlyOnceCount) events = { ours: once, baseline: null };
    }
    const drained = (f: (r: DrainResult) => number | null, side: 'ours' | 'baseline') =>
      DRAIN_LATENCIES.reduce<number | null>((sum, latency) => {
        const r = drains.get(latency)![side];
        const v = r ? f(r) : null;
        return sum === null || v === null ? null : sum + v;
      }, 0);
    const at = (latency: number, f: (r: DrainResult) => number | null): Pair => {
      const r = drains.get(latency)!;
      return { ours: f(r.ours) as number, baseline: r.baseline ? f(r.baseline) : null };
    };
    // The profile's own latency, scaled like the drains' (the smoke run shrinks it).
    const profiles = (options.profiles ?? PROFILES).map((p) => ({ ...p, latencyMs: Math.round(p.latencyMs * (options.latencyScale ?? 1)) }));
    const perProfile = await measureProfiles(subjects.ours, host, profiles, options.profileSizes ?? { burst: 1000, listCalls: 500 }, progress);

    return {
      figures: {
        webhookLeaks: pick(hooks, (r) => r.leaks),
        subscribeRefused: pick(hooks, (r) => r.refused),
        // Summed over a 5,000-item burst at each PBX latency (50, 250, 1,000 ms per request, cap 100 per page).
        pollMissed: { ours: drained((r) => r.missed, 'ours') as number, baseline: drained((r) => r.missed, 'baseline') },
        pollDuplicated: { ours: drained((r) => r.duplicated, 'ours') as number, baseline: drained((r) => r.duplicated, 'baseline') },
        // The slowest script execution (wall time, PBX waits included, cold start apart) at that latency.
        maxScriptMs50: at(50, (r) => r.maxScriptMs),
        maxScriptMs250: at(250, (r) => r.maxScriptMs),
        maxScriptMs1000: at(1000, (r) => r.maxScriptMs),
        scriptTimeouts: { ours: drained((r) => r.scriptTimeouts, 'ours') as number, baseline: null },
        coldStartMs: at(50, (r) => r.coldStartMs),
        checksToDrain5000: at(250, (r) => r.checksToDrain),
        firstCheckPbxCalls: pick(firstCheck, (r) => r),
        // ListCalls followed by nextLink over 1,000 calls while calls arrive, summed over the three latencies.
        listMissed: { ours: listSum((r) => r.missed, 'ours'), baseline: listSum((r) => r.missed, 'baseline') },
        listDuplicated: { ours: listSum((r) => r.duplicated, 'ours'), baseline: listSum((r) => r.duplicated, 'baseline') },
        listFailedPages: { ours: listSum((r) => r.failedPages, 'ours'), baseline: listSum((r) => r.failedPages, 'baseline') },
        listMaxScriptMs1000: { ours: lists.get(1000)!.ours?.maxScriptMs ?? null, baseline: null },
        pollCallsPerItem: pick(day, (r) => r.callsPerItem),
        // The sandbox's own event path (dispatcher → runtime); script.csx is not on it. Median of the runs.
        eventsPerSecond: { ours: median(eventRuns), baseline: null },
        // Over a day with a flow on every webhook trigger: events refused for breaking the trigger's schema.
        eventsSchemaMismatch: pick(dayEvents, (r) => r.schemaMismatch),
        eventsInDay: pick(dayEvents, (r) => r.deliveries),
        // Events not delivered exactly once (lost or duplicated) out of the run above.
        eventsNotExactlyOnce: { ours: events!.ours.events - events!.ours.exactlyOnceCount, baseline: null },
        // The script's own time per gateway call (Mono host, backend waits excluded), over the webhook and burst runs.
        ...gatewayScriptFigures([...hooks.ours.scriptHostMs, ...burst.ours.scriptHostMs]),
        // Under each PBX profile: a burst drained by a polling flow, a ListCalls walk (sandbox/bench/profiles.ts).
        ...perProfile,
      },
      notes,
    };
  } finally {
    await host?.stop();
  }
}

const PAGE_CAP_NOTE = '100 per page';

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : Math.round((sorted[mid - 1] + sorted[mid]) / 2);
}

/** gatewayScriptMsMedian and gatewayScriptMsP99 from the script's own times per gateway call (ms); 1.0 has no script. */
export function gatewayScriptFigures(scriptHostMs: readonly number[]): { gatewayScriptMsMedian: Pair; gatewayScriptMsP99: Pair } {
  return {
    gatewayScriptMsMedian: { ours: percentileMs(scriptHostMs, 50), baseline: null },
    gatewayScriptMsP99: { ours: percentileMs(scriptHostMs, 99), baseline: null },
  };
}

/** Nearest-rank percentile rounded to 0.01 ms (0 for no samples). */
function percentileMs(samples: readonly number[], p: number): number {
  return Math.round(percentile(samples, p) * 100) / 100;
}
