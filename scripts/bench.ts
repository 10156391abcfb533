// npm run bench [-- --brand <slug>] [--baseline <folder>]: runs every measurement module and prints
// one JSON object as the LAST line, each figure as {"ours": n, "baseline": n}, null where a side has
// none. Progress goes to stderr. --brand measures that brand's connector (brands/<slug>/) beside its
// own published 1.0 (../shared/reference/<its folder>) unless --baseline names another.
// To add figures, add a module to `modulesFor` (a name and a function returning figures).
import * as path from 'path';
import { measureCorpusCheck } from '../checks/bench';
import { brandLayout, findBrand, primaryBrand } from '../connector/brand';
import type { BrandProfile } from '../connector/model/types';
import { measureScriptOverhead } from '../script-host/bench';
import { baselineFolderFrom, runSandboxBench } from '../sandbox/bench/run';

/** One figure: this connector, and the production 1.0 baseline where it applies (null: not measured). */
export interface Figure {
  ours: number | null;
  baseline?: number | null;
}

export interface BenchModule {
  name: string;
  run(): Promise<Record<string, Figure>>;
}

const root = path.resolve(__dirname, '..');

export function modulesFor(brand: BrandProfile): BenchModule[] {
  const folder = path.join(root, brandLayout(brand).dir);
  return [
    {
      // Issue 11: the 50-folder corpus in one `npm run check` process, under 5 s once the caches are warm.
      name: 'check: the shared corpus in one process (warm)',
      run: async (): Promise<Record<string, Figure>> => {
        const timing = measureCorpusCheck(root);
        if (timing.note) process.stdout.write(`note: ${timing.note}\n`);
        return timing.warmMs === undefined ? {} : { check_corpus_warm_ms: { ours: timing.warmMs }, check_corpus_folders: { ours: timing.folders } };
      },
    },
    {
      name: `script overhead of ${brand.title} (2000 warm executions, instant backend)`,
      run: () => measureScriptOverhead({ scriptPath: path.join(folder, 'script.csx'), pbxHost: brand.host }),
    },
    {
      // Sandbox figures: webhook leaks, polling bursts, PBX calls per item, event throughput (sandbox/bench/).
      name: `sandbox: ${brand.title} beside its production 1.0 baseline (--baseline <folder>)`,
      run: async () => {
        const result = await runSandboxBench({
          root,
          folder,
          baselineFolder: baselineFolderFrom(process.argv, root, brand.publishedReference),
          progress: (message) => process.stderr.write(`bench:   ${message}\n`),
        });
        // Said on stdout, before the JSON line, so that a reader of the figures sees it.
        for (const note of result.notes) process.stdout.write(`note: ${note}\n`);
        return result.figures;
      },
    },
  ];
}

/** `--brand <slug>` from the command line; the primary brand without it. */
export function brandFrom(argv: readonly string[]): BrandProfile {
  const i = argv.indexOf('--brand');
  if (i < 0) return primaryBrand;
  const given = argv[i + 1];
  if (given === undefined || given.startsWith('--')) throw new Error('--brand needs a value (a brand slug, e.g. mobili-stotele)');
  return findBrand(given);
}

export async function runBench(selected: BenchModule[]): Promise<Record<string, Figure>> {
  const figures: Record<string, Figure> = {};
  for (const module of selected) {
    const started = Date.now();
    process.stderr.write(`bench: ${module.name}...\n`);
    const result = await module.run();
    for (const [name, figure] of Object.entries(result)) {
      if (name in figures) throw new Error(`bench: figure ${name} is produced twice`);
      figures[name] = { ours: figure.ours, baseline: figure.baseline ?? null };
    }
    process.stderr.write(`bench: ${module.name} done in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  }
  return figures;
}

if (require.main === module) {
  Promise.resolve()
    .then(() => runBench(modulesFor(brandFrom(process.argv))))
    .then((figures) => {
      process.stdout.write(`${JSON.stringify(figures)}\n`);
    })
    .catch((error: unknown) => {
      process.stderr.write(`bench failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
      process.exitCode = 1;
    });
}
