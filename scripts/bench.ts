// npm run bench: runs every measurement module and prints one JSON object as the LAST line, each
// figure as {"ours": n | null, "baseline": n | null} (null: not measured here); docs/bench.md explains
// every key (a test holds the two together). Progress goes to stderr. To add figures, add a module to `modules` (a name and a
// function returning figures) and a row per figure to docs/bench.md. --brand measures that brand's
// connector (its folder, its script, its host) beside its own published 1.0 unless --baseline names another.
import * as path from 'path';
import { brandLayout, brands, findBrand, primaryBrand } from '../connector/brand';
import { brandFlag } from './brand-flag';
import type { BrandProfile } from '../connector/model/types';
import { defineCommand, runCommand } from '../lib/cli';
import type { Figure } from '../script-host/bench';
import type { CheckSpeed } from '../checks/bench';
// The measurement modules load when they run, so that --help and usage errors answer at once.
import { defaultBaseline } from '../sandbox/bench/baseline';
import { PROFILE_FLAG, PROFILES, profileFromFlag, type PbxProfile } from '../sandbox/pbx/profiles';

export type { Figure };

export const BENCH_CLI = defineCommand({
  command: 'npm run bench --',
  summary:
    'Measures this connector beside the production 1.0 in a sandbox as strict as the platform (leaked webhooks; ' +
    '5,000-item polling bursts at 50/250/1,000 ms per PBX request: missed, duplicated, checks to drain, slowest script ' +
    'execution; events per second; script overhead) and npm run check over the shared corpus. Progress goes to stderr; the last line of ' +
    'stdout is one JSON object, {"<key>": {"ours": n, "baseline": n or null}}, every key explained in docs/bench.md.',
  flags: {
    brand: brandFlag("the brand's connector to measure (its generated folder, script and host); its default baseline is its own published 1.0"),
    // Named explicitly, it must be a connector: null baselines are for the default folder's absence.
    baseline: { type: 'folder', holds: 'apiDefinition.swagger.json', description: "the production 1.0 connector's folder (apiDefinition.swagger.json, apiProperties.json)" },
    profile: {
      ...PROFILE_FLAG,
      description: `the per-profile figures (pollMissed_<profile>…) under this PBX profile only: ${PROFILES.map((p) => p.name).join(', ')}, or a profile file such as npm run probe-pbx writes (default: every named profile)`,
    },
  },
  notes: [
    `Without --baseline the bench compares with the brand's own published 1.0 (${brands.map((b) => defaultBaseline(b.publishedReference)).join(', ')}) when that folder exists; otherwise it prints ` +
      "this connector's figures with baseline null, and a note says so.",
  ],
  examples: ['npm run bench -- --baseline ../shared/reference/certified-connector-1.0', 'npm run bench -- --brand mobili-stotele', 'npm run bench -- --profile not-found-empty'],
});

export interface BenchOptions {
  root: string;
  /** The production 1.0 folder; absent or incomplete gives null baselines and a note. */
  baselineFolder: string;
  /** The brand measured (its folder, script and host); the primary brand when absent. */
  brand?: BrandProfile;
  /** Small sizes, same figures: for the test that holds docs/bench.md to the bench's keys. */
  smoke?: boolean;
  /** The PBX profiles of the per-profile figures (every named one when absent). */
  profiles?: readonly PbxProfile[];
  /** Progress lines (stderr in `npm run bench`). */
  progress?: (line: string) => void;
  /** Lines a reader of the figures must see (stdout, before the JSON line). */
  note?: (line: string) => void;
}

export interface BenchModule {
  name: string;
  run(options: BenchOptions): Promise<Record<string, Figure>>;
}

const root = path.resolve(__dirname, '..');

