// Every command of the project with --help, an unknown flag and a bad value: in-process through the
// exact path the command takes (readCommandLine with the command's own spec), then each command
// spawned for real with --help (its output must be exactly its spec's help, so the process parses
// through lib/cli with that spec), and a few with an unknown flag. ts-node's start-up is ~1 s per
// spawn on this machine, hence in-process for the rest.
import { execFile } from 'node:child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { afterAll, describe, expect, it } from 'vitest';
import { RECORD_CLI } from '../../contract/record-cli';
import { formatHelp, readCommandLine, type CommandSpec } from '../../lib/cli';
import { PBX_CLI } from '../../sandbox/pbx/cli';
import { BENCH_CLI } from '../../scripts/bench';
import { BUILD_CLI } from '../../scripts/build';
import { CHECK_CLI } from '../../scripts/check';
import { COVERAGE_CLI } from '../../scripts/contract-coverage';
import { BASELINE_CLI } from '../../scripts/extract-baseline';
import { PACKAGE_CLI } from '../../scripts/package';
import { PROBE_CLI } from '../../scripts/probe-pbx';
import { START_CLI } from '../../scripts/start';
import { SETUP_CLI } from '../../scripts/setup';
import { UNDER_LOAD_CLI } from '../../scripts/under-load';

const root = path.resolve(__dirname, '../..');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-commands-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
const workbook = path.join(tmp, 'calls.xlsx');

interface Command {
  script: string;
  spec: CommandSpec;
  /** Arguments with one bad value, and what the refusal must say. */
  bad: string[];
  says: RegExp;
  /** Extra arguments for the spawned --help run, to prove it did nothing. */
  helpArgs?: string[];
}

const commands: Command[] = [
  { script: 'scripts/build.ts', spec: BUILD_CLI, bad: ['--format', 'xml'], says: /--format expects text or json, got "xml"/ },
  // A missing --dir folder is not a usage mistake but that folder's finding (exit 3, test/checks/broken-folders.test.ts).
  { script: 'scripts/check.ts', spec: CHECK_CLI, bad: ['--fail-severity', 'info'], says: /--fail-severity expects error or warn, got "info"/ },
  { script: 'scripts/start.ts', spec: START_CLI, bad: ['--calls', 'abc'], says: /--calls expects a whole number ≥ 1, got "abc"/, helpArgs: ['--out', workbook] },
  { script: 'scripts/package.ts', spec: PACKAGE_CLI, bad: ['--environment', 'not-a-guid'], says: /--environment expects a GUID/ },
  { script: 'scripts/bench.ts', spec: BENCH_CLI, bad: ['--baseline', 'no-such-folder'], says: /--baseline expects an existing folder holding apiDefinition\.swagger\.json; .*no-such-folder does not exist/ },
  { script: 'scripts/record.ts', spec: RECORD_CLI, bad: ['GetContacts', '--timeout', '-5'], says: /--timeout expects a whole number ≥ 1, got "-5"/ },
  { script: 'scripts/extract-baseline.ts', spec: BASELINE_CLI, bad: ['--from', 'no-such-folder'], says: /--from expects an existing folder/ },
  { script: 'scripts/contract-coverage.ts', spec: COVERAGE_CLI, bad: ['extra'], says: /unexpected argument "extra"/ },
  { script: 'scripts/setup.ts', spec: SETUP_CLI, bad: ['--yes'], says: /unknown flag --yes/ },
  { script: 'scripts/under-load.ts', spec: UNDER_LOAD_CLI, bad: ['--runs', '0'], says: /--runs expects a whole number ≥ 1, got "0"/ },
  { script: 'sandbox/pbx/cli.ts', spec: PBX_CLI, bad: ['--port', '99999'], says: /--port expects a whole number from 0 to 65535, got "99999"/ },
  { script: 'scripts/probe-pbx.ts', spec: PROBE_CLI, bad: ['--timeout', '0'], says: /--timeout expects a whole number from 1 to 600000, got "0"/ },
];

function inProcess(spec: CommandSpec, argv: string[]): { result: ReturnType<typeof readCommandLine>; out: string; err: string } {
  let out = '';
  let err = '';
  const result = readCommandLine(spec, argv, { env: {}, cwd: root, io: { out: (t) => (out += t), err: (t) => (err += t) } });
  return { result, out, err };
}

