// npm run build keeps the generated files only when the checks pass, and says which it did.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeChecked } from '../../scripts/build';

let root: string;
let said: string[];
beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'build-write-'));
  fs.mkdirSync(path.join(root, 'docs'));
  fs.writeFileSync(path.join(root, 'a.json'), 'old a');
  fs.writeFileSync(path.join(root, 'docs/same.md'), 'same');
  said = [];
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

const artifacts = [
  { path: 'a.json', content: 'new a' },
  { path: 'docs/same.md', content: 'same' },
  { path: 'docs/new.md', content: 'new doc' },
];
const read = (file: string): string | null => (fs.existsSync(path.join(root, file)) ? fs.readFileSync(path.join(root, file), 'utf8') : null);
const run = (check: () => Promise<number | null>) =>
  writeChecked({ root, artifacts, check, log: (l) => said.push(`log: ${l}`), error: (l) => said.push(`error: ${l}`) });

describe('writeChecked', () => {
  it('keeps the changed files when the checks pass, and the checks see them written', async () => {
    let seen: string | null = null;
    expect(await run(async () => ((seen = read('a.json')), 0))).toBe(0);
    expect(seen).toBe('new a');
    expect([read('a.json'), read('docs/new.md')]).toEqual(['new a', 'new doc']);
    expect(said).toEqual(['log: build: checks passed; wrote 2 changed file(s): a.json, docs/new.md']);
  });

  it('restores every changed file, removes new ones, and says so when the checks fail', async () => {
    expect(await run(async () => 1)).toBe(1);
    expect([read('a.json'), read('docs/same.md'), read('docs/new.md')]).toEqual(['old a', 'same', null]);
    expect(said).toEqual([
      'error: build: checks failed; restored 2 generated file(s) to what they were: a.json, docs/new.md. Fix the findings above and build again.',
    ]);
  });

  it('restores the files when the checks cannot run at all', async () => {
    expect(await run(async () => Promise.reject(new Error('no engine')))).toBe(1);
    expect(read('a.json')).toBe('old a');
    expect(said[0]).toBe('error: build: the checks could not run: no engine');
  });

  it('writes without checking under --no-check, and says the checks were skipped', async () => {
    expect(await run(async () => null)).toBe(0);
    expect(read('a.json')).toBe('new a');
    expect(said).toEqual(['log: build: wrote 2 changed file(s): a.json, docs/new.md (checks skipped: --no-check)']);
  });
});
