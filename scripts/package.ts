/**
 * `npm run package [-- --brand <slug>] [--environment <GUID>] [--connector-id <id>] [--pac-connector-id <GUID>]`:
 * writes dist/<slug>/ for each brand (every brand unless --brand names one) with deploy/,
 * certification/, COMMANDS.md, solution/ (the Power Automate flows rebranded to that brand as an
 * importable solution: <UniqueName>.zip and unpacked/) and flows/AnsweredCalls.xlsx (the empty
 * workbook the answered-call flows write to). The builders are pure; this is the thin writer (it
 * clears each folder first). It packages each brand's generated files in the working tree (not git
 * HEAD: the top level for the primary brand, brands/<slug>/ for the others) byte for byte, and
 * refuses, before writing anything, when they differ from the model or when the checks of `npm run
 * check` (run in-process, without --ms-schemas) report any error. PP_ENVIRONMENT, PP_CONNECTOR_ID
 * and PP_PAC_CONNECTOR_ID stand in for the flags; a connector id names one connector, so it needs
 * --brand when there are several.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import type { Finding } from '../lib/finding';
import type { CheckResult } from '../checks/format';
import { installTranspileCache } from '../checks/transpile-cache';
import { type BrandLayout, brandLayout, brandPath, brands, findBrand, primaryBrand } from '../connector/brand';
import { buildArtifacts } from '../connector/generate/artifacts';
import { connector, connectorFor } from '../connector/model/connector';
import type { BrandProfile, ConnectorModel } from '../connector/model/types';
import { buildPackage, PackageError } from '../connector/package/package';
import { SolutionError, zipSolution, type FlowSource } from '../connector/package/solution';
import { resolveTarget, TargetError } from '../connector/package/target';
import { ANSWERED_CALLS_WORKBOOK, writeWorkbook } from '../sandbox/workflow/stand-ins/excel';

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
  /**
   * Packages one brand (`--brand`'s, else the model's) into this folder instead of every brand into
   * `<root>/dist/<slug>`.
   */
  outDir?: string;
  /** Where `<slug>/` folders go; defaults to `<root>/dist`. */
  distDir?: string;
  /** Replaces the primary brand's model (tests pass a changed one); packages that brand alone unless --brand says otherwise. */
  model?: ConnectorModel;
  /** Defaults to {@link checkOwnConnector}; tests inject a result or a lighter run. */
  check?: PackageCheck;
}