describe.each(commands)('$script', ({ spec, bad, says }) => {
  it('--help prints the usage with every flag and an example to stdout, exit 0', () => {
    const { result, out, err } = inProcess(spec, ['--help']);
    expect(result).toEqual({ exit: 0 });
    expect(err).toBe('');
    expect(out).toMatch(/^Usage: /);
    for (const name of Object.keys(spec.flags)) expect(out).toContain(`--${name}`);
    expect(out).toMatch(/\nExamples?:\n {2}\S/);
  });

  it('an unknown flag exits 2 with one line naming it', () => {
    const { result, out, err } = inProcess(spec, ['--bogus-flag', 'x']);
    expect(result).toEqual({ exit: 2 });
    expect(out).toBe('');
    expect(err).toMatch(/^[^\n]*unknown flag --bogus-flag[^\n]*--help lists the flags\)\n$/);
  });

  it('every example of its help is accepted as written (files and folders it names exist)', () => {
    const bare = spec.command.replace(/ --$/, '');
    for (const example of spec.examples) {
      // The reference folder is optional (the README promises green tests without it).
      if (example.includes('../shared/') && !fs.existsSync(path.join(root, '../shared'))) continue;
      const at = example.indexOf(bare);
      expect(at, example).toBeGreaterThanOrEqual(0);
      const args = example.slice(at + bare.length).replace(/^ --(?= |$)/, '').split(/\s+/).filter(Boolean);
      const { result, err } = inProcess(spec, args);
      expect({ example, err }).toEqual({ example, err: '' });
      expect('parsed' in result).toBe(true);
    }
  });

  it('a bad value exits 2 with one line saying what the flag expects', () => {
    const { result, out, err } = inProcess(spec, bad);
    expect(result).toEqual({ exit: 2 });
    expect(out).toBe('');
    expect(err).toMatch(says);
    expect(err.trimEnd().split('\n')).toHaveLength(1);
  });
});

describe('a folder flag that must hold a file', () => {
  it('npm run check -- --ms-schemas <folder without the schemas> exits 2 before checking', () => {
    const { result, err } = inProcess(CHECK_CLI, ['--ms-schemas', tmp]);
    expect(result).toEqual({ exit: 2 });
    expect(err).toBe(`npm run check: --ms-schemas expects an existing folder holding apiDefinition.swagger.schema.json; ${tmp} has none (npm run check -- --help lists the flags)\n`);
  });
});

describe('npm run build', () => {
  it('has no --dir: it checks the files it wrote, never another folder (which left them unchecked)', () => {
    const { result, err } = inProcess(BUILD_CLI, ['--dir', '.']);
    expect(result).toEqual({ exit: 2 });
    expect(err).toMatch(/unknown flag --dir/);
  });
});

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function spawnCommand(script: string, args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(path.join(root, 'node_modules/.bin/ts-node'), [script, ...args], { cwd: root, encoding: 'utf8', env: { ...process.env, ZP_API_KEY: '' } }, (error, stdout, stderr) => {
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

/** Runs the jobs two at a time (two cores); ts-node's start-up is most of each run. */
async function inPairs<T>(jobs: Array<() => Promise<T>>): Promise<T[]> {
  const results: T[] = new Array(jobs.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < jobs.length) {
      const i = next++;
      results[i] = await jobs[i]();
    }
  };
  await Promise.all([worker(), worker()]);
  return results;
}

/** Spawned with an unknown flag too: the commands whose typos used to run in full (and record, whose entry differs). */
const SPAWN_UNKNOWN = new Set(['scripts/start.ts', 'scripts/package.ts', 'scripts/record.ts', 'scripts/setup.ts']);

describe('every command, spawned', () => {
  it('answers --help with exactly its usage and does nothing else; refuses an unknown flag with exit 2', async () => {
    const jobs = commands.map((c) => () => spawnCommand(c.script, [...(c.helpArgs ?? []), '--help']));
    const unknownOf = commands.filter((c) => SPAWN_UNKNOWN.has(c.script));
    const runs = await inPairs([...jobs, ...unknownOf.map((c) => () => spawnCommand(c.script, ['--bogus-flag']))]);
    commands.forEach((c, i) => {
      const help = runs[i];
      // Exactly the spec's help: the process parsed its argv through lib/cli with this spec.
      expect({ script: c.script, code: help.code, stdout: help.stdout, stderr: help.stderr }).toEqual({ script: c.script, code: 0, stdout: formatHelp(c.spec), stderr: '' });
    });
    unknownOf.forEach((c, i) => {
      const unknown = runs[commands.length + i];
      expect({ script: c.script, code: unknown.code, stdout: unknown.stdout }).toEqual({ script: c.script, code: 2, stdout: '' });
      expect(unknown.stderr).toMatch(/^[^\n]*unknown flag --bogus-flag[^\n]*\n$/);
    });
    // npm start -- --help used to play the day and write the workbook.
    expect(fs.existsSync(workbook)).toBe(false);
  }, 300_000);
});