export const modules: BenchModule[] = [
  {
    // Issue 11: the 50-folder corpus in one `npm run check` process, under 5 s once the caches are warm.
    // Issue 21: one folder per process (start-up included) within 300 ms, and the corpus rate.
    name: 'check: one corpus folder per process (7 runs), and the shared corpus in one process (warm)',
    run: async (o) => {
      // The smoke run skips the corpus (two full checks of 50 folders, eight of one); the keys are the same.
      const t: CheckSpeed = o.smoke ? { folders: 0 } : (await import('../checks/bench')).measureCheckSpeed(o.root);
      if (t.note) o.note?.(t.note);
      return {
        checkCorpusWarmMs: { ours: t.warmMs ?? null, baseline: null },
        checkCorpusFolders: { ours: t.folders, baseline: null },
        checkOneFolderMs: { ours: t.oneFolderMs ?? null, baseline: null },
        checkFoldersPerSecond: { ours: t.foldersPerSecond ?? null, baseline: null },
      };
    },
  },
  {
    name: 'script overhead (2000 warm executions, instant backend)',
    run: async (o) => {
      const brand = o.brand ?? primaryBrand;
      const scriptPath = path.join(o.root, brandLayout(brand).dir, 'script.csx');
      return (await import('../script-host/bench')).measureScriptOverhead({ scriptPath, pbxHost: brand.host, ...(o.smoke ? { executions: 20, warmup: 2 } : {}) });
    },
  },
  {
    // Sandbox figures: webhook leaks, polling bursts, PBX calls per item, event throughput (sandbox/bench/).
    name: 'sandbox: this connector beside the production 1.0 baseline (--baseline <folder>)',
    run: async (o) => {
      const { runSandboxBench } = await import('../sandbox/bench/run');
      const result = await runSandboxBench({
        root: o.root,
        folder: path.join(o.root, brandLayout(o.brand ?? primaryBrand).dir),
        baselineFolder: o.baselineFolder,
        profiles: o.profiles,
        ...(o.smoke ? { cycles: 1, events: 20, eventRuns: 1, burst: 150, coldStartMs: 10, latencyScale: 0.01, listCalls: 250, profileSizes: { burst: 40, listCalls: 45 } } : {}),
        progress: (message) => o.progress?.(`  ${message}`),
      });
      for (const note of result.notes) o.note?.(note);
      return result.figures;
    },
  },
];

export async function runBench(options: BenchOptions, selected: BenchModule[] = modules): Promise<Record<string, Figure>> {
  const progress = options.progress ?? (() => undefined);
  const figures: Record<string, Figure> = {};
  for (const module of selected) {
    const started = Date.now();
    progress(`${module.name}...`);
    const result = await module.run(options);
    for (const [name, figure] of Object.entries(result)) {
      if (name in figures) throw new Error(`bench: figure ${name} is produced twice`);
      const numberOrNull = (v: unknown): boolean => v === null || typeof v === 'number';
      if (!('ours' in figure) || !('baseline' in figure) || !numberOrNull(figure.ours) || !numberOrNull(figure.baseline)) {
        throw new Error(`bench: figure ${name} must be {"ours": number | null, "baseline": number | null}, got ${JSON.stringify(figure)}`);
      }
      figures[name] = { ours: figure.ours, baseline: figure.baseline };
    }
    progress(`${module.name} done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
  return figures;
}

if (require.main === module) {
  runCommand(BENCH_CLI, async ({ flags }) => {
    const brand = findBrand(flags.brand);
    const profile = flags.profile === undefined ? undefined : profileFromFlag(flags.profile, (message) => process.stderr.write(`npm run bench: ${message} (npm run bench -- --help lists the flags)\n`));
    if (flags.profile !== undefined && !profile) return 2;
    const figures = await runBench({
      root,
      brand,
      profiles: profile ? [profile] : undefined,
      baselineFolder: flags.baseline ?? path.resolve(root, defaultBaseline(brand.publishedReference)),
      progress: (line) => process.stderr.write(`bench: ${line}\n`),
      // Said on stdout, before the JSON line, so that a reader of the figures sees it.
      note: (line) => process.stdout.write(`note: ${line}\n`),
    });
    process.stdout.write(`${JSON.stringify(figures)}\n`);
  });
}
