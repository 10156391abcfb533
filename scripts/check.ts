/**
 * `npm run check [-- --dir <folder>] [--format text|json] [--fail-severity error|warn] [--ms-schemas <dir>]`
 * Checks the project's own connector (or any connector folder) offline; see docs/rules.md.
 */
import { resolve } from 'node:path';
import type { CheckOptions } from '../checks/run';
import { defineCommand, runCommand, type FlagValues } from '../lib/cli';

/** The flags of `npm run check`; `npm run build` takes the same ones (scripts/build.ts). */
export const CHECK_FLAGS = {
  dir: { type: 'folder', description: "a connector folder to check instead of this project's" },
  format: { type: 'string', choices: ['text', 'json'], default: 'text', description: 'report format' },
  'fail-severity': { type: 'string', choices: ['error', 'warn'], default: 'error', description: 'exit 1 when a finding of this severity or worse remains' },
  'ms-schemas': { type: 'folder', description: "also validate against Microsoft's JSON schemas in this folder" },
} as const;

export const CHECK_CLI = defineCommand({
  command: 'npm run check --',
  summary:
    'Checks the connector offline and writes nothing: generated files fresh, swagger-parser, the certification ' +
    'and trigger rules (docs/rules.md), the compatibility guard against 1.0, and optionally Microsoft\'s schemas. ' +
    'Exit 0 when it passes, 1 when findings fail it, 2 on a usage mistake.',
  flags: CHECK_FLAGS,
  examples: ['npm run check', 'npm run check -- --dir ../shared/reference/certified-connector-1.0 --format json'],
});

/** Runs the checks with the parsed flags and prints the report; returns the exit code. */
export async function runChecks(root: string, flags: FlagValues<typeof CHECK_FLAGS>, options: Pick<CheckOptions, 'buildArtifacts'> = {}): Promise<number> {
  // Installed before the engine's modules load, which is why they are imported here and not above.
  const { installTranspileCache } = await import('../checks/transpile-cache');
  installTranspileCache(root);
  const { runCheck } = await import('../checks/run');
  const { exitCode, formatJson, formatText } = await import('../checks/format');
  const result = await runCheck({ root, dir: flags.dir, msSchemasDir: flags['ms-schemas'], ...options });
  process.stdout.write(flags.format === 'json' ? formatJson(result) : formatText(result));
  if (process.env.CHECK_TIMINGS) {
    const { lastTimings } = await import('../checks/run');
    process.stderr.write(`timings (ms): ${JSON.stringify({ ...lastTimings, process: Math.round(process.uptime() * 1000) })}\n`);
  }
  return exitCode(result, flags['fail-severity']);
}

if (require.main === module) runCommand(CHECK_CLI, ({ flags }) => runChecks(resolve(__dirname, '..'), flags));
