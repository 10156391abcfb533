/**
 * The argument layer every command uses (`npm run build|check|start|package|bench|record|baseline|
 * contract:coverage`, the mock PBX). A command declares its flags once — type, description,
 * default, repeatable — with its usage line and an example; this module parses argv with Node's
 * `util.parseArgs` before the command does anything else, prints the help for `--help`/`-h`, and
 * refuses an unknown flag, a missing value or a value of the wrong type with one line (exit 2).
 */
import { statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { fsReason } from './fs-reason';
import { editDistance } from './edit-distance';

/**
 * What a flag's value must be. Paths are resolved against the working directory; `file` and
 * `folder` must exist when given (a default that does not exist is the command's business).
 */
export type FlagType = 'string' | 'number' | 'integer' | 'boolean' | 'guid' | 'path' | 'file' | 'folder';

export interface FlagSpec {
  type: FlagType;
  description: string;
  /** Allowed values of a `string` flag, e.g. `['text', 'json']`. */
  choices?: readonly string[];
  /** Used when the flag (and its `env` variable) is absent; shown in the help. */
  default?: string | number | boolean;
  /** May be given more than once; the value is then an array (empty when absent). */
  repeatable?: boolean;
  /** One-letter alias, e.g. `p` for `-p`. */
  short?: string;
  /** The placeholder in the help, e.g. `<GUID>` (defaults from the type). */
  valueName?: string;
  /** Smallest number accepted by `number`/`integer` flags. */
  min?: number;
  /** Largest number accepted by `number`/`integer` flags (with `min`). */
  max?: number;
  /** A file a `folder` flag's folder must hold, e.g. `apiDefinition.swagger.json`. */
  holds?: string;
  /** An environment variable that stands in for the flag when it is absent; validated the same way. */
  env?: string;
}

export interface PositionalSpec {
  /** e.g. `operationId`. */
  name: string;
  description: string;
  /** At least this many (default 0). */
  min?: number;
}

export interface CommandSpec<F extends Record<string, FlagSpec> = Record<string, FlagSpec>> {
  /** How the user runs it, e.g. `npm run check --`; the usage line and messages start with it. */
  command: string;
  /** What the command does, one or two sentences. */
  summary: string;
  flags: F;
  /** Absent: the command takes no positional arguments. */
  positionals?: PositionalSpec;
  /** Full command lines, at least one. */
  examples: readonly string[];
  /** Extra paragraphs for the help (environment variables, side effects). */
  notes?: readonly string[];
}

type Scalar<S extends FlagSpec> = S['type'] extends 'boolean'
  ? boolean
  : S['type'] extends 'number' | 'integer'
    ? number
    : S['choices'] extends readonly (infer C extends string)[]
      ? C
      : string;

/** The parsed value of each flag: arrays for repeatable flags, `undefined` when absent without default. */
export type FlagValues<F extends Record<string, FlagSpec>> = {
  -readonly [K in keyof F]: F[K] extends { repeatable: true }
    ? Scalar<F[K]>[]
    : F[K]['type'] extends 'boolean'
      ? boolean
      : F[K] extends { default: string | number | boolean }
        ? Scalar<F[K]>
        : Scalar<F[K]> | undefined;
};

export interface Parsed<F extends Record<string, FlagSpec>> {
  flags: FlagValues<F>;
  positionals: string[];
}

/** Declares a command; `const` keeps the literal flag names and choices for typed results. */
export function defineCommand<const F extends Record<string, FlagSpec>>(spec: CommandSpec<F>): CommandSpec<F> {
  for (const [name, flag] of Object.entries(spec.flags)) {
    if (name === 'help' || flag.short === 'h') throw new Error(`${spec.command}: --help/-h is built in; do not declare it`);
    if (flag.type === 'boolean' && (flag.repeatable || flag.env)) throw new Error(`${spec.command}: --${name} is boolean; it cannot be repeatable or read from the environment`);
  }
  if (spec.examples.length === 0) throw new Error(`${spec.command}: give at least one example`);
  return spec;
}

/** A usage mistake: one line for stderr, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/** What a value of this flag must be, in words (for errors and the help). */
function expects(flag: FlagSpec): string {
  if (flag.choices) return flag.choices.join(' or ');
  switch (flag.type) {
    case 'number':
      return flag.min === undefined ? 'a number' : `a number ≥ ${flag.min}`;
    case 'integer':
      if (flag.min !== undefined && flag.max !== undefined) return `a whole number from ${flag.min} to ${flag.max}`;
      return flag.min === undefined ? 'a whole number' : `a whole number ≥ ${flag.min}`;
    case 'guid':
      return 'a GUID (00000000-0000-0000-0000-000000000000 form)';
    case 'file':
      return 'an existing file';
    case 'folder':
      return flag.holds ? `an existing folder holding ${flag.holds}` : 'an existing folder';
    case 'path':
      return 'a path';
    case 'boolean':
      return 'no value';
    default:
      return 'a value';
  }
}

function placeholder(flag: FlagSpec): string {
  if (flag.valueName) return flag.valueName;
  if (flag.choices) return `<${flag.choices.join('|')}>`;
  const names: Record<FlagType, string> = {
    string: '<value>', number: '<n>', integer: '<n>', boolean: '', guid: '<GUID>', path: '<path>', file: '<file>', folder: '<folder>',
  };
  return names[flag.type];
}

/** Converts and checks one raw value; `source` names where it came from (`--seed`, `PP_ENVIRONMENT`). */
function convert(flag: FlagSpec, raw: string, source: string, cwd: string): string | number {
  const refuse = (): never => {
    throw new UsageError(`${source} expects ${expects(flag)}, got ${JSON.stringify(raw)}`);
  };
  if (flag.choices && !flag.choices.includes(raw)) refuse();
  switch (flag.type) {
    case 'number':
    case 'integer': {
      const n = raw.trim() === '' ? NaN : Number(raw);
      if (!Number.isFinite(n) || (flag.type === 'integer' && !Number.isSafeInteger(n)) || (flag.min !== undefined && n < flag.min) || (flag.max !== undefined && n > flag.max)) refuse();
      return n;
    }
    case 'guid':
      if (!GUID.test(raw.trim())) refuse();
      return raw.trim();
    case 'path':
    case 'file':
    case 'folder': {
      if (raw.trim() === '') refuse();
      const full = resolve(cwd, raw);
      if (flag.type === 'path') return full;
      let stat;
      try {
        stat = statSync(full, { throwIfNoEntry: false });
      } catch (error) {
        // A symbolic link loop, a folder that cannot be entered: said as such, never a stack trace.
        throw new UsageError(`${source} expects ${expects(flag)}; ${full} ${fsReason(error)}`);
      }
      if (!stat) throw new UsageError(`${source} expects ${expects(flag)}; ${full} does not exist`);
      if (flag.type === 'folder' ? !stat.isDirectory() : !stat.isFile()) {
        throw new UsageError(`${source} expects ${expects(flag)}; ${full} is a ${stat.isDirectory() ? 'folder' : 'file'}`);
      }
      if (flag.type === 'folder' && flag.holds && !statSync(join(full, flag.holds), { throwIfNoEntry: false })?.isFile()) {
        throw new UsageError(`${source} expects ${expects(flag)}; ${full} has none`);
      }
      return full;
    }
    default:
      if (raw === '') refuse();
      return raw;
  }
}

const looksLikeFlag = (value: string): boolean => /^-(-|[A-Za-z])/.test(value);

/** True when argv asks for the help (before any `--` that ends the flags). */
export function wantsHelp(argv: readonly string[]): boolean {
  for (const arg of argv) {
    if (arg === '--') return false;
    if (arg === '--help' || arg === '-h') return true;
  }
  return false;
}

/**
 * Parses argv by the spec. Throws {@link UsageError} for an unknown flag, a missing value, a value
 * of the wrong type or a positional argument the command does not take. Does not handle `--help`
 * (see {@link wantsHelp}); `env` fills flags that declare a variable.
 */
export function parseCommand<F extends Record<string, FlagSpec>>(
  spec: CommandSpec<F>,
  argv: readonly string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string } = {},
): Parsed<F> {
  const env = options.env ?? {};
  const cwd = options.cwd ?? process.cwd();
  const config: Record<string, { type: 'string' | 'boolean'; multiple?: boolean; short?: string }> = {};
  for (const [name, flag] of Object.entries(spec.flags)) {
    config[name] = { type: flag.type === 'boolean' ? 'boolean' : 'string', multiple: flag.repeatable === true, ...(flag.short ? { short: flag.short } : {}) };
  }
  // Not strict: every token is checked below, so that each mistake gets its own one-line message.
  const { tokens } = parseArgs({ args: [...argv], options: config, strict: false, allowPositionals: true, tokens: true });
  const given = new Map<string, Array<string | number | true>>();
  const positionals: string[] = [];
  for (const token of tokens) {
    if (token.kind === 'option-terminator') continue;
    if (token.kind === 'positional') {
      if (!spec.positionals) throw new UsageError(`unexpected argument ${JSON.stringify(token.value)} (this command takes flags only)`);
      positionals.push(token.value);
      continue;
    }
    const flag = spec.flags[token.name] as FlagSpec | undefined;
    const shown = token.rawName.startsWith('--') ? token.rawName : `${token.rawName} (--${token.name})`;
    if (!flag) throw new UsageError(`unknown flag ${token.rawName}${suggestion(token.name, Object.keys(spec.flags))}`);
    let value: string | number | true;
    if (flag.type === 'boolean') {
      if (token.inlineValue) throw new UsageError(`${shown} takes no value, got ${JSON.stringify(token.value)}`);
      value = true;
    } else {
      const raw = token.value;
      // `--out --serve` or `--out` last: the value is missing (a negative number is a value).
      const missing = raw === undefined || (!token.inlineValue && looksLikeFlag(raw) && !((flag.type === 'number' || flag.type === 'integer') && /^-\d/.test(raw)));
      if (missing) throw new UsageError(`${shown} needs a value: ${expects(flag)}`);
      value = convert(flag, raw, shown, cwd);
    }
    if (!flag.repeatable && given.has(token.name)) throw new UsageError(`${shown} is given twice; give it once`);
    given.set(token.name, [...(given.get(token.name) ?? []), value]);
  }
  const min = spec.positionals?.min ?? 0;
  if (positionals.length < min) throw new UsageError(`missing ${spec.positionals!.name}: give at least ${min}`);
  const flags: Record<string, unknown> = {};
  for (const [name, flag] of Object.entries(spec.flags)) {
    const values = given.get(name);
    const fromEnv = values === undefined && flag.env !== undefined ? env[flag.env] : undefined;
    if (flag.repeatable) {
      flags[name] = values ?? (fromEnv !== undefined && fromEnv !== '' ? [convert(flag, fromEnv, flag.env!, cwd)] : []);
    } else if (values) {
      flags[name] = values[0];
    } else if (fromEnv !== undefined && fromEnv.trim() !== '') {
      flags[name] = convert(flag, fromEnv, flag.env!, cwd);
    } else if (flag.type === 'boolean') {
      flags[name] = flag.default ?? false;
    } else {
      flags[name] = flag.default;
    }
  }
  return { flags: flags as FlagValues<F>, positionals };
}

