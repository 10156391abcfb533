/**
 * The two flows that go beyond notifications, run unchanged over a working day of mock-PBX traffic:
 * the recording archive (each recording of the day becomes a file in OneDrive, byte for byte what the PBX
 * holds, and the API key never reaches another host) and the missed-call callback (a card per lost caller;
 * each press of its button dials once and marks the caller's row handled, with who and when).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import ExcelJS from 'exceljs';
import { afterAll, describe, expect, it } from 'vitest';
import { connector as model } from '../../connector/model/connector';
import { recordingAudio, recordingLinkKind, RECORDING_STORAGE_HOST, type ObservedExchange } from '../../sandbox/pbx';
import type { DialRequest } from '../../sandbox/pbx/store';
import { runSampleDay } from '../../sandbox/sample';
import { defaultBindings, type Bindings } from '../../sandbox/workflow/host';
import type { Sandbox } from '../../sandbox/sandbox';
import { MISSED_CALLS_WORKBOOK } from '../../sandbox/workflow/stand-ins/excel';
import { cardAnswers, readOutbox, type TeamsCard } from '../../sandbox/workflow/stand-ins/teams';
import { MINUTE, ourConnector, ROOT, useSandboxes, useScriptHost } from './helpers';
import { send } from '../../sandbox/http';

const host = useScriptHost();
const start = useSandboxes();
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sandbox-recording-callback-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const HOUR = 60 * MINUTE;

/** A working day (8 hours, 300 calls a day) of one shipped Power Automate flow; the sandbox and the flow are kept for the test to stop. */
function playDay(flow: string, bindings: Bindings, observe: (sb: Sandbox) => void) {
  return runSampleDay({
    connector: ourConnector(true),
    scriptHost: host(),
    flowFiles: [path.join(ROOT, 'flows/power-automate', flow)],
    root: ROOT,
    bindings,
    apiName: model.brand.apiName,
    callsPerDay: 300,
    durationMs: 8 * HOUR,
    seed: 11,
    keep: true,
    observe,
  });
}

function filesUnder(folder: string): string[] {
  if (!fs.existsSync(folder)) return [];
  return fs.readdirSync(folder, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(path.join(folder, e.name)) : [path.join(folder, e.name)]));
}

