/**
 * `npm run package [-- --brand <slug>] [--environment <GUID>] [--connector-id <id>] [--pac-connector-id <GUID>]`:
 * writes dist/<slug>/ for each brand (every brand unless --brand names one) with deploy/,
 * certification/, certification-package/ (the package submitted in Partner Center: <Name>.zip and
 * unpacked/), COMMANDS.md, solution/ (the Power Automate flows rebranded to that brand as an
 * importable solution: <UniqueName>.zip and unpacked/) and flows/*.xlsx (the empty workbooks the
 * flows write to: AnsweredCalls, WeeklyCalls, MissedCalls). The builders are pure; this is the thin writer (it
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
import { installTsCache } from './run-ts';
import { type BrandLayout, brandLayout, brandPath, brands, findBrand, primaryBrand } from '../connector/brand';
import { brandOrEveryFlag } from './brand-flag';
import type { BrandProfile, ConnectorModel } from '../connector/model/types';
import type { FlowSource } from '../connector/package/solution';
import { defineCommand, runCommand, type FlagValues } from '../lib/cli';

export const PACKAGE_FLAGS = {
  brand: brandOrEveryFlag('package this brand only (default: every brand, each into dist/<slug>/)'),
  environment: { type: 'guid', env: 'PP_ENVIRONMENT', description: 'the Power Platform environment to deploy to (admin center → Environments → Environment ID); when absent, settings.json leaves it out and paconn asks' },
  'connector-id': { type: 'string', env: 'PP_CONNECTOR_ID', valueName: '<id>', description: 'the connector id paconn create printed, for paconn update; when absent, settings.json leaves it out and paconn update asks' },
  'pac-connector-id': { type: 'guid', env: 'PP_PAC_CONNECTOR_ID', description: "the connector's Dataverse GUID (pac connector list), for pac connector update" },
} as const;

export const PACKAGE_CLI = defineCommand({
  command: 'npm run package --',
  summary:
    'Writes dist/<slug>/ for every brand (or the one --brand names): deploy/ (the files paconn and pac take, ' +
    'settings.json), certification/ (the pull request\'s folder for the brand\'s certification folder), ' +
    'certification-package/ (the package the publisher submits in Partner Center), solution/, flows/ and COMMANDS.md. Refuses, writing nothing, when the generated files differ from the model ' +
    'or the checks of npm run check report an error. Prints the environment and connector ids it wrote.',
  flags: PACKAGE_FLAGS,
  examples: [
    'npm run package',
    'npm run package -- --brand zvanu-parvaldnieks --environment 2f1c0a3e-5b7d-4e9f-8a6b-0c1d2e3f4a5b --connector-id shared_zvanu-parvaldnieks-5f3a',
  ],
  notes: ['A connector id names one connector: --connector-id and --pac-connector-id (or their variables) need --brand.'],
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
  /**
   * Packages one brand (`--brand`'s, else the primary) into this folder instead of every brand into
   * `<distDir>/<slug>`.
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

/** The brands to package: `--brand`'s, the primary one when a model or folder is given (tests), or every brand. */
function selectBrands(run: PackageRun): BrandProfile[] {
  if (run.flags.brand !== undefined) return [findBrand(run.flags.brand)];
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
  // Loaded here, not above, so that `--help` and usage errors answer without loading the model.
  const { buildArtifacts } = await import('../connector/generate/artifacts');
  const { buildPackage, PackageError } = await import('../connector/package/package');
  const { resolveTarget, TargetError, CONNECTOR_ID_PLACEHOLDER, PAC_CONNECTOR_ID_PLACEHOLDER } = await import('../connector/package/target');
  const { SolutionError, zipSolution } = await import('../connector/package/solution');
  const { buildCertificationPackage } = await import('../connector/package/certification-package');
  const { WORKBOOKS, writeWorkbook } = await import('../sandbox/workflow/stand-ins/excel');
  const { connector, connectorFor } = await import('../connector/model/connector');
  const selected = selectBrands(run);
  const outDirs = selected.map((brand) => run.outDir ?? join(run.distDir ?? join(run.root, 'dist'), brand.slug));
  const failed = (message: string): PackageResult => ({ ok: false, outDir: outDirs[0], outDirs, messages: [message], warnings: [] });
  try {
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
    // The target is validated before the (slower) checks, so a mistake is reported at once.
    const target = { environment: run.flags.environment, connectorId: run.flags['connector-id'], pacConnectorId: run.flags['pac-connector-id'] };
    if (selected.length > 1 && (target.connectorId || target.pacConnectorId)) {
      throw new UsageError(
        `a connector id names one connector, but ${selected.length} brands would be packaged; add --brand <slug> (one of ${selected.map((b) => b.slug).join(', ')}).`,
      );
    }
    const resolved = resolveTarget(target);
    // The files may have been edited by hand since the build: package only a connector that passes the checks.
    const checked = await (run.check ?? checkOwnConnector)(run.root);
    const errors = checked.findings.filter((f) => f.severity === 'error');
    if (errors.length > 0) return failed(checkRefusal(errors));
    const checkWarnings = checked.findings.length - errors.length;

    const flowsDir = join(run.root, 'flows', 'power-automate');
    const flows: FlowSource[] = existsSync(flowsDir)
      ? readdirSync(flowsDir).filter((f) => f.endsWith('.json')).sort().map((file) => ({ file, text: readFileSync(join(flowsDir, file), 'utf8') }))
      : [];
    // Every brand is built before anything is written: one brand's refusal leaves every folder as it was.
    const built = [];
    for (const input of inputs) {
      const pkg = buildPackage({ model: input.model, definition: input.definition, properties: input.properties, script: input.script, ...target, flows });
      // Its flow solution needs flows: a project without any gets no certification package (and a warning).
      const certification = flows.length === 0 ? undefined : await buildCertificationPackage({ model: input.model, definition: input.definition, properties: input.properties, script: input.script, icon: pkg.icon, flows });
      built.push({ input, pkg, certification });
    }
    const messages: string[] = [];
    for (const { input, pkg, certification } of built) {
      const outDir = input.outDir;
      rmSync(outDir, { recursive: true, force: true });
      const write = (path: string, content: string | Buffer): void => {
        const written = join(outDir, path);
        mkdirSync(dirname(written), { recursive: true });
        writeFileSync(written, content);
      };
      for (const file of pkg.files) write(file.path, file.content);
      const extra: string[] = [];
      // The package submitted in Partner Center, and its content unpacked beside it for review.
      if (certification) {
        const submitted = `certification-package/${certification.names.zip}`;
        write(submitted, certification.zip);
        extra.push(submitted);
        for (const file of certification.files) {
          write(`certification-package/unpacked/${file.path}`, file.content);
          extra.push(file.path);
        }
      }
      if (pkg.solution) {
        writeFileSync(join(outDir, 'solution', `${pkg.solution.uniqueName}.zip`), await zipSolution(pkg.solution));
        extra.push(`solution/${pkg.solution.uniqueName}.zip`);
      }
      // The empty workbooks flows/README.md tells a maker to create, ready to upload to OneDrive.
      for (const template of WORKBOOKS) {
        await writeWorkbook(join(outDir, 'flows', template.fileName), template, []);
        extra.push(`flows/${template.fileName}`);
      }
      const brandNote = selected.length > 1 ? ` for ${input.layout.brand.title}` : '';
      messages.push(`wrote ${pkg.files.length + extra.length} files${brandNote} to ${relative(run.root, outDir) || outDir}/ (deploy/, certification/, certification-package/, solution/, flows/, COMMANDS.md)`);
    }
    // Only what was given is in settings.json; a placeholder is only in COMMANDS.md's update lines.
    const connectorIdGiven = resolved.connectorId !== CONNECTOR_ID_PLACEHOLDER;
    messages.push(
      `environment ${resolved.environment ?? '(none given: paconn asks for it, pac uses its auth profile)'}, ` +
        `connector id ${connectorIdGiven ? resolved.connectorId : `(none given: left out of settings.json, paconn update asks for it; COMMANDS.md says ${CONNECTOR_ID_PLACEHOLDER})`}, ` +
        `pac connector id ${resolved.pacConnectorId === PAC_CONNECTOR_ID_PLACEHOLDER ? `(none given: COMMANDS.md says ${PAC_CONNECTOR_ID_PLACEHOLDER})` : resolved.pacConnectorId} ` +
        `(in ${[resolved.environment !== undefined || connectorIdGiven ? 'deploy/settings.json' : '', 'COMMANDS.md'].filter(Boolean).join(' and ')})`,
    );
    return {
      ok: true,
      outDir: outDirs[0],
      outDirs,
      messages,
      warnings: [
        ...(checkWarnings > 0 ? [`the checks report ${checkWarnings} warning${checkWarnings === 1 ? '' : 's'} (not blocking); npm run check lists them.`] : []),
        ...(flows.length === 0 ? ['flows/power-automate/ holds no flow: certification-package/ was not written (its flow solution needs at least one flow).'] : []),
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
  runCommand(PACKAGE_CLI, async ({ flags }) => {
    const root = join(__dirname, '..');
    // As scripts/check.ts does: the rule engine's modules load from the transpile cache.
    installTsCache(root);
    const result = await runPackage({ root, flags });
    for (const message of result.messages) (result.ok ? console.log : console.error)(`package: ${message}`);
    for (const warning of result.warnings) console.warn(`package: ${warning}`);
    return result.ok ? 0 : 1;
  });
}
