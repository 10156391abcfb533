// lib/cli: each flag type, repeatable flags, environment fallbacks, the one-line refusals and the help.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { afterAll, describe, expect, it } from 'vitest';
import { defineCommand, formatHelp, parseCommand, readCommandLine, UsageError, wantsHelp } from '../../lib/cli';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-layer-'));
const file = path.join(tmp, 'a.json');
fs.writeFileSync(file, '{}');
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const spec = defineCommand({
  command: 'npm run demo --',
  summary: 'A command with one flag of each kind.',
  flags: {
    name: { type: 'string', description: 'a name' },
    format: { type: 'string', choices: ['text', 'json'], default: 'text', description: 'output format' },
    count: { type: 'integer', min: 1, default: 3, description: 'how many' },
    ratio: { type: 'number', description: 'a ratio' },
    id: { type: 'guid', env: 'DEMO_ID', description: 'an id' },
    out: { type: 'path', description: 'where to write' },
    input: { type: 'file', description: 'what to read' },
    dir: { type: 'folder', repeatable: true, description: 'folders to look at' },
    serve: { type: 'boolean', short: 's', description: 'keep running' },
  },
  examples: ['npm run demo -- --count 2 --dir a --dir b'],
});

const parse = (argv: string[], env: NodeJS.ProcessEnv = {}) => parseCommand(spec, argv, { env, cwd: tmp });
const refusal = (argv: string[], env: NodeJS.ProcessEnv = {}): string => {
  try {
    parse(argv, env);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error(`accepted ${argv.join(' ')}`);
};

describe('parseCommand', () => {
  it('gives defaults, false booleans and empty repeatables when nothing is passed', () => {
    expect(parse([]).flags).toEqual({
      name: undefined, format: 'text', count: 3, ratio: undefined, id: undefined, out: undefined, input: undefined, dir: [], serve: false,
    });
  });

  it('converts each type, resolves paths against the working directory and collects repeated flags', () => {
    const { flags } = parse([
      '--name', 'x', '--format=json', '--count', '5', '--ratio', '-0.5', '--id', 'AAAAAAAA-0000-0000-0000-000000000000',
      '--out', 'new/file.txt', '--input', 'a.json', '--dir', '.', '--dir', tmp, '-s',
    ]);
    expect(flags).toEqual({
      name: 'x', format: 'json', count: 5, ratio: -0.5, id: 'AAAAAAAA-0000-0000-0000-000000000000',
      out: path.join(tmp, 'new/file.txt'), input: file, dir: [tmp, tmp], serve: true,
    });
  });

  it('reads a flag from its environment variable when absent, and prefers the flag', () => {
    const id = '11111111-2222-3333-4444-555555555555';
    expect(parse([], { DEMO_ID: id }).flags.id).toBe(id);
    expect(parse(['--id', '00000000-0000-0000-0000-000000000000'], { DEMO_ID: id }).flags.id).toBe('00000000-0000-0000-0000-000000000000');
    expect(refusal([], { DEMO_ID: 'nope' })).toBe('DEMO_ID expects a GUID (00000000-0000-0000-0000-000000000000 form), got "nope"');
  });

  it('reads the variables of the process environment when none is passed (runCommand, which every command runs through)', () => {
    const saved = process.env.DEMO_ID;
    process.env.DEMO_ID = '11111111-2222-3333-4444-555555555555';
    try {
      const read = readCommandLine(spec, [], { cwd: tmp });
      expect('parsed' in read ? read.parsed.flags.id : read).toBe('11111111-2222-3333-4444-555555555555');
    } finally {
      if (saved === undefined) delete process.env.DEMO_ID;
      else process.env.DEMO_ID = saved;
    }
  });

  it('reads a repeatable flag from its environment variable as one value, unless the flag is given; an empty or blank variable counts as absent', () => {
    const withEnv = defineCommand({
      command: 'npm run env-demo --',
      summary: 'Flags that fall back on variables.',
      flags: {
        tag: { type: 'string', repeatable: true, env: 'DEMO_TAG', description: 'tags' },
        id: { type: 'guid', env: 'DEMO_ID', default: '00000000-0000-0000-0000-000000000000', description: 'an id' },
      },
      examples: ['npm run env-demo -- --tag a'],
    });
    const flags = (argv: string[], env: NodeJS.ProcessEnv) => parseCommand(withEnv, argv, { env, cwd: tmp }).flags;
    expect(flags([], { DEMO_TAG: 'from-env' }).tag).toEqual(['from-env']);
    expect(flags(['--tag', 'a', '--tag', 'b'], { DEMO_TAG: 'from-env' }).tag).toEqual(['a', 'b']);
    expect(flags([], { DEMO_TAG: '' }).tag).toEqual([]);
    // A variable set to blanks is not a value: the default stands, nothing is refused.
    expect(flags([], { DEMO_ID: '   ' }).id).toBe('00000000-0000-0000-0000-000000000000');
    expect(flags([], { DEMO_ID: '11111111-2222-3333-4444-555555555555' }).id).toBe('11111111-2222-3333-4444-555555555555');
  });

  it('refuses an unknown flag, naming it and the nearest known one', () => {
    expect(refusal(['--formt', 'json'])).toBe('unknown flag --formt; did you mean --format?');
    // Two neighbouring letters swapped is one slip, as one letter left out is.
    expect(refusal(['--fromat', 'json'])).toBe('unknown flag --fromat; did you mean --format?');
    expect(refusal(['--sevre'])).toBe('unknown flag --sevre; did you mean --serve?');
    expect(refusal(['--bogus-flag', 'x'])).toBe('unknown flag --bogus-flag');
    expect(refusal(['-x'])).toBe('unknown flag -x');
  });

  it('refuses a missing value, also when the next word is a flag', () => {
    expect(refusal(['--name'])).toBe('--name needs a value: a value');
    expect(refusal(['--out', '--serve'])).toBe('--out needs a value: a path');
    expect(refusal(['--count'])).toBe('--count needs a value: a whole number ≥ 1');
  });

  it('refuses a value of the wrong type, saying what the flag expects', () => {
    expect(refusal(['--count', 'abc'])).toBe('--count expects a whole number ≥ 1, got "abc"');
    expect(refusal(['--count', '0'])).toBe('--count expects a whole number ≥ 1, got "0"');
    expect(refusal(['--count', '1.5'])).toBe('--count expects a whole number ≥ 1, got "1.5"');
    // Beyond 2^53 a number is no longer whole-number exact (and --calls would never finish).
    expect(refusal(['--count', '99999999999999999999'])).toBe('--count expects a whole number ≥ 1, got "99999999999999999999"');
    expect(refusal(['--ratio', ''])).toBe('--ratio expects a number, got ""');
    expect(refusal(['--format', 'xml'])).toBe('--format expects text or json, got "xml"');
    expect(refusal(['--id', '1234'])).toBe('--id expects a GUID (00000000-0000-0000-0000-000000000000 form), got "1234"');
    expect(refusal(['--serve=yes'])).toBe('--serve takes no value, got "yes"');
    expect(refusal(['--name', 'a', '--name', 'b'])).toBe('--name is given twice; give it once');
  });

  it('refuses paths that must exist and do not, or are of the wrong kind', () => {
    expect(refusal(['--dir', 'missing'])).toBe(`--dir expects an existing folder; ${path.join(tmp, 'missing')} does not exist`);
    expect(refusal(['--dir', 'a.json'])).toBe(`--dir expects an existing folder; ${file} is a file`);
    expect(refusal(['--input', '.'])).toBe(`--input expects an existing file; ${tmp} is a folder`);
  });

  it('says why a path cannot be used when it is a symbolic link loop, instead of throwing', () => {
    fs.symlinkSync(path.join(tmp, 'loop-b'), path.join(tmp, 'loop-a'));
    fs.symlinkSync(path.join(tmp, 'loop-a'), path.join(tmp, 'loop-b'));
    expect(refusal(['--dir', 'loop-a'])).toBe(`--dir expects an existing folder; ${path.join(tmp, 'loop-a')} is a symbolic link loop (the links point at each other and never reach a file)`);
  });

  it('takes positional arguments only when the command declares them', () => {
    expect(refusal(['extra'])).toBe('unexpected argument "extra" (this command takes flags only)');
    const withOps = defineCommand({ ...spec, positionals: { name: 'operationId', description: 'ops', min: 1 } });
    expect(parseCommand(withOps, ['A', '--serve', 'B']).positionals).toEqual(['A', 'B']);
    expect(() => parseCommand(withOps, ['--serve'])).toThrow('missing operationId: give at least 1');
  });
});

describe('defineCommand', () => {
  it('refuses a spec that redefines --help, or has no example', () => {
    expect(() => defineCommand({ ...spec, flags: { help: { type: 'boolean', description: 'x' } } })).toThrow(/built in/);
    expect(() => defineCommand({ ...spec, examples: [] })).toThrow(/example/);
  });
});

describe('help', () => {
  it('is asked for by --help or -h anywhere before --', () => {
    expect(wantsHelp(['--count', '2', '-h'])).toBe(true);
    expect(wantsHelp(['--help'])).toBe(true);
    expect(wantsHelp(['--', '--help'])).toBe(false);
    expect(wantsHelp(['--count', '2'])).toBe(false);
  });

  it('lists every flag with what it takes, its default and environment variable, and the example', () => {
    const help = formatHelp(spec);
    expect(help.split('\n')[0]).toBe('Usage: npm run demo -- [options]');
    for (const name of Object.keys(spec.flags)) expect(help).toContain(`--${name}`);
    expect(help).toMatch(/--count <n> +how many \(a whole number ≥ 1; default 3\)/);
    expect(help).toMatch(/--format <text\|json> +output format \(default text\)/);
    expect(help).toMatch(/--dir <folder> +folders to look at \(an existing folder; repeatable\)/);
    expect(help).toMatch(/--id <GUID> +an id \(a GUID; or DEMO_ID\)/);
    expect(help).toMatch(/-s, --serve +keep running\n/);
    expect(help).toMatch(/-h, --help +print this help and exit/);
    expect(help).toMatch(/Example:\n {2}npm run demo -- --count 2 --dir a --dir b\n$/);
    expect(Math.max(...help.split('\n').map((l) => l.length))).toBeLessThanOrEqual(100);
  });

  it('readCommandLine prints the help to out (exit 0) and a usage error as one line to err (exit 2)', () => {
    const out: string[] = [];
    const err: string[] = [];
    const io = { out: (t: string) => out.push(t), err: (t: string) => err.push(t) };
    expect(readCommandLine(spec, ['--count', 'abc', '--help'], { io, env: {} })).toEqual({ exit: 0 });
    expect(out).toEqual([formatHelp(spec)]);
    expect(readCommandLine(spec, ['--count', 'abc'], { io, env: {} })).toEqual({ exit: 2 });
    expect(err).toEqual(['npm run demo: --count expects a whole number ≥ 1, got "abc" (npm run demo -- --help lists the flags)\n']);
    expect(readCommandLine(spec, ['--count', '2'], { io, env: {}, cwd: tmp })).toMatchObject({ parsed: { flags: { count: 2 } } });
  });
});
