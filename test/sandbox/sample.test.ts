import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import ExcelJS from 'exceljs';
import { afterAll, describe, expect, it } from 'vitest';
import { JsonLinesSink, localDateTime } from '../../sandbox/runtime/sinks';
import type { MemorySink } from '../../sandbox/runtime/sinks';
import { runSampleDay, type SampleDayProgress } from '../../sandbox/sample';
import { generateDay } from '../../sandbox/traffic/stories';
import { MINUTE, ourConnector, useSandboxes, useScriptHost } from './helpers';

const host = useScriptHost();
const start = useSandboxes();
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sandbox-sample-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('the sample flow (npm start)', () => {
  it('turns every answered call of the day into a row of the AnsweredCalls table, and unsubscribes when deleted', async () => {
    const workbook = path.join(dir, 'calls.xlsx');
    fs.writeFileSync(workbook, 'stale content to be overwritten');
    const ticks: SampleDayProgress[] = [];
    const summary = await runSampleDay({
      connector: ourConnector(true),
      scriptHost: host(),
      workbook,
      callsPerDay: 240,
      durationMs: 6 * 60 * MINUTE,
      seed: 4,
      progress: (p) => ticks.push(p),
    });
    expect(summary.calls).toBeGreaterThan(20);
    expect(summary.rows).toBe(summary.answered);
    expect(summary.rows).toBeLessThan(summary.calls);
    expect(summary.eventsRejected).toBe(0);
    expect(summary.webhooksLeft).toBe(0);
    // One tick per virtual hour, then a last one once the day has drained: it shows the summary's counts.
    expect(ticks).toHaveLength(7);
    expect(ticks.slice(0, -1).every((t) => !t.final)).toBe(true);
    expect(ticks.at(-1)).toMatchObject({ final: true, fraction: 1, calls: summary.calls, rows: summary.rows });

    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(workbook);
    const sheet = book.getWorksheet('Calls')!;
    const table = sheet.getTable('AnsweredCalls');
    expect(table).toBeDefined();
    expect(sheet.getRow(1).values).toEqual([undefined, 'Call ID', 'Started', 'Connected', 'Direction', 'Caller', 'Destination', 'Talk Time (s)', 'Employee ID', 'Transferred From']);
    expect(sheet.rowCount).toBe(summary.rows + 1);
    const ids = new Set<number>();
    for (let r = 2; r <= sheet.rowCount; r++) {
      const row = sheet.getRow(r);
      ids.add(row.getCell(1).value as number);
      expect(row.getCell(3).value).toBeInstanceOf(Date); // answered: a connect time
      expect(row.getCell(5).value).toMatch(/^\+3710\d{7}$/);
    }
    expect(ids.size).toBe(summary.rows);
  });
});

describe('polling and webhooks see the same calls', () => {
  it('a GetCallHistory flow delivers exactly the calls that CallStarted announced over a working day', async () => {
    const sb = await start({ connector: ourConnector(true), scriptHost: host() });
    await sb.runtime.save({ id: 'events', name: 'events', trigger: { operationId: 'CallStarted' }, sink: { kind: 'memory' } });
    await sb.runtime.save({ id: 'poll', name: 'poll', trigger: { operationId: 'GetCallHistory' }, sink: { kind: 'memory' } });
    const employees = sb.store.all('contacts').filter((c) => c.archived === 0);
    sb.player.schedule(generateDay({ seed: 9, start: sb.clock.now(), durationMs: 8 * 60 * MINUTE, callsPerDay: 600, employees }));
    await sb.clock.advanceBy(9 * 60 * MINUTE);
    const announced = (sb.runtime.flow('events')!.sink as MemorySink).items.map((e) => (e.data as { callID: number }).callID);
    const polled = (sb.runtime.flow('poll')!.sink as MemorySink).items.map((i) => i.callID as number);
    expect(announced).toHaveLength(200);
    expect([...polled].sort((a, b) => a - b)).toEqual([...announced].sort((a, b) => a - b));
  });
});

describe('sinks', () => {
  it('JSON lines: one object per run, the file overwritten when the sink opens', async () => {
    const file = path.join(dir, 'runs.jsonl');
    fs.writeFileSync(file, 'old\n');
    const sink = new JsonLinesSink(file);
    for (let i = 0; i < 1500; i++) sink.write({ n: i });
    await sink.close();
    const lines = fs.readFileSync(file, 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(1500);
    expect(JSON.parse(lines[1499])).toEqual({ n: 1499 });
  });

  it('Excel dates show the local time the PBX stated', () => {
    expect(localDateTime('2026-11-02T09:15:07+02:00')?.toISOString()).toBe('2026-11-02T09:15:07.000Z');
    expect(localDateTime('not a date')).toBeUndefined();
  });
});
