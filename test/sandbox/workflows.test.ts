/**
 * Every workflow definition under flows/ runs, unchanged, through the workflow runtime over a few
 * hours of mock-PBX traffic (trigger subscribed through the gateway and script.csx), and what each
 * produced — workbook rows, Teams messages, mails — is what its expressions make of the events.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import ExcelJS from 'exceljs';
import { afterAll, describe, expect, it } from 'vitest';
import { connector as model } from '../../connector/model/connector';
import { runSampleDay, type SampleDaySummary } from '../../sandbox/sample';
import { defaultBindings, type Bindings } from '../../sandbox/workflow/host';
import { workflowFiles } from '../../sandbox/workflow/load';
import { ANSWERED_CALLS_WORKBOOK } from '../../sandbox/workflow/stand-ins/excel';
import type { TeamsMessage } from '../../sandbox/workflow/stand-ins/teams';
import { callHistoryPollingTrigger, MINUTE, ourConnector, ROOT, useScriptHost } from './helpers';

const host = useScriptHost();
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sandbox-workflows-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

type Body = { eventType: string; data: Record<string, unknown> };

async function play(file: string): Promise<{ summary: SampleDaySummary; bindings: Bindings; bodies: Body[]; answeredIds: number[] }> {
  const bindings = defaultBindings(path.join(dir, path.basename(path.dirname(file)) + '-' + path.basename(file, '.json')));
  const summary = await runSampleDay({
    connector: ourConnector(true),
    scriptHost: host(),
    flowFiles: [file],
    root: ROOT,
    bindings,
    apiName: model.brand.apiName,
    callsPerDay: 300,
    durationMs: 8 * 60 * MINUTE,
    seed: 11,
    keep: true,
  });
  const sb = summary.sandbox!;
  const wf = summary.flows[0].host!;
  // The calls answered during the played day (the seed holds older history).
  const answeredIds = sb.store.all('calls').filter((c) => c.callConnected !== null && Date.parse(c.callConnected) >= Date.parse(summary.from)).map((c) => c.callID);
  await summary.stop!();
  expect(sb.store.webhooks()).toHaveLength(0); // stopping the flow unsubscribed through the Location
  await sb.stop();
  expect(summary.failedRuns).toBe(0);
  expect(summary.eventsRejected).toBe(0);
  return { summary, bindings, bodies: wf.runs.map((r) => r.trigger.outputs.body as unknown as Body), answeredIds };
}

/** What the lost-caller flows' message text makes of one event. */
const lostCallerText = (d: Record<string, unknown>): string =>
  `<p>Missed call from <b>${d.callerid}</b> to ${d.destination} (${d.contact_name}).<br>Attempts: ${d.attempts}, last at ${d.last_contact}. Please call back.</p>`;

async function tableRows(file: string): Promise<{ note: unknown; ref: string; headers: unknown[]; rows: unknown[][] }> {
  const book = new ExcelJS.Workbook();
  await book.xlsx.readFile(file);
  const sheet = book.getWorksheet(ANSWERED_CALLS_WORKBOOK.sheet)!;
  const table = sheet.getTable(ANSWERED_CALLS_WORKBOOK.table) as unknown as { table: { tableRef: string; columns: Array<{ name: string }> } };
  const rows: unknown[][] = [];
  for (let r = 4; r <= sheet.rowCount; r++) rows.push((sheet.getRow(r).values as unknown[]).slice(1));
  return { note: sheet.getCell('A1').value, ref: table.table.tableRef, headers: table.table.columns.map((c) => c.name), rows };
}

const flowsDir = path.join(ROOT, 'flows');
const files = workflowFiles(flowsDir).map((f) => path.relative(ROOT, f).split(path.sep).join('/'));

