/**
 * The sandbox part of `npm run bench`: every figure side by side, {ours, baseline}, measured in one
 * run on fresh sandboxes. The baseline runs through the same gateway and runtime with its own
 * definition and properties and no script.
 */
import * as path from 'path';
import { percentile } from '../../script-host/bench';
import { ScriptHost } from '../../script-host/host';
import type { SandboxConnector } from '../connector';
import { measureDayOfEvents, measureEvents } from './events';
import { measureBurst, measureDayOfPolling } from './polling';
import { loadSubjects } from './subjects';
import { measureWebhookLifecycle } from './webhooks';

export interface Pair {
  ours: number;
  baseline: number | null;
}

export interface SandboxBenchResult {
  figures: Record<string, Pair>;
  notes: string[];
}

/**
 * Where a brand's baseline lives unless `--baseline <folder>` says otherwise (relative to the
 * project root): its own published 1.0 folder under ../shared/reference/.
 */
export const defaultBaseline = (publishedReference: string): string => `../shared/reference/${publishedReference}`;

/** `--baseline <folder>` from the command line, resolved against the project root; else the brand's default. */
export function baselineFolderFrom(argv: readonly string[], root: string, publishedReference = 'certified-connector-1.0'): string {
  const i = argv.indexOf('--baseline');
  const given = i >= 0 ? argv[i + 1] : undefined;
  if (i >= 0 && (given === undefined || given.startsWith('--'))) throw new Error('--baseline needs a folder');
  return path.resolve(root, given ?? defaultBaseline(publishedReference));
}

export interface SandboxBenchOptions {
  root: string;
  /** The brand's folder (definition, properties, script); defaults to the root (the primary brand). */
  folder?: string;
  baselineFolder: string;
  cycles?: number;
  events?: number;
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
    const events = await both('event throughput', (c, h) => measureEvents(c, h, options.events ?? 10_000));
    const gatewayScriptMs = [...hooks.ours.scriptHostMs, ...burst.ours.scriptHostMs];

    return {
      figures: {
        webhookLeaks: pick(hooks, (r) => r.leaks),
        subscribeRefused: pick(hooks, (r) => r.refused),
        pollMissed: pick(burst, (r) => r.missed),
        pollDuplicated: pick(burst, (r) => r.duplicated),
        pollCallsPerItem: pick(day, (r) => r.callsPerItem),
        eventsPerSecond: pick(events, (r) => r.eventsPerSecond),
        // Over a day with a flow on every webhook trigger: events refused for breaking the trigger's schema.
        eventsSchemaMismatch: pick(dayEvents, (r) => r.schemaMismatch),
        eventsInDay: pick(dayEvents, (r) => r.deliveries),
        // Events not delivered exactly once (lost or duplicated) out of the run above.
        eventsNotExactlyOnce: pick(events, (r) => r.events - r.exactlyOnceCount),
        // The script's own time per gateway call (Mono host, backend waits excluded), over the runs above.
        gatewayScriptMsMedian: { ours: percentileMs(gatewayScriptMs, 50), baseline: null },
        gatewayScriptMsP99: { ours: percentileMs(gatewayScriptMs, 99), baseline: null },
      },
      notes,
    };
  } finally {
    await host?.stop();
  }
}

/** Nearest-rank percentile rounded to 0.01 ms (0 for no samples). */
function percentileMs(samples: readonly number[], p: number): number {
  return Math.round(percentile(samples, p) * 100) / 100;
}
