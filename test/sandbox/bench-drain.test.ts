// The bench's polling figures (sandbox/bench/drain.ts, read by npm run bench as pollMissed, pollDuplicated,
// maxScriptMs50, maxScriptMs250, maxScriptMs1000, scriptTimeouts, checksToDrain5000, coldStartMs,
// firstCheckPbxCalls) move when what they measure is broken on purpose: a script that delivers an item twice or drops one, a PBX slower than a
// request's share of the budget, an execution the platform's 5 s limit cuts, a cold start, a first check that
// reads one page more; the per-profile figures (pollDuplicated_<profile>) too. Wall time (the sandbox's
// clock): only lower bounds on times.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { describe, expect, it } from 'vitest';
import { benchPbx, measureDrain, measureFirstCheck, PAGE_CAP } from '../../sandbox/bench/drain';
import { runSandboxBench } from '../../sandbox/bench/run';
import { PbxApi, PbxStore } from '../../sandbox/pbx';
import { DEFAULT_PROFILE } from '../../sandbox/pbx/profiles';
import { PLATFORM_TIME_LIMIT_MS, ScriptHost } from '../../script-host/host';
import { LIST_PAGE_REPEATS_AN_ITEM, scriptVariant } from '../support/script-variant';
import { ourConnector, ROOT } from './helpers';

const ours = ourConnector(true);
const DATA = '            envelope["data"] = merged;';