/** ` (did you mean --x?)` for a near miss such as `--enviroment`. */
function suggestion(name: string, known: readonly string[]): string {
  const close = known.find((k) => editDistance(k, name) <= Math.max(1, Math.floor(k.length / 4)));
  return close ? `; did you mean --${close}?` : '';
}

/** The help text: usage line, summary, every flag with its default, notes, examples. */
export function formatHelp(spec: CommandSpec): string {
  const rows: Array<[string, string]> = [];
  for (const [name, flag] of Object.entries(spec.flags)) {
    const left = `${flag.short ? `-${flag.short}, ` : ''}--${name}${flag.type === 'boolean' ? '' : ` ${placeholder(flag)}`}`;
    const extras: string[] = [];
    if (flag.type === 'guid') extras.push('a GUID');
    else if (flag.type !== 'boolean' && flag.type !== 'string' && flag.type !== 'path' && !flag.choices) extras.push(expects(flag));
    if (flag.repeatable) extras.push('repeatable');
    if (flag.env) extras.push(`or ${flag.env}`);
    if (flag.default !== undefined && flag.type !== 'boolean') extras.push(`default ${flag.default}`);
    rows.push([left, extras.length > 0 ? `${flag.description} (${extras.join('; ')})` : flag.description]);
  }
  rows.push(['-h, --help', 'print this help and exit']);
  const width = Math.min(30, Math.max(...rows.map(([left]) => left.length)) + 2);
  const positional = spec.positionals ? ` <${spec.positionals.name}>${spec.positionals.min ? '' : '?'}…` : '';
  const lines = [`Usage: ${spec.command}${positional} [options]`, '', ...wrap(spec.summary, LINE), ''];
  if (spec.positionals) lines.push('Arguments:', ...row(`<${spec.positionals.name}>`, spec.positionals.description, width), '');
  lines.push('Options:');
  for (const [left, right] of rows) lines.push(...row(left, right, width));
  for (const note of spec.notes ?? []) lines.push('', ...wrap(note, LINE));
  lines.push('', spec.examples.length === 1 ? 'Example:' : 'Examples:', ...spec.examples.map((e) => `  ${e}`));
  return `${lines.join('\n')}\n`;
}

