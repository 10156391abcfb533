// npm start with a file that is not a workflow definition: the error is said and the command ends
// (it used to print the error and then hang, kept alive by the script host's Mono process).
import { execFile } from 'node:child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { afterAll, expect, it } from 'vitest';

const root = path.resolve(__dirname, '../..');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'start-errors-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

it('npm start -- --flow <not a workflow> says why and exits 1, writing nothing', async () => {
  const workbook = path.join(tmp, 'calls.xlsx');
  const run = await new Promise<{ code: number | null; signal: string | null; stderr: string }>((resolve) => {
    const child = execFile(path.join(root, 'node_modules/.bin/ts-node'), ['scripts/start.ts', '--flow', 'package.json', '--calls', '5', '--out', workbook], { cwd: root, encoding: 'utf8', timeout: 45_000, killSignal: 'SIGKILL' }, (error, _stdout, stderr) => {
      resolve({ code: error ? ((error as { code?: number }).code ?? null) : 0, signal: error?.signal ?? null, stderr });
    });
    child.stdin?.end();
  });
  expect({ code: run.code, signal: run.signal }).toEqual({ code: 1, signal: null });
  expect(run.stderr).toMatch(/the workflow cannot run in the sandbox:\npackage\.json: .*neither a Power Automate flow/);
  expect(fs.existsSync(workbook)).toBe(false);
}, 60_000);
