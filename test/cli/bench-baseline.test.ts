// npm run bench -- --baseline <a folder that is not a connector>: refused at once (exit 2), not two
// minutes of bench with null baselines (those are for the default folder's absence only).
import { execFile } from 'node:child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { afterAll, expect, it } from 'vitest';

const root = path.resolve(__dirname, '../..');
const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-baseline-'));
afterAll(() => fs.rmSync(empty, { recursive: true, force: true }));

it('a --baseline folder without apiDefinition.swagger.json exits 2 with one line, before measuring', async () => {
  const run = await new Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }>((resolve) => {
    execFile(path.join(root, 'node_modules/.bin/ts-node'), ['scripts/bench.ts', '--baseline', empty], { cwd: root, encoding: 'utf8', timeout: 90_000, killSignal: 'SIGKILL' }, (error, stdout, stderr) => {
      resolve({ code: error ? ((error as { code?: number }).code ?? null) : 0, signal: error?.signal ?? null, stdout, stderr });
    });
  });
  expect({ code: run.code, signal: run.signal, stdout: run.stdout }).toEqual({ code: 2, signal: null, stdout: '' });
  expect(run.stderr).toBe(`npm run bench: --baseline expects an existing folder holding apiDefinition.swagger.json; ${empty} has none (npm run bench -- --help lists the flags)\n`);
}, 120_000);
