/**
 * Speed of `npm run check` over many folders: the whole shared corpus (50 connectors) checked by
 * one CLI process, wall clock, once to warm the transpile and validator caches and then measured.
 * Target (issue 11): under 5 s warm.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

export interface CorpusTiming {
  folders: number;
  /** Wall clock of the warm run, in ms (undefined when the corpus is absent). */
  warmMs?: number;
  note?: string;
}

export function measureCorpusCheck(root: string, corpus = resolve(root, '../shared/corpus/connectors')): CorpusTiming {
  if (!existsSync(corpus)) return { folders: 0, note: `corpus absent (${corpus}); check speed not measured` };
  const dirs = readdirSync(corpus).flatMap((group) => readdirSync(join(corpus, group)).map((name) => join(corpus, group, name)));
  const args = ['scripts/check.ts', ...dirs.flatMap((d) => ['--dir', d]), '--format', 'json'];
  const run = (): number => {
    const started = performance.now();
    try {
      execFileSync(join(root, 'node_modules/.bin/ts-node'), args, { cwd: root, stdio: ['ignore', 'ignore', 'ignore'] });
    } catch {
      // Exit code 1 is expected: the corpus holds real defects.
    }
    return Math.round(performance.now() - started);
  };
  run(); // warm the caches
  return { folders: dirs.length, warmMs: run() };
}
