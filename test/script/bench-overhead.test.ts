// The bench's script figures (script-host/bench.ts: npm run bench's scriptOverheadMsMedian, scriptOverheadMsP99,
// scriptRoundTripMsMedian) move when what they measure is broken on purpose: a script.csx that sleeps in every
// execution shows at least that sleep in each. Wall time: only lower bounds.
import { describe, expect, it } from 'vitest';
import { measureScriptOverhead } from '../../script-host/bench';
import { scriptVariant, SLEEP_MS, SLEEPS_FIRST } from '../support/script-variant';

describe('the script figures of npm run bench (executions of script.csx, instant backend)', () => {
  it(`a script that sleeps ${SLEEP_MS} ms in every execution shows at least that in scriptOverheadMs (median, p99) and scriptRoundTripMsMedian`, async () => {
    const figures = await measureScriptOverhead({ executions: 6, warmup: 1, scriptPath: scriptVariant('sleeps-first', [SLEEPS_FIRST]) });
    expect(figures.scriptOverheadMsMedian.ours).toBeGreaterThanOrEqual(SLEEP_MS);
    expect(figures.scriptOverheadMsP99.ours).toBeGreaterThanOrEqual(SLEEP_MS);
    expect(figures.scriptRoundTripMsMedian.ours).toBeGreaterThanOrEqual(SLEEP_MS);
    // The same executions without the sleep: the figure is what moved, not the machine.
    const ours = await measureScriptOverhead({ executions: 6, warmup: 1 });
    expect(ours.scriptOverheadMsMedian.ours).toBeLessThan(figures.scriptOverheadMsMedian.ours!);
  });
});
