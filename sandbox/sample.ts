/**
 * The day `npm start` plays: the mock PBX runs a day of call traffic in virtual time while one
 * shipped workflow definition (by default flows/power-automate/call-answered-to-excel.json, "every
 * answered call becomes a row in Excel") runs through the workflow runtime, subscribed through the
 * connector gateway and script.csx like the platform would. Deleting the flow at the end unsubscribes.
 */
import type { Market } from '../connector/brand/phone-numbers';
import type { ScriptHost } from '../script-host/host';
import type { SandboxConnector } from './connector';
import type { SandboxOptions } from './sandbox';
import { formatRiga } from './pbx/time';
import { Sandbox } from './sandbox';
import { generateDay } from './traffic/stories';
import { WorkflowHost, type Bindings } from './workflow/host';

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
  /** The workflow definition to run. */
  flowFile: string;
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
   * have finished and the flow is stopped: that tick carries the summary's figures.
   */
  progress?: (p: SampleDayProgress) => void;
  /** Keep the sandbox and the flow running afterwards (the caller stops them). */
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

export interface SampleDaySummary {
  flow: string;
  flowName: string;
  from: string;
  to: string;
  calls: number;
  answered: number;
  /** Events the mock PBX posted to subscriptions and that were accepted (this flow's only). */
  events: number;
  eventsRejected: number;
  runs: number;
  failedRuns: number;
  /** Each failed run: its number, when it started (Riga time) and its first failure (`<action>: <message>`). */
  failures: Array<{ run: number; at: string; error: string }>;
  /** Runs still waiting for a callback (a card nobody answered) when the flow was stopped: cancelled. */
  cancelledRuns: number;
  /** A flow on a schedule (Recurrence): when it fires next, in UTC (ISO 8601). */
  nextScheduledRun?: string;
  produced: Produced[];
  gatewayCalls: number;
  pbxCalls: number;
  webhooksLeft: number;
  sandbox?: Sandbox;
  host?: WorkflowHost;
}

export async function runSampleDay(options: SampleDayOptions): Promise<SampleDaySummary> {
  const sb = await Sandbox.start({ connector: options.connector, scriptHost: options.scriptHost, pbxHost: options.pbxHost, market: options.market, pbx: options.pbx });
  let host: WorkflowHost | undefined;
  try {
    options.observe?.(sb);
    host = await WorkflowHost.start({ sandbox: sb, connector: options.connector, file: options.flowFile, root: options.root, bindings: options.bindings, apiName: options.apiName });
    const start = sb.clock.now();
    const duration = options.durationMs ?? 24 * HOUR;
    const employees = sb.store.all('contacts').filter((c) => c.archived === 0);
    sb.player.schedule(generateDay({ seed: options.seed, start, durationMs: duration, callsPerDay: options.callsPerDay, employees, market: sb.market }));
    for (let t = start; t < start + duration; ) {
      t = Math.min(t + HOUR, start + duration);
      await sb.clock.advanceTo(t);
      await host.close(); // let the runs of this hour finish
      options.progress?.({ clock: formatRiga(t), fraction: (t - start) / duration, calls: sb.player.stats.callsStarted, runs: host.runs.length, produced: host.produced() });
    }
    // Let the last calls of the day finish.
    await sb.clock.advanceBy(HOUR);
    if (!options.keep) await host.stop();
    else await host.close();
    const rt = sb.runtime.stats;
    const summary: SampleDaySummary = {
      flow: host.workflow.file,
      flowName: host.workflow.name,
      from: formatRiga(start),
      to: formatRiga(start + duration),
      calls: sb.player.stats.callsStarted,
      answered: sb.player.stats.answered,
      events: rt.eventsAccepted,
      eventsRejected: rt.eventsInvalid + rt.eventsMalformed + rt.eventsUnknownSubscription,
      runs: host.runs.length,
      failedRuns: host.failedRuns.length,
      failures: host.failedRuns.map((r) => ({ run: r.id, at: formatRiga(r.startedAt), error: r.error ?? 'failed' })),
      cancelledRuns: host.cancelledRuns.length,
      ...(host.nextScheduledRun !== undefined ? { nextScheduledRun: new Date(host.nextScheduledRun).toISOString().replace('.000Z', 'Z') } : {}),
      produced: host.produced(),
      gatewayCalls: sb.gateway.stats.requests,
      pbxCalls: sb.pbxCallCount,
      webhooksLeft: sb.store.webhooks().length,
    };
    options.progress?.({ clock: formatRiga(sb.clock.now()), fraction: 1, calls: summary.calls, runs: summary.runs, produced: summary.produced, final: true });
    if (options.keep) return { ...summary, sandbox: sb, host };
    await sb.stop();
    return summary;
  } catch (e) {
    await host?.stop().catch(() => undefined);
    await sb.stop();
    throw e;
  }
}
