import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import ExcelJS from 'exceljs';
import { afterAll, describe, expect, it } from 'vitest';
import { JsonLinesSink } from '../../sandbox/runtime/sinks';
import type { MemorySink } from '../../sandbox/runtime/sinks';
import { connector as model } from '../../connector/model/connector';
import { runSampleDay, type SampleDayProgress } from '../../sandbox/sample';
import { defaultBindings } from '../../sandbox/workflow/host';
import { ANSWERED_CALLS_WORKBOOK } from '../../sandbox/workflow/stand-ins/excel';
import { generateDay } from '../../sandbox/traffic/stories';
import { MINUTE, ourConnector, ROOT, useSandboxes, useScriptHost } from './helpers';

const host = useScriptHost();
const start = useSandboxes();
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sandbox-sample-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('the day npm start plays', () => {
  it('runs the shipped CallConnected → Excel flow by default: a row per answered call, ticks hourly, nothing left subscribed', async () => {
    const bindings = defaultBindings(dir);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(bindings.workbook, 'stale content to be overwritten');
    const ticks: SampleDayProgress[] = [];
    const summary = await runSampleDay({
      connector: ourConnector(true),
      scriptHost: host(),
      flowFiles: [path.join(ROOT, 'flows/power-automate/call-answered-to-excel.json')],
      root: ROOT,
      bindings,
      apiName: model.brand.apiName,
      callsPerDay: 240,
      durationMs: 6 * 60 * MINUTE,
      seed: 4,
      progress: (p) => ticks.push(p),
    });
    expect(summary.flows[0].flow).toBe('flows/power-automate/call-answered-to-excel.json');
    expect(summary.calls).toBeGreaterThan(20);
    expect(summary.runs).toBe(summary.answered);
    expect(summary.produced).toEqual([{ api: expect.stringMatching(/Excel/), label: 'rows', count: summary.answered }]);
    expect(summary.answered).toBeLessThan(summary.calls);
    expect(summary.eventsRejected).toBe(0);
    expect(summary.webhooksLeft).toBe(0);
    // One tick per virtual hour, then a last one once the day has drained: it shows the summary's counts.
    expect(ticks).toHaveLength(7);
    expect(ticks.slice(0, -1).every((t) => !t.final)).toBe(true);
    expect(ticks.at(-1)).toMatchObject({ final: true, fraction: 1, calls: summary.calls, runs: summary.runs, produced: summary.produced });

    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(bindings.workbook);
    const sheet = book.getWorksheet('Calls')!;
    expect(sheet.getTable('Calls')).toBeDefined();
    expect(sheet.getRow(3).values).toEqual([undefined, ...ANSWERED_CALLS_WORKBOOK.columns]);
    expect(sheet.rowCount).toBe(3 + summary.answered);
  });

  it('refuses a flow it cannot run before the day starts, naming file, pointer and name', async () => {
    const bad = path.join(dir, 'bad-flow.json');
    const flow = JSON.parse(fs.readFileSync(path.join(ROOT, 'flows/power-automate/call-answered-to-excel.json'), 'utf8'));
    flow.properties.definition.actions.Add_a_row_into_a_table.inputs.parameters['item/Caller'] = "@formatNumber(triggerBody()?['data']?['caller'], 'x')";
    fs.writeFileSync(bad, JSON.stringify(flow));
    const run = runSampleDay({ connector: ourConnector(true), scriptHost: host(), flowFiles: [bad], root: dir, bindings: defaultBindings(dir), apiName: model.brand.apiName, durationMs: MINUTE });
    await expect(run).rejects.toThrow('bad-flow.json: /properties/definition/actions/Add_a_row_into_a_table/inputs/parameters/item~1Caller: the function "formatNumber" is not supported');
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
});
