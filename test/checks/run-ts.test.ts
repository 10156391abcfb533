/**
 * scripts/run-ts.js, the loader `npm run check` starts through: a source change is never served
 * stale from the cache (the key is the file's source), and a cache hit does not load TypeScript
 * (the start-up cost it exists to avoid). Run in child processes: the loader hooks Node's module system.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const repo = resolve(__dirname, '../..');
let project: string;

beforeAll(() => {
  project = mkdtempSync(join(tmpdir(), 'run-ts-'));
  symlinkSync(join(repo, 'node_modules'), join(project, 'node_modules'));
  writeFileSync(join(project, 'tsconfig.json'), JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'commonjs', strict: true } }));
  mkdirSync(join(project, 'src'));
});
afterAll(() => rmSync(project, { recursive: true, force: true }));

/** Loads src/main.ts through the loader in a fresh process; returns what it printed and whether TypeScript was loaded. */
function run(): { out: string; typescriptLoaded: boolean } {
  const code = [
    `require(${JSON.stringify(join(repo, 'scripts/run-ts.js'))}).installTsCache(${JSON.stringify(project)});`,
    `const value = require(${JSON.stringify(join(project, 'src/main.ts'))}).value;`,
    'const ts = Object.keys(require.cache).some((k) => /node_modules[\\\\/]typescript[\\\\/]lib[\\\\/]typescript\\.js$/.test(k));',
    'process.stdout.write(JSON.stringify({ value, ts }));',
  ].join('\n');
  const child = spawnSync(process.execPath, ['-e', code], { cwd: project, encoding: 'utf8' });
  expect(child.stderr).toBe('');
  const parsed = JSON.parse(child.stdout) as { value: string; ts: boolean };
  return { out: parsed.value, typescriptLoaded: parsed.ts };
}

describe('scripts/run-ts.js', () => {
  it('transpiles on a miss, serves the cache on a hit without loading TypeScript, and never serves a changed file stale', () => {
    writeFileSync(join(project, 'src/main.ts'), "import { part } from './part';\nexport const value: string = `first ${part}`;\n");
    writeFileSync(join(project, 'src/part.ts'), "export const part: string = 'A';\n");
    expect(run()).toEqual({ out: 'first A', typescriptLoaded: true });
    const cached = readdirSync(join(project, '.cache/ts'));
    expect(cached).toHaveLength(2);
    expect(run()).toEqual({ out: 'first A', typescriptLoaded: false });
    // An edit changes the key: the new source is transpiled, the untouched file still comes from the cache.
    writeFileSync(join(project, 'src/part.ts'), "export const part: string = 'B';\n");
    expect(run()).toEqual({ out: 'first B', typescriptLoaded: true });
    expect(readdirSync(join(project, '.cache/ts'))).toHaveLength(3);
    expect(run()).toEqual({ out: 'first B', typescriptLoaded: false });
  });

  it('drops entries no run has used for a day, after a run that transpiled, and keeps what that run used', () => {
    const cacheDir = join(project, '.cache/ts');
    writeFileSync(join(project, 'src/main.ts'), "import { part } from './part';\nexport const value: string = `pruned ${part}`;\n");
    writeFileSync(join(project, 'src/part.ts'), "export const part: string = 'C';\n");
    expect(run().typescriptLoaded).toBe(true);
    const current = readdirSync(cacheDir);
    const stale = join(cacheDir, 'stale-entry-of-an-old-source.js');
    writeFileSync(stale, '');
    const twoDaysAgo = new Date(Date.now() - 2 * 24 * 60 * 60 * 1000);
    utimesSync(stale, twoDaysAgo, twoDaysAgo);
    // Entries this run will only read (hits) are as old: a run that transpiles keeps them all the same.
    for (const name of current) utimesSync(join(cacheDir, name), twoDaysAgo, twoDaysAgo);
    // A run served wholly from the cache does no housekeeping.
    expect(run()).toEqual({ out: 'pruned C', typescriptLoaded: false });
    expect(readdirSync(cacheDir)).toContain('stale-entry-of-an-old-source.js');
    // A run that transpiles something prunes: the stale entry goes, every entry it used stays.
    writeFileSync(join(project, 'src/part.ts'), "export const part: string = 'D';\n");
    expect(run()).toEqual({ out: 'pruned D', typescriptLoaded: true });
    const after = readdirSync(cacheDir);
    expect(after).not.toContain('stale-entry-of-an-old-source.js');
    // main.ts's entry (read, unchanged) stays; part.ts's old entry (unused, two days old) goes with the stale one.
    expect(after).toHaveLength(2);
    expect(after.filter((name) => current.includes(name))).toHaveLength(1);
    expect(run()).toEqual({ out: 'pruned D', typescriptLoaded: false });
  });
});
