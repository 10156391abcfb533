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
import { buildArtifacts } from '../connector/generate/artifacts';
import { connector } from '../connector/model/connector';
import type { ConnectorModel } from '../connector/model/types';
import { buildPackage, PackageError } from '../connector/package/package';
import { SolutionError, zipSolution, type FlowSource } from '../connector/package/solution';
import { resolveTarget, TargetError } from '../connector/package/target';
import { WORKBOOKS, writeWorkbook } from '../sandbox/workflow/stand-ins/excel';

/** The full check of the project's own connector at `root`, as `npm run check` runs it. */
export type PackageCheck = (root: string) => Promise<CheckResult>;

/** `npm run check` without --ms-schemas: checks/run.ts, loaded only when packaging gets that far. */
export const checkOwnConnector: PackageCheck = async (root) => {
  const { runCheck } = await import('../checks/run');
  return runCheck({ root });
};

export interface PackageRun {
  root: string;
  argv: readonly string[];
  env: NodeJS.ProcessEnv;
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

function flag(argv: readonly string[], name: string): string | undefined {
  const index = argv.indexOf(name);
  if (index !== -1) {
    const value = argv[index + 1];
    if (value === undefined || value.startsWith('--')) throw new UsageError(`${name} needs a value.`);
    return value;
  }
  return argv.find((a) => a.startsWith(`${name}=`))?.slice(name.length + 1);
}

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
  const model = run.model ?? connector;
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
    // The flags are read and validated before the (slower) checks, so a usage mistake is reported at once.
    const target = {
      environment: flag(run.argv, '--environment') ?? run.env.PP_ENVIRONMENT,
      connectorId: flag(run.argv, '--connector-id') ?? run.env.PP_CONNECTOR_ID,
      pacConnectorId: flag(run.argv, '--pac-connector-id') ?? run.env.PP_PAC_CONNECTOR_ID,
    };
    resolveTarget(target);
    // npm run build writes the files even when its checks fail: package only a connector that passes them.
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
    // The empty workbooks flows/README.md tells a maker to create, ready to upload to OneDrive.
    for (const template of WORKBOOKS) {
      await writeWorkbook(join(outDir, 'flows', template.fileName), template, []);
      extra.push(`flows/${template.fileName}`);
    }
    return {
      ok: true,
      outDir,
      messages: [`wrote ${built.files.length + extra.length} files to ${relative(run.root, outDir) || outDir}/ (deploy/, certification/, solution/, flows/, COMMANDS.md)`],
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
  const root = join(__dirname, '..');
  // As scripts/check.ts does: the rule engine's modules load from the transpile cache.
  installTranspileCache(root);
  runPackage({ root, argv: process.argv.slice(2), env: process.env }).then(
    (result) => {
      for (const message of result.messages) (result.ok ? console.log : console.error)(`package: ${message}`);
      for (const warning of result.warnings) console.warn(`package: ${warning}`);
      process.exitCode = result.ok ? 0 : 1;
    },
    (error: unknown) => {
      console.error(`package failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
      process.exitCode = 2;
    },
  );
}
