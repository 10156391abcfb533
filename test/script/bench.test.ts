// The benchmark's pieces: figures merged from modules into one object, percentiles, the script module's shape.
import { describe, expect, it } from 'vitest';
import { measureScriptOverhead, percentile } from '../../script-host/bench';
import * as path from 'path';
import { mobiliStotele } from '../../connector/brand/mobili-stotele';
import { zvanuParvaldnieks } from '../../connector/brand/zvanu-parvaldnieks';
import { baselineFolderFrom } from '../../sandbox/bench/run';
import { brandFrom, modulesFor, runBench } from '../../scripts/bench';

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

  it('merges the figures of every module, gives each a baseline (null when a side has none) and refuses a figure produced twice', async () => {
    const a = { name: 'a', run: async () => ({ x: { ours: 1 } }) };
    const b = { name: 'b', run: async () => ({ y: { ours: 2, baseline: 3 } }) };
    expect(await runBench([a, b])).toEqual({ x: { ours: 1, baseline: null }, y: { ours: 2, baseline: 3 } });
    await expect(runBench([a, a])).rejects.toThrow(/x is produced twice/);
  });

  it('the script module measures the time inside the host per execution', async () => {
    const figures = await measureScriptOverhead({ executions: 40, warmup: 4 });
    expect(Object.keys(figures).sort()).toEqual(['scriptOverheadMsMedian', 'scriptOverheadMsP99', 'scriptRoundTripMsMedian']);
    expect(figures.scriptOverheadMsMedian.ours).toBeGreaterThan(0);
    expect(figures.scriptOverheadMsP99.ours).toBeGreaterThanOrEqual(figures.scriptOverheadMsMedian.ours);
  });

  it('--brand picks the brand, whose own published 1.0 is the default baseline; --baseline still wins', () => {
    const root = path.resolve(__dirname, '../..');
    expect(brandFrom([])).toBe(zvanuParvaldnieks);
    expect(brandFrom(['--brand', 'mobili-stotele'])).toBe(mobiliStotele);
    expect(() => brandFrom(['--brand'])).toThrow(/--brand needs a value/);
    expect(() => brandFrom(['--brand', 'tele3'])).toThrow(/unknown brand 'tele3'/);
    expect(baselineFolderFrom([], root, mobiliStotele.publishedReference)).toBe(path.resolve(root, '../shared/reference/certified-mobili-stotele-1.0'));
    expect(baselineFolderFrom([], root)).toBe(path.resolve(root, '../shared/reference/certified-connector-1.0'));
    expect(baselineFolderFrom(['--baseline', 'x'], root, mobiliStotele.publishedReference)).toBe(path.resolve(root, 'x'));
    expect(modulesFor(mobiliStotele).map((m) => m.name)).toEqual([
      'check: the shared corpus in one process (warm)',
      'script overhead of Mobili Stotele (2000 warm executions, instant backend)',
      'sandbox: Mobili Stotele beside its production 1.0 baseline (--baseline <folder>)',
    ]);
  });

  it('the script module runs a brand’s own script against its host', async () => {
    const root = path.resolve(__dirname, '../..');
    const figures = await measureScriptOverhead({ executions: 4, warmup: 1, scriptPath: path.join(root, 'brands/mobili-stotele/script.csx'), pbxHost: mobiliStotele.host });
    expect(figures.scriptOverheadMsMedian.ours).toBeGreaterThan(0);
  });
});
