/**
 * `npm run build [-- <check options>]`: type-check, regenerate every artifact from the model, then run the
 * checks on the result in the same process (`--no-check` skips them). The generated files stay
 * written only when the checks pass: on failure the files are put back as they were, so a failed
 * build leaves the working tree untouched. The builders are pure; this is the thin writer.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { defineCommand, runCommand } from '../lib/cli';
import { CHECK_FLAGS, runChecks } from './check';

export const BUILD_CLI = defineCommand({
  command: 'npm run build --',
  summary:
    'Type-checks the TypeScript, regenerates apiDefinition.swagger.json, apiProperties.json and docs/ from the model in connector/, then runs ' +
    'the checks of npm run check on the result. The files stay written only when the checks pass; when they fail, ' +
    'the files are restored to what they were and the build exits 1.',
  // The check's flags but --dir: a build checks what it wrote, never another folder.
  flags: {
    format: CHECK_FLAGS.format,
    'fail-severity': CHECK_FLAGS['fail-severity'],
    'ms-schemas': CHECK_FLAGS['ms-schemas'],
    'no-check': { type: 'boolean', description: 'write the files without running the checks' },
  },
  examples: ['npm run build', 'npm run build -- --ms-schemas ../shared/reference/ms-schemas'],
});

const root = join(__dirname, '..');

export interface WriteRun {
  root: string;
  artifacts: ReadonlyArray<{ path: string; content: string }>;
  /** The checks on the written files; their exit code (null: skipped). */
  check: () => Promise<number | null>;
  log: (line: string) => void;
  error: (line: string) => void;
}

/**
 * Writes the artifacts that changed, runs the checks, and keeps the files only when they pass:
 * on failure every changed file is put back as it was (a new one removed). Says which it did.
 */
export async function writeChecked(run: WriteRun): Promise<number> {
  // What each changed file held before (null: it did not exist), to put back if the checks fail.
  const previous = new Map<string, string | null>();
  for (const artifact of run.artifacts) {
    const target = join(run.root, artifact.path);
    const before = existsSync(target) ? readFileSync(target, 'utf8') : null;
    if (before === artifact.content) continue;
    previous.set(artifact.path, before);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, artifact.content);
  }
  const changed = [...previous.keys()];
  const list = changed.length === 0 ? '' : `: ${changed.join(', ')}`;
  let code: number | null;
  try {
    code = await run.check();
  } catch (error) {
    code = 1;
    run.error(`build: the checks could not run: ${(error as Error).message}`);
  }
  if (code === null) {
    run.log(`build: wrote ${changed.length} changed file(s)${list} (checks skipped: --no-check)`);
    return 0;
  }
  if (code === 0) {
    run.log(`build: checks passed; wrote ${changed.length} changed file(s)${list}`);
    return 0;
  }
  for (const [path, before] of previous) {
    if (before === null) rmSync(join(run.root, path));
    else writeFileSync(join(run.root, path), before);
  }
  run.error(
    changed.length === 0
      ? 'build: checks failed; the generated files were already up to date, nothing was written'
      : `build: checks failed; restored ${changed.length} generated file(s) to what they were${list}. Fix the findings above and build again.`,
  );
  return code;
}

if (require.main === module) {
  runCommand(BUILD_CLI, async ({ flags }) => {
    // Type-check first (a misspelt field in the model fails here), after the arguments are read.
    const { spawnSync } = await import('node:child_process');
    const tsc = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '--noEmit', '-p', join(root, 'tsconfig.json')], { stdio: 'inherit' });
    if (tsc.status !== 0) {
      console.error('build: the TypeScript does not type-check (errors above); nothing was written');
      return 1;
    }
    const { installTsCache } = await import('./run-ts');
    installTsCache(root);
    const { projectArtifacts } = await import('../checks/artifacts');
    let artifacts: ReturnType<typeof projectArtifacts>;
    try {
      artifacts = projectArtifacts();
    } catch (error) {
      // A model the builders refuse (two operations on one route, a view field that does not exist...).
      console.error(`build: the model cannot be built: ${(error as Error).message}; nothing was written`);
      return 1;
    }
    return writeChecked({
      root,
      artifacts,
      check: async () => (flags['no-check'] ? null : runChecks(root, { ...flags, dir: [] }, { buildArtifacts: () => artifacts })),
      log: (line) => console.log(line),
      error: (line) => console.error(line),
    });
  });
}
