/**
 * `npm run package [-- --environment <GUID>] [--connector-id <id>] [--pac-connector-id <GUID>]`:
 * writes dist/<slug>/ with deploy/, certification/, COMMANDS.md, solution/ (the Power Automate
 * flows as an importable solution: <UniqueName>.zip and unpacked/) and flows/AnsweredCalls.xlsx
 * (the empty workbook the answered-call flows write to). The builders are pure; this is
 * the thin writer (it clears the folder first). It packages the generated files at the top level of
 * the working tree (not git HEAD) byte for byte, and refuses, before writing anything, when they
 * differ from the model or when the checks of `npm run check` (run in-process, without
 * --ms-schemas) report any error. PP_ENVIRONMENT, PP_CONNECTOR_ID and PP_PAC_CONNECTOR_ID stand in
 * for the flags.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import type { Finding } from '../lib/finding';
import type { CheckResult } from '../checks/format';
import { installTranspileCache } from '../checks/transpile-cache';
import type { ConnectorModel } from '../connector/model/types';
import type { FlowSource } from '../connector/package/solution';
import { defineCommand, runCommand, type FlagValues } from '../lib/cli';

export const PACKAGE_FLAGS = {
  environment: { type: 'guid', env: 'PP_ENVIRONMENT', description: 'the Power Platform environment to deploy to (admin center → Environments → Environment ID); placeholder when absent' },
  'connector-id': { type: 'string', env: 'PP_CONNECTOR_ID', valueName: '<id>', description: 'the connector id paconn create printed, for paconn update; placeholder when absent' },
  'pac-connector-id': { type: 'guid', env: 'PP_PAC_CONNECTOR_ID', description: "the connector's Dataverse GUID (pac connector list), for pac connector update" },
} as const;

export const PACKAGE_CLI = defineCommand({
  command: 'npm run package --',
  summary:
    'Writes dist/<slug>/: deploy/ (the files paconn and pac take, settings.json), certification/ (what Microsoft ' +
    'certification takes) and COMMANDS.md. Refuses, writing nothing, when the generated files differ from the model ' +
    'or the checks of npm run check report an error. Prints the environment and connector ids it wrote.',
  flags: PACKAGE_FLAGS,
  examples: ['npm run package -- --environment 2f1c0a3e-5b7d-4e9f-8a6b-0c1d2e3f4a5b --connector-id shared_zvanu-parvaldnieks-5f3a'],
});

/** The full check of the project's own connector at `root`, as `npm run check` runs it. */
export type PackageCheck = (root: string) => Promise<CheckResult>;

/** `npm run check` without --ms-schemas: checks/run.ts, loaded only when packaging gets that far. */
export const checkOwnConnector: PackageCheck = async (root) => {
  const { runCheck } = await import('../checks/run');
  return runCheck({ root });
};

export interface PackageRun {
  root: string;
  /** The parsed flags (`PP_*` variables already folded in by lib/cli). */
  flags: FlagValues<typeof PACKAGE_FLAGS>;
  /** Defaults to `<root>/dist/<slug>`. */
  outDir?: string;
  /** Defaults to the project's model; tests pass a changed one. */
  model?: ConnectorModel;
  /** Defaults to {@link checkOwnConnector}; tests inject a result or a lighter run. */
  check?: PackageCheck;
}

export interface PackageResult {
  ok: boolean;
  outDir: string;
  messages: string[];
  warnings: string[];
}

class UsageError extends Error {}

const location = (f: Finding): string => (f.pointer === '' ? f.file : `${f.file}#${f.pointer}`);

/** The refusal when the checks report errors: every error finding, then what to do. */
export function checkRefusal(errors: readonly Finding[]): string {
  const count = errors.length === 1 ? '1 error' : `${errors.length} errors`;
  return [
    `the checks of npm run check report ${count}; nothing was packaged:`,
    ...errors.map((f) => `  ${location(f)} ${f.rule}: ${f.message}`),
    'Fix them in the model (or script.csx), run npm run build until it passes, then package again.',
  ].join('\n');
}

