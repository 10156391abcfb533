/**
 * `npm run under-load`: runs a command (default `npm test`) several times while busy processes keep
 * every core of the machine busy, and reports each run's outcome and wall time. The suite must not
 * depend on the machine's speed: CI runs on a developer's machine, often loaded, and a test that
 * fails only there refuses good work. Busy processes are plain `node -e 'for(;;);'` children, ended
 * by their id when the runs are over (or on Ctrl+C/SIGTERM).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { defineCommand, runCommand } from '../lib/cli';
import { stopOnSignals } from '../lib/shutdown';

export const UNDER_LOAD_CLI = defineCommand({
  command: 'npm run under-load --',
  summary:
    'Runs a command (default: npm test) several times while busy processes keep every core busy, and prints one ' +
    'line per run: passed or failed, its wall time and the load average. Exits 1 when any run failed. Each ' +
    "run's output goes to a log file; the tail of a failed run's log is printed.",
  flags: {
    runs: { type: 'integer', min: 1, description: 'how many times to run the command, one after the other', default: 5 },
    'busy-per-core': { type: 'integer', min: 0, max: 8, description: 'busy processes per core (0: no extra load, for a figure on an idle machine)', default: 2 },
    'log-dir': { type: 'path', valueName: '<folder>', description: "where each run's output is written (default: a new folder in the system's temp folder)" },
  },
  positionals: { name: 'command', description: 'the command and its arguments, after `--` (default: npm test)' },
  examples: ['npm run under-load', 'npm run under-load -- --runs 3 -- npx vitest run test/script', 'npm run under-load -- --busy-per-core 0 --runs 1'],
  notes: ['Other work on the machine adds to the load: the load average printed with each run says what it ran under.'],
});

/** Starts `count` processes that spin until killed. */
function startBusy(count: number): ChildProcess[] {
  return Array.from({ length: count }, () => spawn(process.execPath, ['-e', 'for(;;);'], { stdio: 'ignore' }));
}

function stopAll(children: ChildProcess[]): void {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
}

interface RunOutcome {
  code: number;
  seconds: number;
}

/** Runs the command in its own process group (so that stopping ends its workers too), output to `log`. */
function runOnce(command: string[], log: string, track: (child: ChildProcess) => void): Promise<RunOutcome> {
  const started = Date.now();
  const out = fs.openSync(log, 'w');
  const child = spawn(command[0], command.slice(1), { stdio: ['ignore', out, out], detached: true });
  track(child);
  return new Promise((resolve) => {
    const done = (code: number) => {
      fs.closeSync(out);
      resolve({ code, seconds: (Date.now() - started) / 1000 });
    };
    child.on('error', (error) => {
      fs.appendFileSync(log, `under-load: could not start ${command.join(' ')}: ${error.message}\n`);
      done(127);
    });
    child.on('exit', (code, signal) => done(code ?? (signal ? 128 : 1)));
  });
}

function tail(file: string, lines: number): string {
  return fs.readFileSync(file, 'utf8').replace(/\x1b\[[0-9;]*m/g, '').trimEnd().split('\n').slice(-lines).join('\n');
}

async function main(flags: { runs: number; 'busy-per-core': number; 'log-dir': string | undefined }, positionals: string[]): Promise<number> {
  const command = positionals.length > 0 ? positionals : ['npm', 'test'];
  const cores = os.availableParallelism();
  const logDir = flags['log-dir'] ?? fs.mkdtempSync(path.join(os.tmpdir(), 'under-load-'));
  fs.mkdirSync(logDir, { recursive: true });
  const busy = startBusy(cores * flags['busy-per-core']);
  let current: ChildProcess | undefined;
  const stopCurrent = () => {
    // The whole group: the command's own children (test workers, the Mono host) go with it.
    if (current?.pid !== undefined && current.exitCode === null) {
      try {
        process.kill(-current.pid, 'SIGTERM');
      } catch {
        // already gone
      }
    }
  };
  stopOnSignals(async () => {
    stopCurrent();
    stopAll(busy);
  }, { parentPollMs: 0 });
  const shown = command.join(' ');
  process.stdout.write(`${shown.length > 80 ? `${shown.slice(0, 77)}...` : shown}, ${flags.runs} run(s), ${busy.length} busy process(es) on ${cores} core(s); logs in ${logDir}\n`);
  let failed = 0;
  try {
    for (let i = 1; i <= flags.runs; i++) {
      const log = path.join(logDir, `run-${i}.log`);
      const outcome = await runOnce(command, log, (child) => (current = child));
      const load = os.loadavg()[0].toFixed(1);
      const verdict = outcome.code === 0 ? 'passed' : `FAILED (exit ${outcome.code})`;
      process.stdout.write(`run ${i}/${flags.runs}: ${verdict} in ${outcome.seconds.toFixed(1)} s (1-minute load average ${load})\n`);
      if (outcome.code !== 0) {
        failed++;
        process.stdout.write(`${tail(log, 40)}\n(full output: ${log})\n`);
      }
    }
  } finally {
    stopAll(busy);
  }
  process.stdout.write(`${flags.runs - failed} of ${flags.runs} run(s) passed\n`);
  return failed === 0 ? 0 : 1;
}

if (require.main === module) runCommand(UNDER_LOAD_CLI, ({ flags, positionals }) => main(flags, positionals));
