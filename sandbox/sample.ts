/**
 * The sample flow of `npm start`, "every answered call becomes a row in an Excel table", and the
 * day it runs through: the mock PBX plays a day of call traffic in virtual time, the CallCompleted
 * webhook trigger starts one run per finished call, and answered calls (those with a connect time)
 * become rows of the table `AnsweredCalls` in the workbook.
 */
import type { ScriptHost } from '../script-host/host';
import type { SandboxConnector } from './connector';
import { formatRiga } from './pbx/time';
import type { FlowDefinition } from './runtime/runtime';
import { Sandbox } from './sandbox';
import { generateDay } from './traffic/stories';

const HOUR = 3_600_000;

export function answeredCallsFlow(file: string): FlowDefinition {
  return {
    id: 'answered-calls-to-excel',
    name: 'Every answered call becomes a row in an Excel table',
    trigger: { operationId: 'CallCompleted' },
    conditions: [{ path: 'data.callConnected', op: 'present' }],
    sink: {
      kind: 'excel',
      file,
      sheet: 'Calls',
      table: 'AnsweredCalls',
      columns: [
        { header: 'Call ID', path: 'data.callID' },
        { header: 'Started', path: 'data.callStarted', type: 'date' },
        { header: 'Connected', path: 'data.callConnected', type: 'date' },
        { header: 'Direction', path: 'data.direction' },
        { header: 'Caller', path: 'data.caller' },
        { header: 'Destination', path: 'data.destination' },
        { header: 'Talk Time (s)', path: 'data.connectionTime' },
        { header: 'Employee ID', path: 'data.contactID' },
        { header: 'Transferred From', path: 'data.previous_contactID' },
      ],
    },
  };
}

export interface SampleDayOptions {
  connector: SandboxConnector;
  scriptHost?: ScriptHost;
  /** The PBX host the mock stands in for (the brand's); defaults to the connector's. */
  pbxHost?: string;
  workbook: string;
  seed?: number;
  callsPerDay?: number;
  durationMs?: number;
  /**
   * Called once per virtual hour, and once more with `final: true` after the last calls of the day
   * have finished and the workbook is closed: that tick carries the summary's calls and rows.
   */
  progress?: (p: SampleDayProgress) => void;
  /** Keep the sandbox running afterwards (the caller stops it). */
  keep?: boolean;
}

export interface SampleDayProgress {
  /** Virtual time of the tick (Riga). */
  clock: string;
  fraction: number;
  calls: number;
  rows: number;
  /** The last tick: the run has drained, the counts are the summary's. */
  final?: boolean;
}

export interface SampleDaySummary {
  from: string;
  to: string;
  calls: number;
  answered: number;
  rows: number;
  runs: number;
  events: number;
  eventsRejected: number;
  gatewayCalls: number;
  pbxCalls: number;
  webhooksLeft: number;
  workbook: string;
  sandbox?: Sandbox;
}

export async function runSampleDay(options: SampleDayOptions): Promise<SampleDaySummary> {
  const sb = await Sandbox.start({ connector: options.connector, scriptHost: options.scriptHost, pbxHost: options.pbxHost });
  try {
    const flow = answeredCallsFlow(options.workbook);
    const status = await sb.runtime.save(flow);
    if (status !== 'on') throw new Error(`the sample flow could not start: ${sb.runtime.flow(flow.id)?.error ?? status}`);
    const start = sb.clock.now();
    const duration = options.durationMs ?? 24 * HOUR;
    const employees = sb.store.all('contacts').filter((c) => c.archived === 0);
    sb.player.schedule(generateDay({ seed: options.seed, start, durationMs: duration, callsPerDay: options.callsPerDay, employees }));
    const sink = () => sb.runtime.flow(flow.id)!.sink;
    for (let t = start; t < start + duration; ) {
      t = Math.min(t + HOUR, start + duration);
      await sb.clock.advanceTo(t);
      options.progress?.({ clock: formatRiga(t), fraction: (t - start) / duration, calls: sb.player.stats.callsStarted, rows: sink().count });
    }
    // Let the last calls of the day finish.
    await sb.clock.advanceBy(HOUR);
    await sink().close();
    const rt = sb.runtime.stats;
    const summary: SampleDaySummary = {
      from: formatRiga(start),
      to: formatRiga(start + duration),
      calls: sb.player.stats.callsStarted,
      answered: sb.player.stats.answered,
      rows: sink().count,
      runs: rt.runs,
      events: sb.dispatcher.stats.delivered,
      eventsRejected: rt.eventsInvalid + rt.eventsMalformed + rt.eventsUnknownSubscription,
      gatewayCalls: sb.gateway.stats.requests,
      pbxCalls: sb.pbxCallCount,
      webhooksLeft: sb.store.webhooks().length,
      workbook: options.workbook,
    };
    options.progress?.({ clock: formatRiga(sb.clock.now()), fraction: 1, calls: summary.calls, rows: summary.rows, final: true });
    if (options.keep) return { ...summary, sandbox: sb };
    // Deleting the flow unsubscribes (DELETE to the Location): nothing may be left on the PBX.
    await sb.runtime.delete(flow.id);
    summary.webhooksLeft = sb.store.webhooks().length;
    summary.gatewayCalls = sb.gateway.stats.requests;
    summary.pbxCalls = sb.pbxCallCount;
    await sb.stop();
    return summary;
  } catch (e) {
    await sb.stop();
    throw e;
  }
}
