// A played day of the two missed-call flows together (flows/power-automate/missed-call-callback.json and
// missed-call-reached.json, optionally with others on the same connection), and what it left behind: the
// MissedCalls table, the cards and their answers, every Dial with the call the PBX played for it, every
// change of the lost callers. Shared by test/sandbox/ (the default PBX) and the profile matrix (test/profiles/).
import * as path from 'path';
import ExcelJS from 'exceljs';
import { expect } from 'vitest';
import { connector as model } from '../../connector/model/connector';
import { formatTimestamp } from '../../lib/expression';
import type { CallRecord, PbxBehaviourOptions, RecordingRecord } from '../../sandbox/pbx';
import type { DialRequest } from '../../sandbox/pbx/store';
import { runSampleDay, type SampleDaySummary } from '../../sandbox/sample';
import type { WorkflowRun } from '../../sandbox/workflow/engine';
import { defaultBindings, type Bindings } from '../../sandbox/workflow/host';
import { MISSED_CALLS_WORKBOOK } from '../../sandbox/workflow/stand-ins/excel';
import { cardAnswers, readOutbox, type TeamsCard, type TeamsCardResponse } from '../../sandbox/workflow/stand-ins/teams';
import type { ScriptHost } from '../../script-host/host';
import { ourConnector, ROOT } from './helpers';

export const CALLBACK_FLOW = 'missed-call-callback.json';
export const REACHED_FLOW = 'missed-call-reached.json';

type Row = Record<string, string | number | null>;

export interface MissedCallsDay {
  summary: SampleDaySummary;
  bindings: Bindings;
  /** The MissedCalls table, as written. */
  rows: Row[];
  cards: TeamsCard[];
  answers: Map<string, TeamsCardResponse>;
  /** Every Dial the PBX accepted, with the call it played for it. */
  dials: Array<DialRequest & { call: CallRecord | undefined }>;
  /** Every change of the lost callers, in order, with when (ms). */
  lost: Array<{ at: number; type: 'added' | 'updated' | 'removed'; callerid: string }>;
  /** Every call and recording of the store at the end (for who answered what). */
  calls: CallRecord[];
  recordings: RecordingRecord[];
  /** Employees by their public id (digits) → "First Last". */
  employees: Map<string, string>;
  /** The public id of a store id (digits: ordinary, or beyond Int64 under big-ids). */
  publicId: (id: number) => string;
  /** Each flow's runs, by file name. */
  runs: Map<string, WorkflowRun[]>;
  /** Webhooks on the PBX once the flows were deleted. */
  webhooksLeft: number;
}

/** Plays a day of the flows (by file name under flows/power-automate/) together, stops them and reads what they wrote. */
export async function playMissedCalls(options: {
  host: ScriptHost;
  dir: string;
  pbx?: PbxBehaviourOptions;
  flows?: readonly string[];
  seed?: number;
  callsPerDay?: number;
  durationMs?: number;
}): Promise<MissedCallsDay> {
  const flows = options.flows ?? [CALLBACK_FLOW, REACHED_FLOW];
  const bindings = { ...defaultBindings(options.dir), workbook: path.join(options.dir, MISSED_CALLS_WORKBOOK.fileName) };
  const dials: MissedCallsDay['dials'] = [];
  const lost: MissedCallsDay['lost'] = [];
  const summary = await runSampleDay({
    connector: ourConnector(true),
    scriptHost: options.host,
    pbx: options.pbx,
    flowFiles: flows.map((f) => path.join(ROOT, 'flows/power-automate', f)),
    root: ROOT,
    bindings,
    apiName: model.brand.apiName,
    seed: options.seed ?? 11,
    callsPerDay: options.callsPerDay ?? 400,
    durationMs: options.durationMs,
    keep: true,
    observe: (sb) =>
      void sb.store.onChange((change) => {
        if (change.type === 'dial-requested') {
          dials.push({ ...change.item, call: undefined });
        } else if (change.kind === 'calls' && change.type === 'added' && change.item.direction === 'out') {
          // The call the PBX places for a Dial starts a few seconds after it.
          const call = change.item;
          const dial = dials.find((d) => d.call === undefined && d.destination === call.destination && d.contactID === call.contactID);
          if (dial) dial.call = call;
        } else if (change.kind === 'lostCalls') {
          lost.push({ at: sb.clock.now(), type: change.type, callerid: change.item.callerid });
        }
      }),
  });
  const sb = summary.sandbox!;
  const calls = sb.store.all('calls');
  const recordings = sb.store.all('recordings');
  const byId = new Map(calls.map((c) => [c.callID, c]));
  for (const dial of dials) if (dial.call) dial.call = byId.get(dial.call.callID);
  const publicId = (id: number) => sb.pbx.api.publicId(id);
  const employees = new Map(sb.store.all('contacts').map((c) => [publicId(c.contactID), `${c.firstname} ${c.lastname}`]));
  const runs = new Map(summary.flows.map((f, i) => [flows[i], f.host!.runs]));
  await summary.stop!();
  const webhooksLeft = sb.store.webhooks().length;
  await sb.stop();
  const book = new ExcelJS.Workbook();
  await book.xlsx.readFile(bindings.workbook);
  const sheet = book.getWorksheet(MISSED_CALLS_WORKBOOK.sheet)!;
  const rows: Row[] = [];
  for (let r = 4; r <= sheet.rowCount; r++) rows.push(Object.fromEntries(MISSED_CALLS_WORKBOOK.columns.map((c, i) => [c, sheet.getRow(r).getCell(i + 1).value as string | number | null])));
  const outbox = readOutbox(bindings.teamsOutbox);
  const cards = outbox.filter((l): l is TeamsCard => 'kind' in l && l.kind === 'card');
  return { summary, bindings, rows, cards, answers: cardAnswers(outbox), dials, lost, calls, recordings, employees, publicId, runs, webhooksLeft };
}