describe('every shipped workflow definition runs in the sandbox', () => {
  it('finds all eight (the weekly report plays in weekly-report.test.ts; the recording archive and the missed-call callback in recording-and-callback-flows.test.ts; both missed-call flows together in missed-call-flows.test.ts)', () => {
    expect(files).toEqual([
      'flows/logic-apps/call-answered-to-excel/workflow.json',
      'flows/logic-apps/lost-caller-to-email/workflow.json',
      'flows/power-automate/call-answered-to-excel.json',
      'flows/power-automate/lost-caller-to-teams.json',
      'flows/power-automate/missed-call-callback.json',
      'flows/power-automate/missed-call-reached.json',
      'flows/power-automate/recording-archive.json',
      'flows/power-automate/weekly-call-report.json',
    ]);
  });

  for (const file of files.filter((f) => f.includes('call-answered-to-excel'))) {
    it(`${file}: one row per answered call in the Calls table, with the values of the flow's expressions`, async () => {
      const { summary, bindings, bodies, answeredIds } = await play(path.join(ROOT, file));
      expect(summary.runs).toBeGreaterThan(20);
      expect(summary.produced).toEqual([{ api: expect.any(String), label: 'rows', count: summary.runs }]);
      const { note, ref, headers, rows } = await tableRows(bindings.workbook);
      expect(note).toMatch(/local time .*UTC offset \(\+02:00 in winter, \+03:00 in summer\)/); // true for every brand: no city named
      expect(headers).toEqual([...ANSWERED_CALLS_WORKBOOK.columns]);
      expect(ref).toBe(`A3:H${3 + summary.runs}`);
      expect(rows).toEqual(bodies.map((b) => [b.data.callID, b.data.caller, b.data.destination, b.data.direction, b.data.callStarted, b.data.callConnected, b.data.contactID, b.eventType]));
      expect(rows.every((r) => r[7] === 'CallConnected' && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+0[23]:00$/.test(String(r[5])))).toBe(true);
      expect(rows.map((r) => r[0]).sort()).toEqual([...answeredIds].sort());
      expect(fs.existsSync(bindings.mailDir)).toBe(false); // the flow sends no mail: that stand-in stays closed
    });
  }

  it('flows/power-automate/lost-caller-to-teams.json: one Teams message per lost caller, to the picked team and channel', async () => {
    const { summary, bindings, bodies } = await play(path.join(ROOT, 'flows/power-automate/lost-caller-to-teams.json'));
    expect(summary.runs).toBeGreaterThan(3);
    expect(bodies.every((b) => b.eventType === 'LostCallerAdded')).toBe(true);
    const messages = fs.readFileSync(bindings.teamsOutbox, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as TeamsMessage);
    expect(messages.map((m) => m.messageBody)).toEqual(bodies.map((b) => lostCallerText(b.data)));
    // Each names the employee the caller tried to reach (it read "()" when the sandbox set no name).
    expect(messages.filter((m) => m.messageBody.includes('()'))).toEqual([]);
    expect(bodies.every((b) => typeof b.data.contact_name === 'string' && /^\p{L}+ \p{L}+/u.test(b.data.contact_name))).toBe(true);
    expect(messages.every((m) => m.poster === 'Flow bot' && m.location === 'Channel' && /^PICK-IN-DESIGNER/.test(m.team ?? '') && /^PICK-IN-DESIGNER/.test(m.channel ?? ''))).toBe(true);
    expect(fs.existsSync(bindings.workbook)).toBe(false);
  });

  it('flows/logic-apps/lost-caller-to-email/workflow.json: one mail per lost caller, as .eml', async () => {
    const { summary, bindings, bodies } = await play(path.join(ROOT, 'flows/logic-apps/lost-caller-to-email/workflow.json'));
    expect(summary.runs).toBeGreaterThan(3);
    const mails = fs.readdirSync(bindings.mailDir).sort().map((f) => fs.readFileSync(path.join(bindings.mailDir, f), 'utf8'));
    expect(mails).toHaveLength(summary.runs);
    mails.forEach((eml, i) => {
      const [head, body] = eml.split('\r\n\r\n');
      expect(head).toContain('To: reception@example.com');
      expect(head).toContain(`Subject: Missed call from ${bodies[i].data.callerid}`);
      expect(head).toContain('Content-Type: text/html; charset=utf-8');
      expect(Buffer.from(body.replace(/\r\n/g, ''), 'base64').toString('utf8')).toBe(lostCallerText(bodies[i].data));
    });
    expect(fs.existsSync(bindings.workbook)).toBe(false);
  });
});

describe('a polling trigger and an action of this connector', () => {
  it('polls GetCallHistory by the protocol and reads each call’s employee with GetContactsByID, through the gateway', async () => {
    const file = path.join(dir, 'polling', 'calls-to-teams.json');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const api = '/providers/Microsoft.PowerApps/apis/shared_zvanuparvaldnieks';
    fs.writeFileSync(
      file,
      JSON.stringify({
        properties: {
          displayName: 'Calls to Teams, polled',
          connectionReferences: {
            shared_zvanuparvaldnieks: { runtimeSource: 'embedded', connection: { connectionReferenceLogicalName: 'lmt_ZvanuParvaldnieks' }, api: { name: 'shared_zvanuparvaldnieks' } },
            shared_teams: { runtimeSource: 'embedded', connection: { connectionReferenceLogicalName: 'lmt_Teams' }, api: { name: 'shared_teams' } },
          },
          definition: {
            triggers: { When_a_call_is_logged: callHistoryPollingTrigger('shared_zvanuparvaldnieks') },
            actions: {
              Get_contact: {
                type: 'OpenApiConnection',
                runAfter: {},
                inputs: { host: { connectionName: 'shared_zvanuparvaldnieks', operationId: 'GetContactsByID', apiId: api }, parameters: { contact_id: "@triggerBody()?['contactID']" } },
              },
              Post: {
                type: 'OpenApiConnection',
                runAfter: { Get_contact: ['Succeeded'] },
                inputs: {
                  host: { connectionName: 'shared_teams', operationId: 'PostMessageToConversation', apiId: '/providers/Microsoft.PowerApps/apis/shared_teams' },
                  parameters: { poster: 'Flow bot', location: 'Channel', 'body/recipient/groupId': 'PICK-IN-DESIGNER', 'body/recipient/channelId': 'PICK-IN-DESIGNER', 'body/messageBody': "@{triggerBody()?['callID']} @{body('Get_contact')?['data']?['contactID']}" },
                },
              },
            },
          },
        },
      }),
    );
    const { summary, bindings, bodies } = await play(file);
    expect(summary.runs).toBeGreaterThan(20);
    const calls = bodies as unknown as Array<{ callID: number; contactID: number }>;
    // Every new call exactly once, and each message holds what the action read back for its employee.
    expect(new Set(calls.map((c) => c.callID)).size).toBe(calls.length);
    const messages = fs.readFileSync(bindings.teamsOutbox, 'utf8').trimEnd().split('\n').map((l) => (JSON.parse(l) as TeamsMessage).messageBody);
    expect(messages).toEqual(calls.map((c) => `${c.callID} ${c.contactID}`));
    expect(summary.gatewayCalls).toBeGreaterThan(summary.runs); // polls plus one GetContactsByID per run
  });
});
