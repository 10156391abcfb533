// The summaries that commands print say what each figure means.
import { describe, expect, it } from 'vitest';
import { describeDay } from '../../scripts/start';
import type { FlowDaySummary, SampleDaySummary } from '../../sandbox/sample';

type FlowFigures = Omit<FlowDaySummary, 'host'>;
const answeredFlow: FlowFigures = {
  flow: 'flows/power-automate/call-answered-to-excel.json', flowName: 'Answered calls to Excel', runs: 17, failedRuns: 0, failures: [], cancelledRuns: 0, events: 17, eventsRejected: 0,
};
/** A day of one flow, or of several (the totals follow from the flows'). */
function dayOf(flows: FlowFigures[], rest: Partial<SampleDaySummary> = {}): SampleDaySummary {
  const sum = (key: 'runs' | 'failedRuns' | 'cancelledRuns' | 'events' | 'eventsRejected') => flows.reduce((n, f) => n + f[key], 0);
  return {
    from: '2026-11-02T09:15:00+02:00', to: '2026-11-03T09:15:00+02:00', calls: 20, answered: 17, dials: 0, dialsAnswered: 0, lostCallersReached: 0, flows,
    runs: sum('runs'), failedRuns: sum('failedRuns'), cancelledRuns: sum('cancelledRuns'), events: sum('events'), eventsRejected: sum('eventsRejected'),
    produced: [{ api: 'Excel Online (Business) stand-in', label: 'rows', count: 17 }], gatewayCalls: 2, pbxCalls: 2, webhooksLeft: 0, ...rest,
  };
}
const day = dayOf([answeredFlow]);