describe('the drain figures of npm run bench', () => {
  it('measure on the PBX docs/bench.md describes: each request ±20 % around the latency, pages silently capped at 100', () => {
    const pbx = new PbxApi(PbxStore.seeded({ calls: PAGE_CAP + 50 }), { apiKey: 'bench-key', ...benchPbx(1000) });
    expect([0, 1].map((r) => pbx.latency(() => r))).toEqual([800, 1200]);
    const page = pbx.handle({ method: 'GET', path: '/api/v2/trigger/call_history', query: { initial_call_id: '0', limit: '1000' }, headers: { authorization: 'Bearer bench-key' }, body: '' });
    expect((JSON.parse(page.body.toString()) as { data: unknown[] }).data).toHaveLength(PAGE_CAP);
  });

  it('this connector: none missed, none duplicated, no timeout, a check count', async () => {
    const r = await measureDrain(ours, { latencyMs: 5, burst: 250, coldStartMs: 0, maxChecks: 20 });
    expect(r).toMatchObject({ burst: 250, missed: 0, duplicated: 0, scriptTimeouts: 0 });
    expect(r.checksToDrain).toBeGreaterThanOrEqual(1);
  });

  it('a planted duplicate shows in duplicated (pollDuplicated), a dropped item in missed (pollMissed)', async () => {
    const twice = scriptVariant('first-item-twice', [[DATA, `            if (merged.Count > 0) merged.Add(merged[0].DeepClone());\n${DATA}`]]);
    const duplicated = await measureDrain(ours, { latencyMs: 5, burst: 250, coldStartMs: 0, maxChecks: 20, scriptPath: twice });
    expect(duplicated.duplicated).toBeGreaterThanOrEqual(1);
    expect(duplicated.missed).toBe(0);
    const dropped = scriptVariant('last-item-dropped', [[DATA, `            if (merged.Count > 1) merged.RemoveAt(merged.Count - 1);\n${DATA}`]]);
    const missed = await measureDrain(ours, { latencyMs: 5, burst: 250, coldStartMs: 0, maxChecks: 20, scriptPath: dropped });
    expect(missed.missed).toBeGreaterThanOrEqual(1);
  });

  it('a slow PBX shows in maxScriptMs: PBX waits count, not only the time inside the host', async () => {
    // 1.5 s a request (±20 %): each check waits at least one request of 1.2 s or more.
    const r = await measureDrain(ours, { latencyMs: 1500, burst: 250, coldStartMs: 0, maxChecks: 10 });
    expect(r.maxScriptMs).toBeGreaterThanOrEqual(1200);
    expect(r).toMatchObject({ missed: 0, duplicated: 0 });
    expect(r.checksToDrain).toBeGreaterThan(1); // three pages of 100 do not fit in one check's budget
  }, 120_000);

  it('an execution the platform cuts at 5 s counts in maxScriptMs as 5,000 or more, and in scriptTimeouts', async () => {
    // A cold start of 2.5 s, then a PBX 10 s slow: the first check is cut by the limit, the next fail on the budget.
    const r = await measureDrain(ours, { latencyMs: 10_000, burst: 10, coldStartMs: 2500, maxChecks: 1 });
    expect(r.scriptTimeouts).toBe(1);
    expect(r.maxScriptMs).toBeGreaterThanOrEqual(PLATFORM_TIME_LIMIT_MS);
    expect(r.missed).toBe(10);
    expect(r.checksToDrain).toBeNull();
  }, 120_000);

  it('a cold start shows in coldStartMs: at least the cold start the first execution waited for, 0 without one', async () => {
    const cold = await measureDrain(ours, { latencyMs: 5, burst: 20, coldStartMs: 400, maxChecks: 5 });
    expect(cold.coldStartMs).toBeGreaterThanOrEqual(400);
    const warm = await measureDrain(ours, { latencyMs: 5, burst: 20, coldStartMs: 0, maxChecks: 5 });
    expect(warm.coldStartMs).toBe(0);
  });

  it('firstCheckPbxCalls: a new flow reads 2 PBX pages (its goal); a first check that reads one page more shows as 3', async () => {
    const host = new ScriptHost({ scriptPath: ours.scriptPath });
    const threePages = new ScriptHost({ scriptPath: scriptVariant('first-check-reads-three-pages', [['ListAsync(poll, Id.Zero, 0, 2, AssumedMinimumCap', 'ListAsync(poll, Id.Zero, 0, 3, AssumedMinimumCap']]) });
    await Promise.all([host.start(), threePages.start()]);
    try {
      // 500 calls: five full pages of 100, more than either reads.
      expect(await measureFirstCheck(ours, host, 500)).toBe(2);
      expect(await measureFirstCheck(ours, threePages, 500)).toBe(3);
    } finally {
      await Promise.all([host.stop(), threePages.stop()]);
    }
  });

  it('the printed figures move too: pollDuplicated and listDuplicated of the sandbox bench (small sizes) with planted duplicates', async () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-variant-'));
    for (const file of ['apiDefinition.swagger.json', 'apiProperties.json']) fs.copyFileSync(path.join(ROOT, file), path.join(folder, file));
    fs.copyFileSync(scriptVariant('first-item-twice', [[DATA, `            if (merged.Count > 0) merged.Add(merged[0].DeepClone());\n${DATA}`], LIST_PAGE_REPEATS_AN_ITEM]), path.join(folder, 'script.csx'));
    try {
      const { figures } = await runSandboxBench({
        root: ROOT, folder, baselineFolder: path.join(folder, 'no-baseline'),
        cycles: 1, events: 20, eventRuns: 1, burst: 150, coldStartMs: 10, latencyScale: 0.01, listCalls: 250,
        // The per-profile figures read the same drain: one profile shows it (every one would only cost time).
        profiles: [DEFAULT_PROFILE], profileSizes: { burst: 40, listCalls: 45 },
      });
      expect(figures.pollDuplicated.ours).toBeGreaterThanOrEqual(1);
      expect(figures.pollMissed.ours).toBe(0);
      expect(figures.pollDuplicated_default.ours).toBeGreaterThanOrEqual(1);
      expect(figures.pollMissed_default.ours).toBe(0);
      expect(figures.listDuplicated.ours).toBeGreaterThanOrEqual(1);
      expect(figures.listMissed.ours).toBe(0);
      expect(figures.listDuplicated_default.ours).toBeGreaterThanOrEqual(1);
    } finally {
      fs.rmSync(folder, { recursive: true, force: true });
    }
  }, 180_000);
});
