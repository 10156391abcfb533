/**
 * `npm run check [-- --dir <folder> ...] [--format text|json] [--fail-severity error|warn] [--ms-schemas <dir>]`
 * Checks the project's own connector (or any connector folders, in one process) offline; see docs/rules.md.
 */
import { resolve } from 'node:path';
import type { CheckOptions } from '../checks/run';
import { defineCommand, runCommand, type FlagValues } from '../lib/cli';
import { installTsCache } from './run-ts';

/** The flags of `npm run check`; `npm run build` takes the same ones (scripts/build.ts). */
export const CHECK_FLAGS = {
  dir: {
    // A path, not a folder the parser must find: a folder that is missing or unreadable is that
    // folder's finding (exit 3), and the other folders of the run are still checked and reported.
    type: 'path',
    repeatable: true,
    valueName: '<folder>',
    description:
      "another connector folder (apiDefinition.swagger.json, apiProperties.json, optional script.csx) instead of the project's own; " +
      'fails on errors. Repeat it to check many folders in one process, each on its own: a line per folder (JSON: one object per line with "dir")',
  },
  format: { type: 'string', choices: ['text', 'json'], default: 'text', description: 'text ends with a per-rule summary; json for tools' },
  'fail-severity': {
    type: 'string',
    choices: ['error', 'warn'],
    description: "the lowest severity that fails the run (default: warn for the project's own connector, kept at 0 warnings; error for other folders)",
  },
  'ms-schemas': { type: 'folder', holds: 'apiDefinition.swagger.schema.json', description: "also validate against Microsoft's published JSON schemas in this folder" },
} as const;

export const CHECK_CLI = defineCommand({
  command: 'npm run check --',
  summary:
    "Checks a connector offline and writes nothing (docs/rules.md lists every rule, its severity and source). Without --dir, the project's " +
    'own connector: generated files fresh, swagger-parser, the rules, the compatibility guard against 1.0. ' +
    'Exit 0 when it passes, 1 when findings fail it, 2 on a usage mistake, 3 when a folder could not be checked at all ' +
    '(missing or unreadable folder or definition; with many --dir, the others are still checked and reported).',
  flags: CHECK_FLAGS,
  examples: ['npm run check', 'npm run check -- --dir ../shared/reference/certified-connector-1.0 --format json'],
});

export type CheckFlags = FlagValues<typeof CHECK_FLAGS>;

/** Runs the checks with the parsed flags and prints the report; returns the exit code. */
export async function runChecks(root: string, flags: CheckFlags, options: Pick<CheckOptions, 'buildArtifacts'> = {}): Promise<number> {
  // Installed before the engine's modules load, which is why they are imported here and not above
  // (a no-op when `npm run check` started through scripts/run-ts.js, which installed it already).
  installTsCache(root);
  const { runCheck, lastTimings } = await import('../checks/run');
  const { exitCode, exitCodeOfAll, formatFoldersJson, formatFoldersText, formatJson, formatText } = await import('../checks/format');
  const msSchemasDir = flags['ms-schemas'];
  const timings = (): void => {
    if (process.env.CHECK_TIMINGS) process.stderr.write(`timings (ms): ${JSON.stringify({ ...lastTimings, process: Math.round(process.uptime() * 1000) })}\n`);
  };

  if (flags.dir.length <= 1) {
    const dir = flags.dir[0];
    const result = await runCheck({ root, dir, msSchemasDir, ...options });
    const own = dir === undefined || dir === root;
    const failSeverity = flags['fail-severity'] ?? (own ? 'warn' : 'error');
    process.stdout.write(flags.format === 'json' ? formatJson(result) : formatText(result, failSeverity));
    timings();
    return exitCode(result, failSeverity);
  }

  // Many folders: one process, so module loading and the compiled validator are paid once. Each
  // folder is checked on its own: runCheck turns any failure into that folder's finding.
  const failSeverity = flags['fail-severity'] ?? 'error';
  const results = [];
  for (const dir of flags.dir) {
    const result = await runCheck({ root, dir, msSchemasDir });
    // The folder's absolute path: unambiguous whichever way it was given.
    results.push({ dir, result });
  }
  process.stdout.write(flags.format === 'json' ? formatFoldersJson(results) : formatFoldersText(results, failSeverity));
  timings();
  return exitCodeOfAll(results.map((r) => r.result), failSeverity);
}

if (require.main === module) runCommand(CHECK_CLI, ({ flags }) => runChecks(resolve(__dirname, '..'), flags));
