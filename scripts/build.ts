/**
 * `npm run build [-- <check options>]`: regenerate every artifact from the model, then run the
 * checks on the result in the same process (`--no-check` skips them). The builders are pure; this
 * is the thin writer.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { installTranspileCache } from '../checks/transpile-cache';
import { USAGE, parseArgs } from './check';

const root = join(__dirname, '..');

async function main(): Promise<number> {
  const argv = process.argv.slice(2).filter((arg) => arg !== '--no-check');
  const skipChecks = argv.length !== process.argv.length - 2;
  let args: ReturnType<typeof parseArgs>;
  try {
    args = parseArgs(argv);
  } catch (error) {
    console.error(`build: ${(error as Error).message}`);
    return 2;
  }
  if (args.help) {
    process.stdout.write(`usage: npm run build [-- --no-check] [check options]\nRegenerates every artifact from the model, then runs the checks. Check options:\n${USAGE}\n`);
    return 0;
  }
  if (args.dirs.length > 1) {
    console.error('build: checks one folder; use `npm run check -- --dir a --dir b` for many');
    return 2;
  }
  installTranspileCache(root);
  const { buildArtifacts } = await import('../connector/generate/artifacts');
  let artifacts: ReturnType<typeof buildArtifacts>;
  try {
    artifacts = buildArtifacts();
  } catch (error) {
    // A model the builders refuse (two operations on one route, a view field that does not exist...).
    console.error(`build: the model cannot be built: ${(error as Error).message}`);
    return 1;
  }
  let written = 0;
  for (const artifact of artifacts) {
    const target = join(root, artifact.path);
    if (existsSync(target) && readFileSync(target, 'utf8') === artifact.content) continue;
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, artifact.content);
    written++;
    console.log(`wrote ${artifact.path}`);
  }
  console.log(`build: ${written} file(s) changed`);
  if (skipChecks) return 0;
  const { runCheck } = await import('../checks/run');
  const { exitCode, formatJson, formatText } = await import('../checks/format');
  const result = await runCheck({
    root,
    buildArtifacts: () => artifacts,
    msSchemasDir: args.msSchemas === undefined ? undefined : resolve(process.cwd(), args.msSchemas),
    dir: args.dirs[0] === undefined ? undefined : resolve(process.cwd(), args.dirs[0]),
  });
  process.stdout.write(args.format === 'json' ? formatJson(result) : formatText(result));
  // As `npm run check`: the project's own connector is kept at 0 warnings too.
  return exitCode(result, args.failSeverity ?? (args.dirs[0] === undefined ? 'warn' : 'error'));
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(`build failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exitCode = 2;
  },
);
