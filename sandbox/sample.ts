/**
 * The day `npm start` plays: the mock PBX runs a day of call traffic in virtual time while shipped
 * workflow definitions (by default flows/power-automate/call-answered-to-excel.json, "every answered
 * call becomes a row in Excel"; several run together on one connection, sharing the stand-ins) run
 * through the workflow runtime, subscribed through the connector gateway and script.csx like the
 * platform would. Virtual time waits for the flows: each moment's runs go as far as they can (to the
 * end, or to a wait for a callback) before the clock moves on, so a run acts at the moment its event
 * came, as the platform's runs do within seconds. Deleting the flows at the end unsubscribes.
 */
import * as fs from 'fs';
import type { Market } from '../connector/brand/phone-numbers';
import type { ScriptHost } from '../script-host/host';
import type { SandboxConnector } from './connector';
import type { SandboxOptions } from './sandbox';
import { formatRiga } from './pbx/time';
import { Sandbox } from './sandbox';
import { generateDay } from './traffic/stories';
import { standIns, WorkflowHost, type Bindings } from './workflow/host';
import { workbooksFor } from './workflow/stand-ins/excel';
import type { ConnectorApi } from './workflow/apis';

const HOUR = 3_600_000;

export interface SampleDayOptions {
  connector: SandboxConnector;
  scriptHost?: ScriptHost;
  /** The PBX host the mock stands in for (the brand's); defaults to the connector's. */
  pbxHost?: string;
  /** The brand's market: its fake numbers are the PBX's and its callers'. Default the primary brand's. */
  market?: Market;
  /** The mock PBX's behaviour (a profile's options, sandbox/pbx/profiles.ts); today's default when absent. */
  pbx?: SandboxOptions['pbx'];
  /** The workflow definitions to run, together on one connection with one set of stand-ins (at least one). */
  flowFiles: readonly string[];
  /** Project root (file names in messages). */
  root?: string;
  bindings: Bindings;
  /** This connector's API name in flows (brand profile). */
  apiName: string;
  seed?: number;
  callsPerDay?: number;
  durationMs?: number;
  /**
   * Called once per virtual hour, and once more with `final: true` after the last calls of the day
   * have finished and the flows are stopped: that tick carries the summary's figures.
   */
  progress?: (p: SampleDayProgress) => void;
  /** Keep the sandbox and the flows running afterwards (the caller stops them: `finish` of the summary). */
  keep?: boolean;
  /** Hears the sandbox once it runs, before the day starts (a test watches the PBX's requests or the store). */
  observe?: (sandbox: Sandbox) => void;
}

export interface Produced {
  api: string;
  label: string;
  count: number;
}

export interface SampleDayProgress {
  /** Virtual time of the tick (Riga). */
  clock: string;
  fraction: number;
  calls: number;
  runs: number;
  produced: Produced[];
  /** The last tick: the run has drained, the counts are the summary's. */
  final?: boolean;
}

/** What one flow of the day did. */
export interface FlowDaySummary {
  flow: string;
  flowName: string;
  /** Events the mock PBX posted to this flow's subscription and the runtime accepted. */
  events: number;
  /** Events to this flow's subscription refused: malformed, or not matching the trigger's schema. */
  eventsRejected: number;
  runs: number;
  failedRuns: number;
  /** Each failed run: its number, when it started (Riga time) and its first failure (`<action>: <message>`). */
  failures: Array<{ run: number; at: string; error: string }>;
  /** Runs still waiting for a callback (a card nobody answered) when the flow was stopped: cancelled. */
  cancelledRuns: number;
  /** A flow on a schedule (Recurrence): when it fires next, in UTC (ISO 8601). */
  nextScheduledRun?: string;
  host?: WorkflowHost;
}

export interface SampleDaySummary {
  from: string;
  to: string;
  calls: number;
  answered: number;
  /** Dials the flows made that the PBX played as calls, those answered, and the lost callers reached during the day. */
  dials: number;
  dialsAnswered: number;
  lostCallersReached: number;
  /** Each flow's figures, in the order given. */
  flows: FlowDaySummary[];
  /** Over every flow: runs, failed runs (each named), cancelled runs, events accepted. */
  runs: number;
  failedRuns: number;
  cancelledRuns: number;
  events: number;
  /** Events refused, every flow's and those for no subscription. */
  eventsRejected: number;
  /** What the shared stand-ins received from the flows' actions. */
  produced: Produced[];
  gatewayCalls: number;
  pbxCalls: number;
  webhooksLeft: number;
  sandbox?: Sandbox;
  /** With `keep`: deletes the flows (unsubscribing), cancels their runs still waiting, writes the stand-ins' files. */
  stop?: () => Promise<void>;
  /** With `keep`: finishes the flows' runs and writes the stand-ins' files, leaving the subscriptions (a served sandbox's shutdown). */
  finish?: () => Promise<void>;
}

/** The flows of a day on one sandbox: started together on shared stand-ins, drained, stopped and written together. */
class DayFlows {
  private constructor(
    readonly hosts: WorkflowHost[],
    private readonly shared: Map<string, ConnectorApi>,
  ) {}

  static async start(sb: Sandbox, options: SampleDayOptions): Promise<DayFlows> {
    if (options.flowFiles.length === 0) throw new Error('runSampleDay: no flow to run');
    const texts = options.flowFiles.map((file) => (fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : ''));
    const shared = standIns(options.bindings, workbooksFor(texts));
    const flows = new DayFlows([], shared);
    try {
      for (const file of options.flowFiles) {
        flows.hosts.push(await WorkflowHost.start({ sandbox: sb, connector: options.connector, file, root: options.root, bindings: options.bindings, apiName: options.apiName, shared }));
      }
    } catch (e) {
      await flows.stop().catch(() => undefined);
      throw e;
    }
    return flows;
  }

