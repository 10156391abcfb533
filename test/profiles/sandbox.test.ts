// The whole sandbox under every PBX profile (test/profiles/harness.ts): the mock PBX over HTTP, the
// gateway running script.csx, the flow runtime. A polling flow, the webhook lifecycle, GetRecordingFile
// over every kind of link the profile's PBX writes and the shipped weekly report
// (flows/power-automate/weekly-call-report.json) behave the same whatever the profile.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import ExcelJS from 'exceljs';
import { afterAll, describe, expect, it } from 'vitest';
import { connector as model } from '../../connector/model/connector';
import { CALL_STATUS, formatRiga, recordingAudio, type ObservedExchange } from '../../sandbox/pbx';
import { send } from '../../sandbox/http';
import { apiOptionsOf } from '../../sandbox/pbx/profiles';
import type { MemorySink } from '../../sandbox/runtime/sinks';
import { defaultBindings, WorkflowHost } from '../../sandbox/workflow/host';
import { WEEKLY_CALLS_WORKBOOK } from '../../sandbox/workflow/stand-ins/excel';
import { MINUTE, ourConnector, ROOT, useSandboxes, useScriptHost } from '../sandbox/helpers';
import { expectExactlyOnce, MATRIX } from './harness';

const host = useScriptHost();
const start = useSandboxes();
const ours = ourConnector(true);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'profiles-sandbox-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe.each(MATRIX)('PBX profile $name: the sandbox', (profile) => {
  it('a polling flow delivers each new call once, and checks at its own recurrence (no PBX Location or Retry-After reached it)', async () => {
    const sb = await start({ connector: ours, scriptHost: host(), pbx: apiOptionsOf(profile) });
    await sb.runtime.save({ id: 'poll', name: 'poll', trigger: { operationId: 'GetCallHistory', recurrenceMs: 3 * MINUTE }, sink: { kind: 'memory' } });
    await sb.clock.advanceBy(MINUTE);
    const ids = sb.addAnsweredCalls(4);
    await sb.clock.advanceBy(9 * MINUTE);
    const delivered = (sb.runtime.flow('poll')!.sink as MemorySink).items.map((i) => String(i.callID));
    expectExactlyOnce(delivered, ids.map((id) => sb.pbx.api.publicId(id)));
    // A Location of the PBX's own would have sent a check elsewhere (a failure); its Retry-After: 30 more checks.
    expect(sb.runtime.stats.pollFailures).toBe(0);
    expect(sb.runtime.pollChecks('poll')).toBeLessThanOrEqual(6);
  });

  it('webhook triggers: save, edit, off, on and delete leave no webhook, each Location through the connector', async () => {
    const sb = await start({ connector: ours, scriptHost: host(), pbx: apiOptionsOf(profile) });
    for (const operationId of ['CallCompleted', 'LostCallerAdded']) {
      const flow = { id: operationId, name: operationId, trigger: { operationId }, sink: { kind: 'memory' as const } };
      expect(await sb.runtime.save(flow)).toBe('on');
      expect(sb.runtime.flow(operationId)!.location?.startsWith(`${sb.connection.url}/webhooks/`)).toBe(true);
      await sb.runtime.save({ ...flow, trigger: { operationId, settings: { edited: true } } });
      expect(sb.store.webhooks(operationId as 'CallCompleted')).toHaveLength(1);
      await sb.runtime.setEnabled(operationId, false);
      await sb.runtime.setEnabled(operationId, true);
      await sb.runtime.delete(operationId);
    }
    expect(sb.store.webhooks()).toEqual([]);
    expect(sb.runtime.stats).toMatchObject({ subscribes: 6, unsubscribes: 6, subscribeRefused: 0, unsubscribeMissingLocation: 0 });
  });

  it('GetRecordingFile answers a recording of each kind of link the PBX writes with its bytes; the key goes to the PBX host only, no PBX header reaches the flow', async () => {
    const sb = await start({ connector: ours, scriptHost: host(), pbx: apiOptionsOf(profile) });
    const seen: ObservedExchange[] = [];
    sb.pbx.api.onRequest((x) => seen.push(x));
    const call = sb.store.all('calls')[0];
    const kinds = new Set<string>();
    for (let i = 0; i < profile.recordingLinks.length; i++) {
      const id = sb.store.add('recordings', { callID: call.callID, recordingURL: '' }).recordingID;
      sb.store.update('recordings', id, { recordingURL: sb.store.recordingLink(id) });
      kinds.add(sb.store.recordingLinkKind(id));
      const answer = await send({ method: 'GET', url: `${sb.connection.url}/call_records/${sb.pbx.api.publicId(id)}/file` });
      expect([answer.status, answer.headers['content-type'], answer.bytes?.equals(recordingAudio(id))], `recording ${id}: ${answer.body.slice(0, 300)}`).toEqual([200, 'audio/wav', true]);
      expect([answer.headers.location, answer.headers['retry-after'], answer.headers['set-cookie']], `recording ${id}`).toEqual([undefined, undefined, undefined]);
    }
    expect([...kinds].sort()).toEqual([...profile.recordingLinks].sort());
    const storage = seen.filter((x) => x.route === 'storage:file');
    expect(storage.length).toBe(profile.recordingLinks.filter((k) => k !== 'pbx').length);
    expect(storage.every((x) => x.request.headers.authorization === undefined)).toBe(true);
  });

  it('the weekly report reads a week of exactly 200 calls (its last page full) and writes one row per answered call', async () => {
    const sb = await start({ connector: ours, scriptHost: host(), pbx: apiOptionsOf(profile) });
    const bindings = defaultBindings(path.join(dir, profile.name));
    const flow = await WorkflowHost.start({ sandbox: sb, connector: ours, file: path.join(ROOT, 'flows/power-automate/weekly-call-report.json'), root: ROOT, bindings, apiName: model.brand.apiName });
    // The sandbox starts on Monday 2026-11-02 07:15 UTC (after the seed's calls); the report is due on 2026-11-09 07:00 UTC.
    const contact = sb.store.view('contacts')[0];
    const week: Array<{ id: number; answered: boolean }> = [];
    for (let i = 0; i < 200; i++) {
      const at = sb.clock.now() + 3_600_000 + i * 45 * MINUTE;
      const answered = i % 5 !== 4;
      const call = sb.store.add('calls', {
        caller: '+37100000001', destination: contact.number, direction: 'in', status: answered ? CALL_STATUS.answered : CALL_STATUS.unanswered,
        callStarted: formatRiga(at), callConnected: answered ? formatRiga(at + 5000) : null, callEnded: formatRiga(at + 60_000), contactID: contact.contactID, transferredTo: null,
      });
      week.push({ id: call.callID, answered });
    }
    await sb.clock.advanceTo(Date.parse('2026-11-09T07:01:00Z'));
    await flow.stop();
    expect(flow.failedRuns.map((r) => r.error)).toEqual([]);
    expect(flow.runs).toHaveLength(1);
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(bindings.workbook);
    const sheet = book.getWorksheet(WEEKLY_CALLS_WORKBOOK.sheet)!;
    const written: string[] = [];
    for (let r = 4; r <= sheet.rowCount; r++) written.push(String(sheet.getRow(r).getCell(1).value));
    expectExactlyOnce(written, week.filter((c) => c.answered).map((c) => sb.pbx.api.publicId(c.id)));
  });
});
