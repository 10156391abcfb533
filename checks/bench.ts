/**
 * Speed of `npm run check`, measured on the command `npm run check` runs (package.json's `check`
 * script, without npm's own start-up, which is the same for every npm script):
 * - one folder, a process per run: what a maker or a CI step pays per connector (start-up included);
 * - the whole shared corpus (50 connectors) in one process: the work itself.
 * Each is run once first to warm the transpile and validator caches (`.cache/`).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

export interface CheckSpeed {
  folders: number;
  /** Wall clock of the warm one-process run over the corpus, ms (undefined when the corpus is absent). */
  warmMs?: number;
  /** Median wall clock of 7 runs of the command on one corpus folder, ms. */
  oneFolderMs?: number;
  /** Corpus folders checked per second by the warm one-process run. */
  foldersPerSecond?: number;
  /** The folder `oneFolderMs` measured. */
  oneFolder?: string;
  note?: string;
}

/** The folder of the one-folder figure: a certified connector of median size in the corpus (57 KB definition, with script). */
export const ONE_FOLDER = 'certified-connectors/Zoho Mail';

/** `npm run check`'s command line (package.json), with `node` as this very executable. */
export function checkCommand(root: string): { file: string; args: string[] } {
  const script = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts.check;
  const [program, ...args] = script.split(/\s+/);
  return program === 'node' ? { file: process.execPath, args } : { file: join(root, 'node_modules/.bin', program), args };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

export function measureCheckSpeed(root: string, corpus = resolve(root, '../shared/corpus/connectors'), runs = 7): CheckSpeed {
  if (!existsSync(corpus)) return { folders: 0, note: `corpus absent (${corpus}); check speed not measured` };
  const dirs = readdirSync(corpus).flatMap((group) => readdirSync(join(corpus, group)).map((name) => join(corpus, group, name)));
  const command = checkCommand(root);
  const time = (extra: string[]): number => {
    const started = performance.now();
    // Exit code 1 is expected: the corpus holds real defects.
    spawnSync(command.file, [...command.args, ...extra], { cwd: root, stdio: 'ignore' });
    return performance.now() - started;
  };
  const all = [...dirs.flatMap((d) => ['--dir', d]), '--format', 'json'];
  time(all); // warm the caches
  const warmMs = Math.round(time(all));
  const one = existsSync(join(corpus, ONE_FOLDER)) ? join(corpus, ONE_FOLDER) : dirs[0];
  time(['--dir', one]);
  const oneFolderMs = Math.round(median(Array.from({ length: runs }, () => time(['--dir', one]))));
  return { folders: dirs.length, warmMs, oneFolderMs, foldersPerSecond: Math.round((dirs.length / warmMs) * 1000 * 10) / 10, oneFolder: one };
}