  get runs(): number {
    return this.hosts.reduce((n, h) => n + h.runs.length, 0);
  }

  /** Lets every flow's runs started so far finish or reach a wait. */
  async close(): Promise<void> {
    for (const host of this.hosts) await host.close();
  }

  /** What the stand-ins the flows use received (each shared stand-in once). */
  produced(): Produced[] {
    const used = new Set(this.hosts.flatMap((h) => h.used));
    return [...this.shared.values()].filter((api) => used.has(api)).flatMap((api) => {
      const p = api.produced?.();
      return p ? [{ api: api.title, ...p }] : [];
    });
  }

  /** Deletes the flows (unsubscribing), cancels the runs still waiting, writes the stand-ins' files. */
  async stop(): Promise<void> {
    for (const host of this.hosts) await host.stop();
    await this.write();
  }

  async finish(): Promise<void> {
    for (const host of this.hosts) await host.finish();
    await this.write();
  }

  private async write(): Promise<void> {
    const used = new Set(this.hosts.flatMap((h) => h.used));
    for (const api of this.shared.values()) if (used.has(api)) await api.close?.();
  }
}

/**
 * Moves the clock to `target` one due moment at a time, letting the flows' runs of each moment finish (or
 * reach a wait) before time moves on.
 */
async function advanceWithFlows(sb: Sandbox, flows: DayFlows, target: number): Promise<void> {
  for (let due = sb.clock.nextDue(); due !== undefined && due <= target; due = sb.clock.nextDue()) {
    await sb.clock.advanceTo(due);
    await flows.close();
  }
  await sb.clock.advanceTo(target);
  await flows.close();
}

function flowSummary(sb: Sandbox, host: WorkflowHost): FlowDaySummary {
  const state = sb.runtime.flow(host.id);
  return {
    flow: host.workflow.file,
    flowName: host.workflow.name,
    events: state?.eventsAccepted ?? 0,
    eventsRejected: state?.eventsRefused ?? 0,
    runs: host.runs.length,
    failedRuns: host.failedRuns.length,
    failures: host.failedRuns.map((r) => ({ run: r.id, at: formatRiga(r.startedAt), error: r.error ?? 'failed' })),
    cancelledRuns: host.cancelledRuns.length,
    ...(host.nextScheduledRun !== undefined ? { nextScheduledRun: new Date(host.nextScheduledRun).toISOString().replace('.000Z', 'Z') } : {}),
  };
}

export async function runSampleDay(options: SampleDayOptions): Promise<SampleDaySummary> {
  const sb = await Sandbox.start({ connector: options.connector, scriptHost: options.scriptHost, pbxHost: options.pbxHost, market: options.market, pbx: options.pbx, trafficSeed: options.seed });
  let flows: DayFlows | undefined;
  try {
    options.observe?.(sb);
    flows = await DayFlows.start(sb, options);
    const day = flows;
    const start = sb.clock.now();
    const duration = options.durationMs ?? 24 * HOUR;
    const employees = sb.store.all('contacts').filter((c) => c.archived === 0);
    sb.player.schedule(generateDay({ seed: options.seed, start, durationMs: duration, callsPerDay: options.callsPerDay, employees, market: sb.market }));
    for (let t = start; t < start + duration; ) {
      t = Math.min(t + HOUR, start + duration);
      await advanceWithFlows(sb, day, t);
      options.progress?.({ clock: formatRiga(t), fraction: (t - start) / duration, calls: sb.player.stats.callsStarted, runs: day.runs, produced: day.produced() });
    }
    // Let the last calls of the day finish (and the calls the flows placed meanwhile).
    await advanceWithFlows(sb, day, sb.clock.now() + HOUR);
    // Events are counted while the flows are still on (deleting them forgets their runtime state).
    const perFlow = day.hosts.map((host) => flowSummary(sb, host));
    if (!options.keep) await day.stop();
    else await day.close();
    // Runs still waiting when the flows stopped are cancelled now: recount them.
    const figures = perFlow.map((f, i) => ({ ...flowSummary(sb, day.hosts[i]), events: f.events, eventsRejected: f.eventsRejected, ...(options.keep ? { host: day.hosts[i] } : {}) }));
    const rt = sb.runtime.stats;
    const player = sb.player.stats;
    const summary: SampleDaySummary = {
      from: formatRiga(start),
      to: formatRiga(start + duration),
      calls: player.callsStarted,
      answered: player.answered,
      dials: player.dials,
      dialsAnswered: player.dialsAnswered,
      lostCallersReached: player.lostCallersReached,
      flows: figures,
      runs: figures.reduce((n, f) => n + f.runs, 0),
      failedRuns: figures.reduce((n, f) => n + f.failedRuns, 0),
      cancelledRuns: figures.reduce((n, f) => n + f.cancelledRuns, 0),
      events: figures.reduce((n, f) => n + f.events, 0),
      eventsRejected: figures.reduce((n, f) => n + f.eventsRejected, 0) + rt.eventsUnknownSubscription,
      produced: day.produced(),
      gatewayCalls: sb.gateway.stats.requests,
      pbxCalls: sb.pbxCallCount,
      webhooksLeft: sb.store.webhooks().length,
    };
    options.progress?.({ clock: formatRiga(sb.clock.now()), fraction: 1, calls: summary.calls, runs: summary.runs, produced: summary.produced, final: true });
    if (options.keep) return { ...summary, sandbox: sb, stop: () => day.stop(), finish: () => day.finish() };
    await sb.stop();
    return summary;
  } catch (e) {
    await flows?.stop().catch(() => undefined);
    await sb.stop();
    throw e;
  }
}
