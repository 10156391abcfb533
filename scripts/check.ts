/**
 * `npm run check [-- --dir <folder> ...] [--format text|json] [--fail-severity error|warn] [--ms-schemas <dir>]`
 * Checks the project's own connector (or any connector folders, in one process) offline; see docs/rules.md.
 */
import { resolve } from 'node:path';
import type { Severity } from '../lib/finding';
import { installTranspileCache } from '../checks/transpile-cache';

export interface Args {
  /** Connector folders to check; none: the project's own connector. */
  dirs: string[];
  format: 'text' | 'json';
  /** Unset: warnings fail the project's own connector (kept at 0 warnings), only errors fail other folders. */
  failSeverity?: Severity;
  msSchemas?: string;
  help?: boolean;
}

export const USAGE = [
  'usage: npm run check -- [--dir <connector folder>]... [--format text|json] [--fail-severity error|warn] [--ms-schemas <dir>]',
  '',
  'Checks a connector offline (docs/rules.md lists every rule, its severity and source).',
  '  (no --dir)              the project\'s own connector: freshness, swagger-parser, rules, compatibility; fails on errors and warnings',
  '  --dir <folder>          another connector folder (apiDefinition.swagger.json, apiProperties.json, optional script.csx); fails on errors',
  '                          repeat it to check many folders in one process: a line per folder (JSON: one object per line with "dir")',
  '  --format text|json      text (default) ends with a per-rule summary; json for tools',
  '  --fail-severity error|warn  the lowest severity that fails the run',
  '  --ms-schemas <dir>      also validate against Microsoft\'s published JSON schemas in <dir>',
  '  -h, --help              print this help',
].join('\n');

export function parseArgs(argv: string[]): Args {
  const args: Args = { dirs: [], format: 'text' };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = (): string => {
      const next = argv[++i];
      if (next === undefined || next.startsWith('--')) throw new Error(`${flag} needs a value`);
      return next;
    };
    if (flag === '--dir') args.dirs.push(value());
    else if (flag === '--ms-schemas') args.msSchemas = value();
    else if (flag === '--format') {
      const format = value();
      if (format !== 'text' && format !== 'json') throw new Error(`--format must be text or json, not '${format}'`);
      args.format = format;
    } else if (flag === '--fail-severity') {
      const severity = value();
      if (severity !== 'error' && severity !== 'warn') throw new Error(`--fail-severity must be error or warn, not '${severity}'`);
      args.failSeverity = severity;
    } else if (flag === '--help' || flag === '-h') {
      args.help = true;
    } else throw new Error(`unknown option '${flag}'`);
  }
  return args;
}

async function main(): Promise<number> {
  let args: Args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n${USAGE.split('\n')[0]}\n(--help explains every option)\n`);
    return 2;
  }
  if (args.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const root = resolve(__dirname, '..');
  // Installed before the engine's modules load, which is why they are imported here and not above.
  installTranspileCache(root);
  const { runCheck, lastTimings } = await import('../checks/run');
  const { exitCode, formatFoldersJson, formatFoldersText, formatJson, formatText } = await import('../checks/format');
  const msSchemasDir = args.msSchemas === undefined ? undefined : resolve(process.cwd(), args.msSchemas);
  const timings = (): void => {
    if (process.env.CHECK_TIMINGS) process.stderr.write(`timings (ms): ${JSON.stringify({ ...lastTimings, process: Math.round(process.uptime() * 1000) })}\n`);
  };

  if (args.dirs.length <= 1) {
    const dir = args.dirs[0] === undefined ? undefined : resolve(process.cwd(), args.dirs[0]);
    const result = await runCheck({ root, dir, msSchemasDir });
    process.stdout.write(args.format === 'json' ? formatJson(result) : formatText(result));
    timings();
    const own = dir === undefined || dir === root;
    return exitCode(result, args.failSeverity ?? (own ? 'warn' : 'error'));
  }

  // Many folders: one process, so module loading and the compiled validator are paid once.
  const failSeverity = args.failSeverity ?? 'error';
  const results = [];
  for (const given of args.dirs) {
    const result = await runCheck({ root, dir: resolve(process.cwd(), given), msSchemasDir });
    results.push({ dir: given, result });
  }
  process.stdout.write(args.format === 'json' ? formatFoldersJson(results) : formatFoldersText(results, failSeverity));
  timings();
  return results.some((r) => exitCode(r.result, failSeverity) !== 0) ? 1 : 0;
}

if (require.main === module) {
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`check failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
      process.exitCode = 2;
    },
  );
}
