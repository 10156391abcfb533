// npm run under-load: the command runs while busy processes it started spin beside it, each run is
// reported with its outcome, a failure makes it exit 1 with the run's output, and the busy processes
// are ended when it is over. Spawned for real (ts-node), one busy process per core for a moment.
import { execFile } from 'node:child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { afterAll, describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '../..');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'under-load-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function underLoad(args: string[]): Promise<{ code: number; stdout: string }> {
  return new Promise((resolve) => {
    execFile(path.join(root, 'node_modules/.bin/ts-node'), ['scripts/under-load.ts', ...args], { cwd: root, encoding: 'utf8' }, (error, stdout) => {
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout });
    });
  });
}

// Prints the ids of its siblings (children of under-load) that spin, then exits with the code given
// (its own command line holds the same text: itself is left out).
const probe = (exitCode: number) =>
  [
    "const fs=require('fs');",
    "const mine=fs.readFileSync('/proc/self/stat','utf8').split(') ')[1].split(' ')[1];",
    "const busy=fs.readdirSync('/proc').filter((p)=>/^\\d+$/.test(p)).filter((p)=>{try{",
    "const cmd=fs.readFileSync('/proc/'+p+'/cmdline','utf8');const parent=fs.readFileSync('/proc/'+p+'/stat','utf8').split(') ')[1].split(' ')[1];",
    "return p!==String(process.pid)&&cmd.includes('for(;;);')&&parent===mine;}catch{return false;}});",
    `console.log('busy '+busy.join(','));process.exit(${exitCode});`,
  ].join('');

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('npm run under-load', () => {
  it('runs the command beside busy processes on every core, reports each run and ends them afterwards', async () => {
    const logs = path.join(tmp, 'ok');
    const run = await underLoad(['--runs', '2', '--busy-per-core', '1', '--log-dir', logs, '--', process.execPath, '-e', probe(0)]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^run 1\/2: passed in \d+\.\d s \(1-minute load average \d+\.\d\)$/m);
    expect(run.stdout).toMatch(/^run 2\/2: passed in /m);
    expect(run.stdout).toMatch(/^2 of 2 run\(s\) passed$/m);
    const busy = /^busy (.*)$/m.exec(fs.readFileSync(path.join(logs, 'run-1.log'), 'utf8'))![1].split(',').filter(Boolean).map(Number);
    expect(busy).toHaveLength(os.availableParallelism());
    expect(busy.filter(alive)).toEqual([]);
  }, 120_000);

  it('a failed run makes it exit 1 and prints the end of that run\'s output', async () => {
    const run = await underLoad(['--runs', '1', '--busy-per-core', '0', '--log-dir', path.join(tmp, 'failed'), '--', process.execPath, '-e', probe(3)]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^run 1\/1: FAILED \(exit 3\) in /m);
    expect(run.stdout).toMatch(/^busy$/m);
    expect(run.stdout).toMatch(/^0 of 1 run\(s\) passed$/m);
  }, 120_000);
});
