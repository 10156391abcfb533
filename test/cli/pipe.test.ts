// A command whose reader stops early (`npm run check -- --dir … | head`): the rest of the output goes
// nowhere, with no EPIPE stack trace, and the command still ends with its own exit code.
import { spawn } from 'node:child_process';
import * as path from 'path';
import { expect, it } from 'vitest';

const root = path.resolve(__dirname, '../..');

it('npm run check with its output cut short says nothing on stderr and keeps its exit code', async () => {
  // test/golden/mini has a webhook without DELETE (an error, exit 1); 200 times over, the JSON lines
  // (about 250 kB) are more than a pipe holds, so writes go on after the reader is gone.
  const dir = path.join(root, 'test/golden/mini');
  const args = ['scripts/check.ts', '--format', 'json', ...Array.from({ length: 200 }, () => ['--dir', dir]).flat()];
  const run = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
    const child = spawn(path.join(root, 'node_modules/.bin/ts-node'), args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.once('data', () => child.stdout.destroy());
    child.on('close', (code) => resolve({ code, stderr }));
  });
  expect(run).toEqual({ code: 1, stderr: '' });
}, 150_000);
