// The bench's check figures (checks/bench.ts: npm run bench's checkCorpusFolders, checkCorpusWarmMs,
// checkOneFolderMs, checkFoldersPerSecond) move when what they measure is broken on purpose: a tiny corpus
// gives its own folder count, and a `check` command that takes at least 200 ms a run (a project whose
// package.json runs a stand-in that sleeps) gives times of at least that and a rate of at most
// folders / 0.2 s whatever the machine. Wall time: only lower bounds on times, upper bounds on the rate.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { measureCheckSpeed } from '../../checks/bench';

const DELAY_MS = 200;
let tmp: string;
let project: string;
let corpus: string;
const folders = ['certified-connectors/A', 'certified-connectors/B', 'independent-publisher-connectors/C'];

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'check-speed-'));
  // A project whose `npm run check` notes its flags, takes DELAY_MS and fails (as the corpus's real defects make it).
  project = join(tmp, 'project');
  mkdirSync(project);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ scripts: { check: 'node slow-check.js' } }));
  writeFileSync(
    join(project, 'slow-check.js'),
    `require('fs').appendFileSync(${JSON.stringify(join(tmp, 'runs.log'))}, JSON.stringify(process.argv.slice(2)) + '\\n');\n` +
      `Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ${DELAY_MS});\nprocess.exit(1);\n`,
  );
  corpus = join(tmp, 'corpus');
  for (const folder of folders) mkdirSync(join(corpus, folder), { recursive: true });
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('the check figures of npm run bench (npm run check over the corpus and on one folder)', () => {
  it(`a corpus of ${folders.length} folders and a check of at least ${DELAY_MS} ms: checkCorpusFolders ${folders.length}, times of at least ${DELAY_MS} ms, at most ${folders.length} folders per ${DELAY_MS} ms`, () => {
    const speed = measureCheckSpeed(project, corpus, 3);
    expect(speed.folders).toBe(folders.length);
    expect(speed.warmMs).toBeGreaterThanOrEqual(DELAY_MS);
    expect(speed.oneFolderMs).toBeGreaterThanOrEqual(DELAY_MS);
    expect(speed.foldersPerSecond).toBeLessThanOrEqual((folders.length * 1000) / DELAY_MS);
    // The rate is the corpus run's: folders over its time.
    expect(speed.foldersPerSecond).toBeCloseTo((folders.length * 1000) / speed.warmMs!, 1);
    // What ran: the corpus in one process (warm-up and measured run), then one folder per process (warm-up and 3 runs).
    // (The folders come in the file system's order.)
    const runs = readFileSync(join(tmp, 'runs.log'), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as string[]);
    const dirs = (args: string[]) => args.filter((_, i) => args[i - 1] === '--dir').sort();
    expect(runs).toHaveLength(2 + 4);
    for (const run of runs.slice(0, 2)) {
      expect(dirs(run)).toEqual(folders.map((f) => join(corpus, f)));
      expect(run.slice(-2)).toEqual(['--format', 'json']);
    }
    expect(runs.slice(2)).toEqual(Array.from({ length: 4 }, () => ['--dir', speed.oneFolder]));
    expect(folders.map((f) => join(corpus, f))).toContain(speed.oneFolder);
  });

  it('no corpus: no figures, 0 folders, and a note that says where it was looked for', () => {
    const speed = measureCheckSpeed(project, join(tmp, 'no-corpus'));
    expect(speed).toEqual({ folders: 0, note: expect.stringContaining(join(tmp, 'no-corpus')) });
  });
});
