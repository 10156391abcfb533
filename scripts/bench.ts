// npm run bench: runs every measurement module and prints one JSON object as the LAST line,
// each figure as {"ours": n} or {"ours": n, "baseline": n}. Progress goes to stderr.
// To add figures, add a module to `modules` (a name and a function returning figures).
import * as path from 'path';
import { measureCorpusCheck } from '../checks/bench';
import { measureScriptOverhead } from '../script-host/bench';
import { baselineFolderFrom, runSandboxBench } from '../sandbox/bench/run';

/** One figure: this connector, and the production 1.0 baseline where it applies (null: not measured). */
export interface Figure {
  ours: number;
  baseline?: number | null;
}

export interface BenchModule {
  name: string;
  run(): Promise<Record<string, Figure>>;
}

const root = path.resolve(__dirname, '..');

export const modules: BenchModule[] = [
  {
    // Issue 11: the 50-folder corpus in one `npm run check` process, under 5 s once the caches are warm.
    name: 'check: the shared corpus in one process (warm)',
    run: async (): Promise<Record<string, Figure>> => {
      const timing = measureCorpusCheck(root);
      if (timing.note) process.stdout.write(`note: ${timing.note}\n`);
      return timing.warmMs === undefined ? {} : { check_corpus_warm_ms: { ours: timing.warmMs }, check_corpus_folders: { ours: timing.folders } };
    },
  },
  { name: 'script overhead (2000 warm executions, instant backend)', run: () => measureScriptOverhead() },
  {
    // Sandbox figures: webhook leaks, polling bursts, PBX calls per item, event throughput (sandbox/bench/).
    name: 'sandbox: this connector beside the production 1.0 baseline (--baseline <folder>)',
    run: async () => {
      const result = await runSandboxBench({
        root,
        baselineFolder: baselineFolderFrom(process.argv, root),
        progress: (message) => process.stderr.write(`bench:   ${message}\n`),
      });
      // Said on stdout, before the JSON line, so that a reader of the figures sees it.
      for (const note of result.notes) process.stdout.write(`note: ${note}\n`);
      return result.figures;
    },
  },
];

export async function runBench(selected: BenchModule[] = modules): Promise<Record<string, Figure>> {
  const figures: Record<string, Figure> = {};
  for (const module of selected) {
    const started = Date.now();
    process.stderr.write(`bench: ${module.name}...\n`);
    const result = await module.run();
    for (const [name, figure] of Object.entries(result)) {
      if (name in figures) throw new Error(`bench: figure ${name} is produced twice`);
      figures[name] = figure;
    }
    process.stderr.write(`bench: ${module.name} done in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  }
  return figures;
}

if (require.main === module) {
  runBench()
    .then((figures) => {
      process.stdout.write(`${JSON.stringify(figures)}\n`);
    })
    .catch((error: unknown) => {
      process.stderr.write(`bench failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
      process.exitCode = 1;
    });
}
