// The long-running commands stop cleanly on SIGINT and SIGTERM: exit 0, ports closed. Each is
// spawned for real (ts-node directly, so the signal reaches the command and not a wrapper).
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'fs';
import * as net from 'node:net';
import * as os from 'os';
import * as path from 'path';
import ExcelJS from 'exceljs';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { ANSWERED_CALLS_WORKBOOK } from '../../sandbox/workflow/stand-ins/excel';

const root = path.resolve(__dirname, '../..');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-signals-'));
const started: ChildProcess[] = [];

/** Process groups to kill after each test (the shell test's node outlives its shell). */
const groups: number[] = [];

afterEach(() => {
  // A failed test must not leave its server running.
  for (const child of started.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  for (const group of groups.splice(0)) {
    try {
      process.kill(-group, 'SIGKILL');
    } catch {
      // The group is gone: everything in it stopped.
    }
  }
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

interface Running {
  child: ChildProcess;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function run(script: string, args: string[]): Running {
  const child = spawn(path.join(root, 'node_modules/.bin/ts-node'), [script, ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  started.push(child);
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return { child, output: () => output, exited };
}

/** Resolves with the first match of `pattern` in the output, or fails when the process exits first. */
async function waitFor(running: Running, pattern: RegExp): Promise<RegExpMatchArray> {
  for (;;) {
    const match = pattern.exec(running.output());
    if (match) return match;
    const exited = await Promise.race([running.exited, new Promise<null>((r) => setTimeout(() => r(null), 50))]);
    if (exited) throw new Error(`exited (${JSON.stringify(exited)}) before printing ${pattern}:\n${running.output()}`);
  }
}

function accepts(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect({ host: hostname, port: Number(port) });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

describe('the mock PBX (sandbox/pbx/cli.ts)', () => {
  it.each(['SIGINT', 'SIGTERM'] as const)('stops on %s, exits 0 and closes its port', async (signal) => {
    const pbx = run('sandbox/pbx/cli.ts', ['--key', 'signal-test']);
    const [, url] = await waitFor(pbx, /mock PBX listening at (\S+)/);
    expect(await accepts(url)).toBe(true);
    pbx.child.kill(signal);
    expect(await pbx.exited).toEqual({ code: 0, signal: null });
    expect(pbx.output()).toContain('mock PBX stopped; port closed');
    expect(await accepts(url)).toBe(false);
  }, 150_000);
});

describe('npm run probe-pbx (scripts/probe-pbx.ts)', () => {
  it('stops on SIGINT while the PBX has not answered: exit 0, nothing written', async () => {
    const silent = net.createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const out = path.join(tmp, 'probe', 'pbx-profile.json');
    try {
      const probe = run('scripts/probe-pbx.ts', ['--key', 'signal-test', '--base-url', `http://127.0.0.1:${(silent.address() as net.AddressInfo).port}/api/v2/`, '--out', out, '--timeout', '60000']);
      await waitFor(probe, /reading two pages/);
      probe.child.kill('SIGINT');
      expect(await probe.exited).toEqual({ code: 0, signal: null });
      expect(probe.output()).toContain('probe-pbx: stopped; nothing was written');
    } finally {
      silent.close();
    }
    expect(fs.existsSync(out)).toBe(false);
  }, 150_000);
});

describe('run through a shell, as npm and npx run it', () => {
  it('stops when SIGTERM kills the shell in between (the command notices its parent is gone)', async () => {
    // `; true` keeps sh from exec-ing node, as with `npm start`: sh dies and node is orphaned.
    const shell = spawn('sh', ['-c', `${path.join(root, 'node_modules/.bin/ts-node')} sandbox/pbx/cli.ts --key signal-test; true`], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    groups.push(shell.pid!);
    let output = '';
    shell.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    // The pipe closes when the last process holding it, node, exits.
    const closed = new Promise<void>((resolve) => shell.stdout!.on('close', () => resolve()));
    const running: Running = { child: shell, output: () => output, exited: new Promise(() => undefined) };
    const [, url] = await waitFor(running, /mock PBX listening at (\S+)/);
    shell.kill('SIGTERM');
    await closed;
    expect(output).toContain('mock PBX stopped; port closed');
    expect(await accepts(url)).toBe(false);
  }, 150_000);
});

describe('npm start -- --serve', () => {
  it('stops on SIGTERM, exits 0 and closes the gateway and the mock PBX', async () => {
    const start = run('scripts/start.ts', ['--serve', '--calls', '5', '--out', path.join(tmp, 'calls.xlsx')]);
    const [, gateway] = await waitFor(start, /connector gateway +(http\S+)/);
    const [, pbx] = await waitFor(start, /mock PBX +(http\S+)/);
    expect([await accepts(gateway), await accepts(pbx)]).toEqual([true, true]);
    start.child.kill('SIGTERM');
    expect(await start.exited).toEqual({ code: 0, signal: null });
    expect(start.output()).toContain('Stopped: the mock PBX, the gateway and the flow runtime are closed.');
    expect([await accepts(gateway), await accepts(pbx)]).toEqual([false, false]);
  }, 300_000);
});

describe('npm start -- --serve, signalled through npm', () => {
  it('SIGTERM to npm stops it as SIGTERM to node does: npm exits 0 once node has written a complete workbook', async () => {
    const workbook = path.join(tmp, 'through-npm', 'calls.xlsx');
    // npm runs the script through `sh -c`; `exec` in the script puts node in the shell's place, so the
    // signal npm forwards reaches node, and npm waits for it.
    const npm = spawn('npm', ['start', '--', '--serve', '--calls', '30', '--out', workbook], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    groups.push(npm.pid!);
    let output = '';
    npm.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    npm.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => npm.on('exit', (code, signal) => resolve({ code, signal })));
    const running: Running = { child: npm, output: () => output, exited };
    const [, rows] = await waitFor(running, /^ +(\d+) +rows +what the Excel/m);
    await waitFor(running, /connector gateway +http/);
    npm.kill('SIGTERM');
    expect(await exited).toEqual({ code: 0, signal: null });
    expect(output).toContain('Stopped: the mock PBX, the gateway and the flow runtime are closed.');
    // Complete when npm returns: the table holds every row, and no temporary file is left beside it.
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(workbook);
    const table = book.getWorksheet(ANSWERED_CALLS_WORKBOOK.sheet)!.getTable(ANSWERED_CALLS_WORKBOOK.table) as unknown as { table: { tableRef: string } };
    const [, first, last] = /^A(\d+):[A-Z]+(\d+)$/.exec(table.table.tableRef)!;
    expect(Number(last) - Number(first)).toBe(Math.max(1, Number(rows)));
    expect(fs.readdirSync(path.dirname(workbook))).toEqual(['calls.xlsx']);
  }, 300_000);
});

