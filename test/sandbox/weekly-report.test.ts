/**
 * flows/power-automate/weekly-call-report.json runs, unchanged, in the workflow runtime: the
 * Recurrence fires on Monday 07:00 UTC of the virtual clock, the Do until loop pages through
 * ListCalls (gateway → script.csx → mock PBX) by Offset and Snapshot ID until no Next Link is left,
 * and each answered call of the 7 days before becomes one row of the WeeklyCalls table, once, even
 * while calls keep arriving between the pages.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import ExcelJS from 'exceljs';
import { afterAll, describe, expect, it } from 'vitest';
import { connector as model } from '../../connector/model/connector';
import { clientStats, send } from '../../sandbox/http';
import { CALL_STATUS, formatRiga } from '../../sandbox/pbx';
import { runSampleDay } from '../../sandbox/sample';
import { defaultBindings, WorkflowHost } from '../../sandbox/workflow/host';
import { WEEKLY_CALLS_WORKBOOK } from '../../sandbox/workflow/stand-ins/excel';
import { MINUTE, ourConnector, ROOT, useSandboxes, useScriptHost } from './helpers';

const host = useScriptHost();
const start = useSandboxes();
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'weekly-report-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const FLOW = path.join(ROOT, 'flows/power-automate/weekly-call-report.json');
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

async function rows(file: string): Promise<unknown[][]> {
  const book = new ExcelJS.Workbook();
  await book.xlsx.readFile(file);
  const sheet = book.getWorksheet(WEEKLY_CALLS_WORKBOOK.sheet)!;
  const table = sheet.getTable(WEEKLY_CALLS_WORKBOOK.table) as unknown as { table: { columns: Array<{ name: string }> } };
  expect(table.table.columns.map((c) => c.name)).toEqual([...WEEKLY_CALLS_WORKBOOK.columns]);
  const out: unknown[][] = [];
  for (let r = 4; r <= sheet.rowCount; r++) out.push((sheet.getRow(r).values as unknown[]).slice(1));
  return out;
}

describe('flows/power-automate/weekly-call-report.json', () => {
  it("on Monday 07:00 UTC writes one row per answered call of the week before, paging through ListCalls while calls arrive", async () => {
    const sb = await start({ connector: ourConnector(true), scriptHost: host() });
    const bindings = defaultBindings(path.join(dir, 'weekly'));
    const flow = await WorkflowHost.start({ sandbox: sb, connector: ourConnector(true), file: FLOW, root: ROOT, bindings, apiName: model.brand.apiName });
    // The sandbox starts on Monday 2026-11-02 07:15 UTC: the first report is due on 2026-11-09 07:00 UTC.
    const contact = sb.store.view('contacts')[0];
    const addCall = (at: number, answered: boolean) =>
      sb.store.add('calls', {
        caller: '+37100000001', destination: contact.number, direction: 'in',
        status: answered ? CALL_STATUS.answered : CALL_STATUS.unanswered,
        callStarted: formatRiga(at), callConnected: answered ? formatRiga(at + 5000) : null, callEnded: formatRiga(at + 60_000),
        contactID: contact.contactID, transferredTo: null,
      });
    // 7 days of calls: 30 a day, every 4th unanswered (210 calls, 3 pages of the flow's 100).
    for (let d = 0; d < 7; d++) {
      for (let i = 0; i < 30; i++) addCall(sb.clock.now() + d * DAY + HOUR + i * 10 * MINUTE, i % 4 !== 3);
    }
    await sb.clock.advanceTo(Date.parse('2026-11-09T06:59:00Z'));
    expect(flow.runs).toHaveLength(0);
    // Calls keep arriving while the report pages: one after each PBX list request, five in all (each pushes
    // the list down, so the next page starts with an item already written: After ID skips it).
    const arrived: number[] = [];
    sb.pbx.api.onRequest(({ route }) => {
      if (route.startsWith('list:calls') && arrived.length < 5) arrived.push(addCall(sb.clock.now(), true).callID);
    });
    const windowStart = Date.parse('2026-11-02T07:00:00Z');
    const windowEnd = Date.parse('2026-11-09T07:00:00Z');
    const inWindow = sb.store.view('calls').filter((c) => Date.parse(c.callStarted) >= windowStart && Date.parse(c.callStarted) <= windowEnd);
    const expected = inWindow.filter((c) => c.callConnected !== null).sort((a, b) => b.callID - a.callID);

    await sb.clock.advanceTo(Date.parse('2026-11-09T07:01:00Z'));
    await flow.stop();
    expect(flow.failedRuns.map((r) => r.error)).toEqual([]);
    expect(flow.runs).toHaveLength(1);
    expect(arrived.length).toBeGreaterThanOrEqual(3); // one per list request: a call arrived before every page but the first
    const written = await rows(bindings.workbook);
    expect(written.map((r) => r[0])).toEqual(expected.map((c) => c.callID));
    expect(written[0]).toEqual([expected[0].callID, expected[0].caller, expected[0].destination, expected[0].direction, expected[0].callStarted, expected[0].callConnected, (Date.parse(expected[0].callEnded) - Date.parse(expected[0].callConnected!)) / 1000, expected[0].contactID]);
    const loop = flow.runs[0].actions.find((a) => a.name === 'Until_no_next_link');
    const lists = flow.runs[0].actions.filter((a) => a.name === 'List_calls_of_the_week');
    expect(loop?.outputs).toEqual({ iterations: lists.length, ended: 'expression' });
    // Each page starts where the previous one stopped (Next Offset), with its Snapshot ID and Last ID, both kept
    // in string variables (an id of any length) and passed as their digits.
    const params = lists.map((a) => (a.inputs as { parameters: Record<string, number | string> }).parameters);
    expect(lists.length).toBeGreaterThanOrEqual(Math.ceil(inWindow.length / Number(params[0].limit)));
    expect(params[0]).toMatchObject({ offset: 0, snapshot_id: '0', after_id: '0' });
    for (let i = 1; i < params.length; i++) {
      const previous = lists[i - 1].outputs as { body: { nextOffset: number; snapshotId: number; lastId: number } };
      expect(params[i]).toMatchObject({ offset: previous.body.nextOffset, snapshot_id: String(previous.body.snapshotId), after_id: String(previous.body.lastId) });
    }
  });

  it('reads a full last page: a PBX that answers the page after the last with 404 "no items found" ends the loop, every row written', async () => {
    const sb = await start({ connector: ourConnector(true), scriptHost: host(), pbx: { emptyList: 'not-found' } });
    const bindings = defaultBindings(path.join(dir, 'no-items'));
    const flow = await WorkflowHost.start({ sandbox: sb, connector: ourConnector(true), file: FLOW, root: ROOT, bindings, apiName: model.brand.apiName });
    const contact = sb.store.view('contacts')[0];
    // Exactly 100 answered calls: the report's first page of 100 is full, so the next PBX page is read, and this PBX
    // answers it 404.
    for (let i = 0; i < 100; i++) {
      const at = sb.clock.now() + HOUR + i * 30 * MINUTE;
      sb.store.add('calls', { caller: '+37100000001', destination: contact.number, direction: 'in', status: CALL_STATUS.answered, callStarted: formatRiga(at), callConnected: formatRiga(at + 5000), callEnded: formatRiga(at + 60_000), contactID: contact.contactID, transferredTo: null });
    }
    const notFound: string[] = [];
    sb.pbx.api.onRequest(({ request, response }) => {
      if (request.path.endsWith('/trigger/call_history') && response.status === 404) notFound.push(request.query.offset ?? '0');
    });
    const expected = sb.store.view('calls').filter((c) => Date.parse(c.callStarted) >= Date.parse('2026-11-02T07:00:00Z')).map((c) => c.callID).sort((a, b) => b - a);
    await sb.clock.advanceTo(Date.parse('2026-11-09T07:01:00Z'));
    await flow.stop();
    expect(flow.failedRuns.map((r) => r.error)).toEqual([]);
    expect(notFound).toEqual(['100']);
    expect((await rows(bindings.workbook)).map((r) => r[0])).toEqual(expected);
  });

  it('a kept-alive socket the gateway closed just as the report reuses it: the run still reads every page', async () => {
    const sb = await start({ connector: ourConnector(true), scriptHost: host() });
    const flow = await WorkflowHost.start({ sandbox: sb, connector: ourConnector(true), file: FLOW, root: ROOT, bindings: defaultBindings(path.join(dir, 'reset')), apiName: model.brand.apiName });
    const due = Date.parse('2026-11-09T07:00:00Z');
    // Just before the report: a call to the connector leaves a kept-alive socket, then the gateway's idle
    // timeout closes it. Timers of the virtual clock run back to back, so the report's first ListCalls goes
    // out on that socket before the client hears of the close: the reset of a multi-week npm start.
    sb.clock.at(due - 2, async () => {
      await send({ method: 'GET', url: `${sb.connection.url}/contacts/1` });
    });
    sb.clock.at(due - 1, () => sb.gateway.closeIdleConnections());
    const resent = clientStats.resentAfterReset;
    await sb.clock.advanceTo(due + MINUTE);
    await flow.stop();
    expect(flow.failedRuns.map((r) => r.error)).toEqual([]);
    expect(flow.runs).toHaveLength(1);
    expect(clientStats.resentAfterReset).toBe(resent + 1); // the reset did happen, and was answered by sending again
  });

  it('runs again a week later, over the next 7 days only', async () => {
    const sb = await start({ connector: ourConnector(true), scriptHost: host() });
    const flow = await WorkflowHost.start({ sandbox: sb, connector: ourConnector(true), file: FLOW, root: ROOT, bindings: defaultBindings(path.join(dir, 'twice')), apiName: model.brand.apiName });
    await sb.clock.advanceTo(Date.parse('2026-11-16T07:30:00Z'));
    await flow.stop();
    expect(flow.runs).toHaveLength(2);
    const froms = flow.runs.map((r) => (r.actions.find((a) => a.name === 'Report_window')?.outputs as { from: string }).from);
    expect(froms).toEqual(['2026-11-02T07:00:00.0000000Z', '2026-11-09T07:00:00.0000000Z']);
  });

  it('over one day: no run, and the summary knows when the schedule first fires', async () => {
    const summary = await runSampleDay({
      connector: ourConnector(true), scriptHost: host(), flowFiles: [FLOW], root: ROOT, bindings: defaultBindings(path.join(dir, 'one-day')),
      apiName: model.brand.apiName, callsPerDay: 20, durationMs: DAY,
    });
    expect(summary.runs).toBe(0);
    expect(summary.flows[0].nextScheduledRun).toBe('2026-11-09T07:00:00Z');
  });
});
