// The benchmark's pieces: figures merged from modules into one object, percentiles, the script module's shape.
import { describe, expect, it } from 'vitest';
import { measureScriptOverhead, percentile } from '../../script-host/bench';
import * as path from 'path';
import { mobiliStotele } from '../../connector/brand/mobili-stotele';
import { zvanuParvaldnieks } from '../../connector/brand/zvanu-parvaldnieks';
import { parseCommand } from '../../lib/cli';
import { defaultBaseline } from '../../sandbox/bench/baseline';
import { BENCH_CLI, runBench, type Figure } from '../../scripts/bench';

describe('bench', () => {
  it('percentile picks the nearest rank', () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    expect([percentile(values, 50), percentile(values, 99), percentile(values, 100)]).toEqual([50, 99, 100]);
    expect(percentile([7], 99)).toBe(7);
  });

  it('percentile takes samples in any order, leaves them as they are, and gives 0 for none', () => {
    const samples = [5, 1, 4, 2, 3];
    expect([percentile(samples, 20), percentile(samples, 50), percentile(samples, 100)]).toEqual([1, 3, 5]);
    expect(samples).toEqual([5, 1, 4, 2, 3]);
    expect(percentile([], 50)).toBe(0);
  });

  it('merges the figures of every module and refuses a figure produced twice or without its baseline', async () => {
    const options = { root: '.', baselineFolder: '.' };
    const a = { name: 'a', run: async () => ({ x: { ours: 1, baseline: null } }) };
    const b = { name: 'b', run: async () => ({ y: { ours: 2, baseline: 3 } }) };
    expect(await runBench(options, [a, b])).toEqual({ x: { ours: 1, baseline: null }, y: { ours: 2, baseline: 3 } });
    await expect(runBench(options, [a, a])).rejects.toThrow(/x is produced twice/);
    const noBaseline = { name: 'c', run: async () => ({ z: { ours: 4 } as unknown as Figure }) };
    await expect(runBench(options, [noBaseline])).rejects.toThrow(/figure z must be \{"ours": number \| null, "baseline": number \| null\}/);
  });

  it('reports progress only through the sink it is given', async () => {
    const lines: string[] = [];
    await runBench({ root: '.', baselineFolder: '.', progress: (l) => lines.push(l) }, [{ name: 'a', run: async () => ({}) }]);
    expect(lines[0]).toBe('a...');
    expect(lines[1]).toMatch(/^a done in \d+\.\d s$/);
  });

  it('the script module measures the time inside the host per execution', async () => {
    const figures = await measureScriptOverhead({ executions: 40, warmup: 4 });
    expect(Object.keys(figures).sort()).toEqual(['scriptOverheadMsMedian', 'scriptOverheadMsP99', 'scriptRoundTripMsMedian']);
    expect(figures.scriptOverheadMsMedian.ours).toBeGreaterThan(0);
    expect(figures.scriptOverheadMsP99.ours).toBeGreaterThanOrEqual(figures.scriptOverheadMsMedian.ours!);
  });

  it('--brand picks the brand (the primary by default), whose own published 1.0 is the default baseline', () => {
    expect(parseCommand(BENCH_CLI, [], { env: {} }).flags.brand).toBe(zvanuParvaldnieks.slug);
    expect(parseCommand(BENCH_CLI, ['--brand', 'mobili-stotele'], { env: {} }).flags.brand).toBe('mobili-stotele');
    expect(() => parseCommand(BENCH_CLI, ['--brand', 'tele3'], { env: {} })).toThrow(/--brand expects zvanu-parvaldnieks or mobili-stotele/);
    expect(defaultBaseline(mobiliStotele.publishedReference)).toBe('../shared/reference/certified-mobili-stotele-1.0');
    expect(defaultBaseline(zvanuParvaldnieks.publishedReference)).toBe('../shared/reference/certified-connector-1.0');
  });

  it('the script module runs a brand’s own script against its host', async () => {
    const root = path.resolve(__dirname, '../..');
    const figures = await measureScriptOverhead({ executions: 4, warmup: 1, scriptPath: path.join(root, 'brands/mobili-stotele/script.csx'), pbxHost: mobiliStotele.host });
    expect(figures.scriptOverheadMsMedian.ours).toBeGreaterThan(0);
  });
});