export async function runPackage(run: PackageRun): Promise<PackageResult> {
  // Loaded here, not above, so that `--help` and usage errors answer without loading the model.
  const { buildArtifacts } = await import('../connector/generate/artifacts');
  const { buildPackage, PackageError } = await import('../connector/package/package');
  const { resolveTarget, TargetError } = await import('../connector/package/target');
  const { SolutionError, zipSolution } = await import('../connector/package/solution');
  const { ANSWERED_CALLS_WORKBOOK, writeWorkbook } = await import('../sandbox/workflow/stand-ins/excel');
  const model = run.model ?? (await import('../connector/model/connector')).connector;
  const outDir = run.outDir ?? join(run.root, 'dist', model.brand.slug);
  const failed = (message: string): PackageResult => ({ ok: false, outDir, messages: [message], warnings: [] });
  const read = (file: string, hint: string): string => {
    const path = join(run.root, file);
    if (!existsSync(path)) throw new UsageError(`${file} is missing. ${hint}`);
    return readFileSync(path, 'utf8');
  };
  try {
    const definition = read('apiDefinition.swagger.json', 'Run npm run build.');
    const properties = read('apiProperties.json', 'Run npm run build.');
    const script = read('script.csx', 'The custom code is part of the connector; restore script.csx from git.');
    // The package must hold exactly the generated files at the top level, and they must be what the model yields.
    const onDisk: Record<string, string> = { 'apiDefinition.swagger.json': definition, 'apiProperties.json': properties };
    const stale = buildArtifacts(model)
      .filter((a) => a.path in onDisk && onDisk[a.path] !== a.content)
      .map((a) => a.path);
    if (stale.length > 0) {
      const which = stale.length === 1 ? `${stale[0]} at the top level differs` : `${stale.join(' and ')} at the top level differ`;
      return failed(`${which} from the model; run npm run build, then package.`);
    }
    // The target is validated before the (slower) checks, so a mistake is reported at once.
    const target = { environment: run.flags.environment, connectorId: run.flags['connector-id'], pacConnectorId: run.flags['pac-connector-id'] };
    const resolved = resolveTarget(target);
    // The files at the top level may have been edited by hand since the build: package only a connector that passes the checks.
    const checked = await (run.check ?? checkOwnConnector)(run.root);
    const errors = checked.findings.filter((f) => f.severity === 'error');
    if (errors.length > 0) return failed(checkRefusal(errors));
    const checkWarnings = checked.findings.length - errors.length;

    const flowsDir = join(run.root, 'flows', 'power-automate');
    const flows: FlowSource[] = existsSync(flowsDir)
      ? readdirSync(flowsDir).filter((f) => f.endsWith('.json')).sort().map((file) => ({ file, text: readFileSync(join(flowsDir, file), 'utf8') }))
      : [];
    const built = buildPackage({ model, definition, properties, script, ...target, flows });
    rmSync(outDir, { recursive: true, force: true });
    for (const file of built.files) {
      const written = join(outDir, file.path);
      mkdirSync(dirname(written), { recursive: true });
      writeFileSync(written, file.content);
    }
    const extra: string[] = [];
    if (built.solution) {
      writeFileSync(join(outDir, 'solution', `${built.solution.uniqueName}.zip`), await zipSolution(built.solution));
      extra.push(`solution/${built.solution.uniqueName}.zip`);
    }
    // The empty workbook flows/README.md tells a maker to create, ready to upload to OneDrive.
    await writeWorkbook(join(outDir, 'flows', ANSWERED_CALLS_WORKBOOK.fileName), ANSWERED_CALLS_WORKBOOK, []);
    extra.push(`flows/${ANSWERED_CALLS_WORKBOOK.fileName}`);
    return {
      ok: true,
      outDir,
      messages: [
        `wrote ${built.files.length + extra.length} files to ${relative(run.root, outDir) || outDir}/ (deploy/, certification/, solution/, flows/, COMMANDS.md)`,
        `environment ${resolved.environment ?? '(none given: paconn asks for it, pac uses its auth profile)'}, connector id ${resolved.connectorId}, ` +
          `pac connector id ${resolved.pacConnectorId} (in deploy/settings.json and COMMANDS.md)`,
      ],
      warnings: [
        ...(checkWarnings > 0 ? [`the checks report ${checkWarnings} warning${checkWarnings === 1 ? '' : 's'} (not blocking); npm run check lists them.`] : []),
        ...built.placeholders.map((note) => `PLACEHOLDER ${note}`),
      ],
    };
  } catch (error) {
    if (error instanceof UsageError || error instanceof PackageError || error instanceof TargetError || error instanceof SolutionError) return failed(error.message);
    throw error;
  }
}

if (require.main === module) {
  runCommand(PACKAGE_CLI, async ({ flags }) => {
    const root = join(__dirname, '..');
    // As scripts/check.ts does: the rule engine's modules load from the transpile cache.
    installTranspileCache(root);
    const result = await runPackage({ root, flags });
    for (const message of result.messages) (result.ok ? console.log : console.error)(`package: ${message}`);
    for (const warning of result.warnings) console.warn(`package: ${warning}`);
    return result.ok ? 0 : 1;
  });
}