describe('npm start summary', () => {
  it('puts each figure on its own line with what it means, the gateway and PBX calls included', () => {
    expect(describeDay(day, { serve: false, seconds: '1.0' })).toEqual([
      'Day played: 2026-11-02T09:15:00+02:00 → 2026-11-03T09:15:00+02:00 (virtual time) in 1.0 s; flow "Answered calls to Excel" (flows/power-automate/call-answered-to-excel.json)',
      '      20  calls           calls the mock PBX handled during the day',
      '      17  answered        of those, calls an employee answered',
      "      17  events          webhook events the PBX posted to the flow's callback and the runtime accepted",
      '       0  events refused  events refused: malformed, not matching the trigger schema, or for an unknown subscription',
      '      17  runs            flow runs started, one per accepted event (or polled item)',
      '       0  failed runs     runs in which an action failed',
      "      17  rows            what the Excel Online (Business) stand-in received from the flow's actions",
      '       2  gateway calls   requests the platform made to the connector (subscribe, unsubscribe, actions, polls)',
      '       2  PBX calls       requests the connector (gateway and script.csx) made to the mock PBX',
      '       0  webhooks left   subscriptions left on the PBX after the flow was deleted (more than 0 is a leak)',
    ]);
  });

  it('names the days played when --days plays more than one', () => {
    const lines = describeDay(dayOf([answeredFlow], { to: '2026-11-10T09:15:00+02:00', calls: 3200 }), { serve: false, seconds: '3.1' });
    expect(lines[0]).toMatch(/^8 days played: 2026-11-02T09:15:00\+02:00 → 2026-11-10T09:15:00\+02:00 \(virtual time\)/);
    expect(lines[1]).toBe('    3200  calls           calls the mock PBX handled during the 8 days');
  });

  it('says, while serving, that the subscription is kept on purpose', () => {
    const lines = describeDay(dayOf([answeredFlow], { webhooksLeft: 1 }), { serve: true, seconds: '1.0' });
    expect(lines.at(-1)).toBe('       1  webhooks        subscriptions on the PBX now (the flow stays on while served)');
  });

  it('names every failed run with when it started and its error, and says the command exits 1', () => {
    const failures = Array.from({ length: 12 }, (_, i) => ({ run: i + 1, at: `2026-11-${String(9 + i).padStart(2, '0')}T09:00:00+02:00`, error: `List_calls_of_the_week: no answer ${i + 1}` }));
    const lines = describeDay(dayOf([{ ...answeredFlow, failedRuns: 12, failures }]), { serve: false, seconds: '1.0' });
    expect(lines[6]).toBe('      12  failed runs     runs in which an action failed (listed below; the command exits 1)');
    const at = lines.indexOf('Failed runs (12):');
    expect(lines[at - 1]).toBe('');
    expect(lines.slice(at + 1)).toEqual([
      ...failures.slice(0, 10).map((f) => `  run ${f.run} (started ${f.at.slice(0, 10)} 09:00): ${f.error}`),
      '  … and 2 more',
    ]);
  });

  it('says why a flow on a schedule ran 0 times and how many days reach its first run', () => {
    const weekly: FlowFigures = { ...answeredFlow, flow: 'flows/power-automate/weekly-call-report.json', flowName: 'Weekly report', runs: 0, events: 0, nextScheduledRun: '2026-11-09T07:00:00Z' };
    const lines = describeDay(dayOf([weekly], { produced: [] }), { serve: false, seconds: '1.0' });
    const at = lines.findIndex((l) => l.includes('  runs  '));
    // In the column of the figures' meanings, under the runs line.
    expect(lines[at + 1]).toBe(`${' '.repeat(26)}no run yet: the flow's schedule (Recurrence) first fires at 2026-11-09T07:00:00Z, after the day played; --days 8 reaches it`);
    expect(describeDay(dayOf([{ ...weekly, runs: 1 }], { produced: [] }), { serve: false, seconds: '1.0' }).join('\n')).not.toContain('no run yet');
  });

  it('counts the runs a stopped flow cancelled while they waited for an answer, only when there are some', () => {
    const lines = describeDay(dayOf([{ ...answeredFlow, cancelledRuns: 3 }]), { serve: false, seconds: '1.0' });
    expect(lines[7]).toBe('       3  cancelled runs  runs still waiting for an answer (a card nobody had answered) when the flow was stopped');
    expect(describeDay(day, { serve: false, seconds: '1.0' }).some((l) => l.includes('cancelled runs'))).toBe(false);
  });

  it("several flows on one connection: the day's figures once, the dials the PBX played, then each flow's own, each flow's failures under its name", () => {
    const callback: FlowFigures = { flow: 'flows/power-automate/missed-call-callback.json', flowName: 'Missed calls to Teams', runs: 9, failedRuns: 1, failures: [{ run: 4, at: '2026-11-02T11:00:00+02:00', error: 'Call_back: no answer' }], cancelledRuns: 2, events: 9, eventsRejected: 0 };
    const reached: FlowFigures = { flow: 'flows/power-automate/missed-call-reached.json', flowName: 'Missed calls reached', runs: 5, failedRuns: 0, failures: [], cancelledRuns: 0, events: 5, eventsRejected: 1 };
    const lines = describeDay(dayOf([callback, reached], { dials: 6, dialsAnswered: 5, lostCallersReached: 7, eventsRejected: 3 }), { serve: false, seconds: '1.0' });
    expect(lines[0]).toBe('Day played: 2026-11-02T09:15:00+02:00 → 2026-11-03T09:15:00+02:00 (virtual time) in 1.0 s; 2 flows on one connection, sharing the stand-ins');
    expect(lines.slice(3, 5)).toEqual([
      "       6  dials           calls the PBX placed for the flows' Dial actions, from the employee's phone (5 answered)",
      '       7  callers reached lost callers reached during the day (called back or answered when they called again): LostCallerRemoved',
    ]);
    const at = lines.indexOf('  flow "Missed calls reached" (flows/power-automate/missed-call-reached.json):');
    expect(lines.slice(at + 1, at + 5)).toEqual([
      "       5  events          webhook events the PBX posted to the flow's callback and the runtime accepted",
      '       1  events refused  events refused: malformed or not matching the trigger schema',
      '       5  runs            flow runs started, one per accepted event (or polled item)',
      '       0  failed runs     runs in which an action failed',
    ]);
    expect(lines).toContain('  flow "Missed calls to Teams" (flows/power-automate/missed-call-callback.json):');
    expect(lines).toContain('       2  events refused  events for no subscription of these flows');
    expect(lines.slice(lines.indexOf('Failed runs of flow "Missed calls to Teams" (flows/power-automate/missed-call-callback.json) (1):'))).toEqual([
      'Failed runs of flow "Missed calls to Teams" (flows/power-automate/missed-call-callback.json) (1):',
      '  run 4 (started 2026-11-02 11:00): Call_back: no answer',
    ]);
  });
});