describe('GetRecordingFile through the gateway', () => {
  it('answers each kind of link with the PBX\'s bytes and type; the network knows only the PBX and the storage host; plain HTTP gets no key', async () => {
    const sb = await start({ connector: ourConnector(true), scriptHost: host() });
    const seen: ObservedExchange[] = [];
    sb.pbx.api.onRequest((x) => seen.push(x));
    const call = sb.store.all('calls')[0];
    const file = (id: number) => send({ method: 'GET', url: `${sb.connection.url}/call_records/${id}/file` });
    const kinds = new Set<string>();
    for (let i = 0; i < 3; i++) {
      const id = sb.store.add('recordings', { callID: call.callID, recordingURL: '' }).recordingID;
      sb.store.update('recordings', id, { recordingURL: sb.store.recordingLink(id) });
      const kind = recordingLinkKind(id);
      kinds.add(kind);
      const answer = await file(id);
      expect(answer.status, kind).toBe(200);
      expect(answer.headers['content-type'], kind).toBe('audio/wav');
      expect(answer.headers['content-disposition'], kind).toMatch(/^attachment; filename="/);
      expect(answer.bytes?.equals(recordingAudio(id)), kind).toBe(true);
    }
    expect(kinds.size).toBe(3);
    const unknown = sb.store.add('recordings', { callID: call.callID, recordingURL: 'https://elsewhere.example.invalid/r/1.wav' }).recordingID;
    const refused = await file(unknown);
    expect(refused.status).toBe(502);
    expect(JSON.parse(refused.body).message).toMatch(/could not be reached .*ENOTFOUND elsewhere\.example\.invalid/);
    const plain = sb.store.add('recordings', { callID: call.callID, recordingURL: `http://${sb.store.publicHost}/api/v2/recordings/1/audio` }).recordingID;
    expect((await file(plain)).status).toBe(502);
    const overHttp = seen.filter((x) => x.request.headers['x-forwarded-proto'] === 'http');
    expect(overHttp.map((x) => [x.request.path, x.request.headers.authorization ?? null, x.response.status])).toEqual([['/api/v2/recordings/1/audio', null, 401]]);
  });
});

describe('flows/power-automate/recording-archive.json', () => {
  it('writes one file per recording of the day, byte for byte what the PBX holds, in a folder per day named by time, direction and caller; the key never reaches another host', async () => {
    const bindings = defaultBindings(path.join(dir, 'archive'));
    const exchanges: ObservedExchange[] = [];
    const summary = await playDay('recording-archive.json', bindings, (sb) => void sb.pbx.api.onRequest((x) => exchanges.push(x)));
    const sb = summary.sandbox!;
    const calls = new Map(sb.store.all('calls').map((c) => [c.callID, c]));
    // The recordings of the played day: the seed's older ones started no run.
    const recorded = sb.store.all('recordings').filter((r) => Date.parse(calls.get(r.callID)!.callStarted) >= Date.parse(summary.from));
    await summary.stop!();
    await sb.stop();

    expect(summary.failedRuns).toBe(0);
    expect(recorded.length).toBeGreaterThan(20);
    expect(summary.runs).toBe(recorded.length);
    const files = filesUnder(bindings.driveDir);
    expect(files).toHaveLength(recorded.length);
    for (const r of recorded) {
      const call = calls.get(r.callID)!;
      const other = call.direction === 'out' ? call.destination : call.caller;
      const expected = path.join(bindings.driveDir, 'Call recordings', call.callStarted.slice(0, 10), `${call.callStarted.slice(11, 19).replace(/:/g, '')} ${call.direction} ${other} (${r.recordingID}).wav`);
      expect(files, `recording ${r.recordingID}`).toContain(expected);
      expect(fs.readFileSync(expected).equals(recordingAudio(r.recordingID)), `recording ${r.recordingID}`).toBe(true);
    }

    // Every kind of link was followed: on the PBX host, pre-signed elsewhere, and a redirect from one to the other.
    expect(new Set(recorded.map((r) => recordingLinkKind(r.recordingID)))).toEqual(new Set(['pbx', 'presigned', 'redirect']));
    const fetched = (route: string) => exchanges.filter((x) => x.route === route);
    const elsewhere = recorded.filter((r) => recordingLinkKind(r.recordingID) !== 'pbx').length;
    // The storage host got every pre-signed fetch, direct or after a redirect, and never an Authorization header.
    expect(fetched('storage:file')).toHaveLength(elsewhere);
    expect(fetched('storage:file').every((x) => x.request.headers.host === RECORDING_STORAGE_HOST && x.request.headers.authorization === undefined && x.response.status === 200)).toBe(true);
    // The PBX host got the key, over HTTPS, for its own links and for the redirects it answered.
    const own = [...fetched('file:pbx'), ...fetched('file:redirect')];
    expect(own).toHaveLength(recorded.length - elsewhere + recorded.filter((r) => recordingLinkKind(r.recordingID) === 'redirect').length);
    expect(own.every((x) => x.request.headers.authorization === `Bearer ${sb.apiKey}` && x.request.headers['x-forwarded-proto'] === 'https')).toBe(true);
  });
});

describe('flows/power-automate/missed-call-callback.json', () => {
  it('posts a card per lost caller; every press dials the caller from the presser\'s phone once and marks the row handled with who and when', async () => {
    const bindings = { ...defaultBindings(path.join(dir, 'callback')), workbook: path.join(dir, 'callback', MISSED_CALLS_WORKBOOK.fileName) };
    const dials: DialRequest[] = [];
    const summary = await playDay('missed-call-callback.json', bindings, (sb) => void sb.store.onChange((change) => change.type === 'dial-requested' && dials.push(change.item)));
    const sb = summary.sandbox!;
    const wf = summary.flows[0].host!;
    // Cards posted late in the day still wait (8 hours) when the flow is stopped: those runs are cancelled.
    const waitingAtStop = wf.waiting;
    await summary.stop!();
    await sb.stop();
    const bodies = wf.runs.map((r) => (r.trigger.outputs.body as { data: Record<string, string | number> }).data);

    expect(summary.failedRuns).toBe(0);
    expect(waitingAtStop).toBeGreaterThan(0);
    expect(wf.cancelledRuns).toHaveLength(waitingAtStop);
    const lines = readOutbox(bindings.teamsOutbox);
    const cards = lines.filter((l): l is TeamsCard => 'kind' in l && l.kind === 'card');
    const answers = cardAnswers(lines);
    expect(cards).toHaveLength(wf.runs.length);
    expect(cards.length).toBeGreaterThan(5);
    expect(answers.size).toBeGreaterThan(0);
    expect(answers.size).toBeLessThan(cards.length);

    // Each press: exactly one Dial, from the phone of the employee who pressed, to the card's caller; nobody dialled twice.
    const callerOf = (card: TeamsCard) => /Missed call from (\+?\d+)/.exec(JSON.stringify(card.card))![1];
    const presses = cards.filter((c) => answers.has(c.messageId)).map((c) => ({ caller: callerOf(c), contactID: Number(answers.get(c.messageId)!.data.contactID) }));
    expect(dials.map((d) => ({ caller: d.destination, contactID: d.contactID })).sort((a, b) => a.caller.localeCompare(b.caller))).toEqual(presses.sort((a, b) => a.caller.localeCompare(b.caller)));
    expect(new Set(dials.map((d) => d.destination)).size).toBe(dials.length);

    // The Missed calls table: a row per lost caller; a pressed card's row is handled, by whom and when.
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(bindings.workbook);
    const sheet = book.getWorksheet(MISSED_CALLS_WORKBOOK.sheet)!;
    const rows: Array<Record<string, unknown>> = [];
    for (let r = 4; r <= sheet.rowCount; r++) rows.push(Object.fromEntries(MISSED_CALLS_WORKBOOK.columns.map((c, i) => [c, sheet.getRow(r).getCell(i + 1).value])));
    // Rows and cards in the order the runs started (a run waiting for its card lets the next one start).
    expect(rows.map((r) => r.Key).sort()).toEqual(bodies.map((b) => `${b.callerid} ${b.last_contact}`).sort());
    let handled = 0;
    rows.forEach((row, i) => {
      const card = cards[i];
      const answer = answers.get(card.messageId);
      expect(callerOf(card)).toBe(row.Caller);
      if (!answer) {
        expect(['Open', 'Nobody pressed Call back within 8 hours']).toContain(row.Status);
        return;
      }
      handled++;
      expect(row).toMatchObject({ Status: 'Called back', 'Handled By': `${answer.responder.displayName} (${answer.responder.email})`, 'Employee Contact ID': answer.data.contactID });
      expect(Date.parse(String(row['Handled At']))).toBeGreaterThanOrEqual(Date.parse(answer.at));
    });
    expect(handled).toBe(answers.size);
    expect(rows.filter((r) => r.Status === 'Open')).toHaveLength(waitingAtStop);
  });
});
