/**
 * `npm run check [-- --dir <folder>] [--format text|json] [--fail-severity error|warn] [--ms-schemas <dir>]`
 * Checks the project's own connector (or any connector folder) offline; see docs/rules.md.
 */
import { resolve } from 'node:path';
import type { Severity } from '../lib/finding';
import { installTranspileCache } from '../checks/transpile-cache';

interface Args {
  dir?: string;
  format: 'text' | 'json';
  failSeverity: Severity;
  msSchemas?: string;
}

const USAGE = 'usage: npm run check -- [--dir <connector folder>] [--format text|json] [--fail-severity error|warn] [--ms-schemas <dir>]';

export function parseArgs(argv: string[]): Args {
  const args: Args = { format: 'text', failSeverity: 'error' };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = (): string => {
      const next = argv[++i];
      if (next === undefined || next.startsWith('--')) throw new Error(`${flag} needs a value`);
      return next;
    };
    if (flag === '--dir') args.dir = value();
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
      throw new Error(USAGE);
    } else throw new Error(`unknown option '${flag}'`);
  }
  return args;
}

async function main(): Promise<number> {
  let args: Args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n${USAGE}\n`);
    return 2;
  }
  const root = resolve(__dirname, '..');
  // Installed before the engine's modules load, which is why they are imported here and not above.
  installTranspileCache(root);
  const { runCheck } = await import('../checks/run');
  const { exitCode, formatJson, formatText } = await import('../checks/format');
  const result = await runCheck({
    root,
    dir: args.dir === undefined ? undefined : resolve(process.cwd(), args.dir),
    msSchemasDir: args.msSchemas === undefined ? undefined : resolve(process.cwd(), args.msSchemas),
  });
  process.stdout.write(args.format === 'json' ? formatJson(result) : formatText(result));
  if (process.env.CHECK_TIMINGS) {
    const { lastTimings } = await import('../checks/run');
    process.stderr.write(`timings (ms): ${JSON.stringify({ ...lastTimings, process: Math.round(process.uptime() * 1000) })}\n`);
  }
  return exitCode(result, args.failSeverity);
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