export interface PackageResult {
  ok: boolean;
  /** The package folder of the first brand (of the only one, usually). */
  outDir: string;
  /** Every package folder written (or that would have been). */
  outDirs: string[];
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

/** The brands to package: `--brand`'s, the given model's, or every brand. */
function selectBrands(run: PackageRun): BrandProfile[] {
  const named = flag(run.argv, '--brand');
  if (named !== undefined) {
    try {
      return [findBrand(named)];
    } catch (error) {
      throw new UsageError(`${(error as Error).message}.`);
    }
  }
  if (run.model !== undefined || run.outDir !== undefined) return [primaryBrand];
  return [...brands];
}

interface BrandInput {
  layout: BrandLayout;
  model: ConnectorModel;
  outDir: string;
  definition: string;
  properties: string;
  script: string;
}

export async function runPackage(run: PackageRun): Promise<PackageResult> {
  let outDirs: string[] = [];
  const failed = (message: string): PackageResult => ({ ok: false, outDir: outDirs[0] ?? run.outDir ?? join(run.root, 'dist'), outDirs, messages: [message], warnings: [] });
  try {
    const selected = selectBrands(run);
    outDirs = selected.map((brand) => run.outDir ?? join(run.distDir ?? join(run.root, 'dist'), brand.slug));
    const expected = new Map(buildArtifacts(run.model ?? connector).map((a) => [a.path, a.content]));
    const inputs: BrandInput[] = [];
    for (const [index, brand] of selected.entries()) {
      const layout = brandLayout(brand);
      const model = brand.slug === primaryBrand.slug ? (run.model ?? connector) : connectorFor(brand);
      const where = layout.dir === '' ? 'at the top level' : `in ${layout.dir}/`;
      const read = (file: string, hint: string): string => {
        const path = join(run.root, brandPath(layout, file));
        if (!existsSync(path)) throw new UsageError(`${brandPath(layout, file)} is missing. ${hint}`);
        return readFileSync(path, 'utf8');
      };
      const definition = read('apiDefinition.swagger.json', 'Run npm run build.');
      const properties = read('apiProperties.json', 'Run npm run build.');
      const script = read('script.csx', layout.dir === '' ? 'The custom code is part of the connector; restore script.csx from git.' : 'Run npm run build.');
      // The package must hold exactly the generated files, and they must be what the model yields.
      const onDisk: Record<string, string> = { 'apiDefinition.swagger.json': definition, 'apiProperties.json': properties };
      const stale = Object.keys(onDisk).filter((file) => expected.get(brandPath(layout, file)) !== onDisk[file]);
      if (stale.length > 0) {
        const which = stale.length === 1 ? `${stale[0]} ${where} differs` : `${stale.join(' and ')} ${where} differ`;
        return failed(`${which} from the model; run npm run build, then package.`);
      }
      inputs.push({ layout, model, outDir: outDirs[index], definition, properties, script });
    }
    // The flags are read and validated before the (slower) checks, so a usage mistake is reported at once.
    const target = {
      environment: flag(run.argv, '--environment') ?? run.env.PP_ENVIRONMENT,
      connectorId: flag(run.argv, '--connector-id') ?? run.env.PP_CONNECTOR_ID,
      pacConnectorId: flag(run.argv, '--pac-connector-id') ?? run.env.PP_PAC_CONNECTOR_ID,
    };
    if (selected.length > 1 && (target.connectorId || target.pacConnectorId)) {
      throw new UsageError(
        `a connector id names one connector, but ${selected.length} brands would be packaged; add --brand <slug> (one of ${selected.map((b) => b.slug).join(', ')}).`,
      );
    }
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
    const built = inputs.map((input) => ({ input, pkg: buildPackage({ model: input.model, definition: input.definition, properties: input.properties, script: input.script, ...target, flows }) }));
    const messages: string[] = [];
    for (const { input, pkg } of built) {
      const outDir = input.outDir;
      rmSync(outDir, { recursive: true, force: true });
      for (const file of pkg.files) {
        const written = join(outDir, file.path);
        mkdirSync(dirname(written), { recursive: true });
        writeFileSync(written, file.content);
      }
      const extra: string[] = [];
      if (pkg.solution) {
        writeFileSync(join(outDir, 'solution', `${pkg.solution.uniqueName}.zip`), await zipSolution(pkg.solution));
        extra.push(`solution/${pkg.solution.uniqueName}.zip`);
      }
      // The empty workbook flows/README.md tells a maker to create, ready to upload to OneDrive.
      await writeWorkbook(join(outDir, 'flows', ANSWERED_CALLS_WORKBOOK.fileName), ANSWERED_CALLS_WORKBOOK, []);
      extra.push(`flows/${ANSWERED_CALLS_WORKBOOK.fileName}`);
      const brandNote = selected.length > 1 ? ` for ${input.layout.brand.title}` : '';
      messages.push(`wrote ${pkg.files.length + extra.length} files${brandNote} to ${relative(run.root, outDir) || outDir}/ (deploy/, certification/, solution/, flows/, COMMANDS.md)`);
    }
    return {
      ok: true,
      outDir: outDirs[0],
      outDirs,
      messages,
      warnings: [
        ...(checkWarnings > 0 ? [`the checks report ${checkWarnings} warning${checkWarnings === 1 ? '' : 's'} (not blocking); npm run check lists them.`] : []),
        // The placeholders come from the one target, so they are the same for every brand.
        ...built[0].pkg.placeholders.map((note) => `PLACEHOLDER ${note}`),
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