/** The row Key of a card: its caller and its "Last attempt" fact (the flow writes both from the event). */
export function keyOfCard(card: TeamsCard): string {
  const text = JSON.stringify(card.card);
  const caller = /Missed call from (\+?\d+)/.exec(text)![1];
  const last = /"title":"Last attempt","value":"([^"]+)"/.exec(text)![1];
  return `${caller} ${last}`;
}

const NOT_REACHED = ['Open', 'Called back', 'Nobody pressed Call back within 8 hours'];

/** Did the call end at `at` (ms)? The PBX writes its times to the second. */
const endedAt = (call: CallRecord, at: number): boolean => Math.floor(at / 1000) * 1000 === Date.parse(call.callEnded);

/**
 * What the two flows promise together, checked against what the PBX did: every pressed card gave exactly one
 * Dial (from the presser's choice, to the card's caller, when it was pressed); a caller reached after their
 * row was written has the row Reached once, at the moment the PBX said so, naming who reached them; every
 * answered callback to a caller still lost is such a reaching; callers never reached stay Open, Called back
 * or not pressed. `dialsRefused`: the profile's ids cannot be dialled (beyond int32), so every press fails
 * its run at Call_back and nobody is dialled.
 */
export function expectMissedCallsClosed(day: MissedCallsDay, options: { dialsRefused?: boolean } = {}): { presses: number; answeredCallbacks: number; reached: number } {
  const { rows, cards, answers, dials, lost, calls } = day;
  const callbackRuns = day.runs.get(CALLBACK_FLOW)!;
  const reachedRuns = day.runs.get(REACHED_FLOW)!;
  expect(day.webhooksLeft).toBe(0);
  expect(day.summary.eventsRejected).toBe(0);
  // A row and a card per lost caller the flow heard of.
  expect(rows.map((r) => r.Key).sort()).toEqual(cards.map(keyOfCard).sort());
  expect(new Set(rows.map((r) => r.Key)).size).toBe(rows.length);
  const rowOf = new Map(rows.map((r) => [String(r.Key), r]));

  // Every pressed card gives exactly one Dial, at the press, from the employee picked, to the card's caller.
  const presses = cards.filter((c) => answers.has(c.messageId)).map((c) => ({ key: keyOfCard(c), caller: keyOfCard(c).split(' ')[0], answer: answers.get(c.messageId)! }));
  if (options.dialsRefused) {
    expect(dials).toEqual([]);
    const failed = callbackRuns.filter((r) => r.status === 'Failed');
    expect(failed).toHaveLength(presses.length);
    for (const run of failed) expect(run.error).toMatch(/^Call_back: int\(\): \d{21} is beyond Int64/);
  } else {
    expect(callbackRuns.filter((r) => r.status === 'Failed').map((r) => r.error)).toEqual([]);
    const unmatched = [...dials];
    for (const press of presses) {
      // The PBX writes the Dial's time to the second.
      const at = unmatched.findIndex((d) => d.destination === press.caller && day.publicId(d.contactID) === press.answer.data.contactID && Math.abs(Date.parse(d.at) - Date.parse(press.answer.at)) < 1000);
      expect(at, `the press of ${press.key} dialled once`).toBeGreaterThanOrEqual(0);
      unmatched.splice(at, 1);
    }
    expect(unmatched, 'dials no press asked for').toEqual([]);
  }
  expect(reachedRuns.filter((r) => r.status === 'Failed').map((r) => r.error)).toEqual([]);

  // The row of a press: who pressed; Called back unless reached.
  for (const press of presses) {
    const row = rowOf.get(press.key)!;
    if (options.dialsRefused) {
      expect(row['Handled By'], press.key).toBeNull();
      continue;
    }
    expect(row['Handled By'], press.key).toBe(`${press.answer.responder.displayName} (${press.answer.responder.email})`);
    expect(String(row['Employee Contact ID']), press.key).toBe(press.answer.data.contactID);
    expect(['Called back', 'Reached'], press.key).toContain(row.Status);
  }

  // Each row: reached once, when the PBX first said so after the row's lost call, by whom the call history names; else not reached.
  const removals = lost.filter((l) => l.type === 'removed');
  let reached = 0;
  for (const row of rows) {
    const missedAt = Date.parse(String(row['Missed At']));
    const removal = removals.find((l) => l.callerid === row.Caller && l.at >= missedAt);
    if (!removal) {
      expect(NOT_REACHED, String(row.Key)).toContain(row.Status);
      expect([row['Reached By'], row['Reached At']], String(row.Key)).toEqual([null, null]);
      continue;
    }
    reached++;
    expect(row.Status, String(row.Key)).toBe('Reached');
    // Marked once, at the first removal: a second marking would have written a later time.
    expect(row['Reached At'], String(row.Key)).toBe(formatTimestamp(removal.at, undefined, 'test'));
    const reaching = calls.find((c) => c.callConnected !== null && endedAt(c, removal.at) && (c.direction === 'out' ? c.destination : c.caller) === row.Caller);
    expect(reaching, `the call that reached ${row.Key}`).toBeDefined();
    expect(row['Reached By'], String(row.Key)).toBe(day.employees.get(day.publicId(reaching!.contactID)));
  }
  // Each reached row was marked by exactly one action (no row marked twice).
  const marks = reachedRuns.flatMap((r) => r.actions.filter((a) => a.name === 'Mark_as_reached' && a.status === 'Succeeded'));
  expect(marks).toHaveLength(reached);

  // Every answered callback to a caller still lost ends as a LostCallerRemoved that marks the card's row Reached, by the one who pressed.
  let answeredCallbacks = 0;
  for (const dial of dials) {
    expect(dial.call, `the call of the dial to ${dial.destination}`).toBeDefined();
    const call = dial.call!;
    const removal = removals.find((l) => l.callerid === dial.destination && endedAt(call, l.at));
    if (call.callConnected === null) {
      expect(removal, `an unanswered callback to ${dial.destination} reached nobody`).toBeUndefined();
      continue;
    }
    // Was the destination a lost caller when the call ended (its last change before then not a removal)?
    const end = removal?.at ?? Date.parse(call.callEnded);
    const last = lost.filter((l) => l.callerid === dial.destination && l.at <= end && l !== removal).at(-1);
    if (last === undefined || last.type === 'removed') continue;
    answeredCallbacks++;
    expect(removal, `the answered callback to ${dial.destination} removed the lost caller`).toBeDefined();
    // The row of the lost call it closed: the caller's latest row before the call ended.
    const row = rows.filter((r) => r.Caller === dial.destination && Date.parse(String(r['Missed At'])) <= end).at(-1)!;
    expect([row.Status, row['Reached At'], row['Reached By']], String(row.Key)).toEqual(['Reached', formatTimestamp(removal!.at, undefined, 'test'), day.employees.get(day.publicId(dial.contactID))]);
  }
  return { presses: presses.length, answeredCallbacks, reached };
}