const LINE = 100;

/** Words of `text` in lines of at most `width` characters (a longer word gets a line of its own). */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    for (const word of paragraph.split(/ +/)) {
      if (line !== '' && line.length + 1 + word.length > width) {
        lines.push(line);
        line = word;
      } else line = line === '' ? word : `${line} ${word}`;
    }
    lines.push(line);
  }
  return lines;
}

/** One option of the help: the flag, then its description wrapped in the column beside it. */
function row(left: string, right: string, width: number): string[] {
  const text = wrap(right, LINE - 2 - width).map((l) => `  ${' '.repeat(width)}${l}`);
  if (left.length + 2 > width) return [`  ${left}`, ...text];
  return [`  ${left.padEnd(width)}${text[0].trimStart()}`, ...text.slice(1)];
}

export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
}

const processIo: CliIo = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
};

/**
 * The result of reading argv: the parsed arguments to run with, or the exit code when the command
 * must not run (0 after printing the help, 2 after a usage error).
 */
export function readCommandLine<F extends Record<string, FlagSpec>>(
  spec: CommandSpec<F>,
  argv: readonly string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string; io?: CliIo } = {},
): { parsed: Parsed<F> } | { exit: 0 | 2 } {
  const io = options.io ?? processIo;
  if (wantsHelp(argv)) {
    io.out(formatHelp(spec));
    return { exit: 0 };
  }
  try {
    return { parsed: parseCommand(spec, argv, { env: options.env ?? process.env, cwd: options.cwd }) };
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.err(`${spec.command.replace(/ --$/, '')}: ${error.message} (${spec.command} --help lists the flags)\n`);
    return { exit: 2 };
  }
}

/**
 * Runs a command from `process.argv`: parses first (help / usage errors exit at once), then
 * `main`, whose number becomes the exit code; an unexpected failure prints its stack and exits 1.
 */
export function runCommand<F extends Record<string, FlagSpec>>(spec: CommandSpec<F>, main: (args: Parsed<F>) => Promise<number | void> | number | void): void {
  const read = readCommandLine(spec, process.argv.slice(2));
  if ('exit' in read) {
    process.exitCode = read.exit;
    return;
  }
  // A reader that stops early (`npm run check | head`) closes the pipe: the rest of the output goes
  // nowhere, without a stack trace, and the command still ends with its own exit code.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    process.stdout.write = (() => true) as typeof process.stdout.write;
  });
  Promise.resolve()
    .then(() => main(read.parsed))
    .then(
      (code) => {
        if (typeof code === 'number') process.exitCode = code;
      },
      (error: unknown) => {
        process.stderr.write(`${spec.command.replace(/ --$/, '')} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
        process.exitCode = 1;
      },
    );
}
