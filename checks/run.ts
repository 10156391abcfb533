/**
 * One pass of `npm run check`: read the connector folder, then freshness of the generated files
 * (own connector only), Swagger 2.0 validation, the rules, the compatibility guard (own connector
 * only), Microsoft's JSON schemas (when a folder is given), and accepted warnings. The project's own
 * connector is every brand (connector/brand/): each brand's folder gets every step, its compatibility
 * guarded against its own baseline, its findings named from the root (`brands/<slug>/…`). Every step
 * reports findings and whether it ran (`steps`, for the summary line); nothing here decides the exit code.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { ACCEPTED_FILE, applyAcceptances, loadAcceptances } from './accepted';
import { type ConnectorFiles, DEFINITION_FILE, PROPERTIES_FILE, SCRIPT_FILE } from './connector';
import type { Finding } from '../lib/finding';
import type { CheckResult, CheckStep } from './format';

export const FRESHNESS_RULE = 'generated-file-fresh';
export const READ_RULE = 'file-readable';
export const ENCODING_RULE = 'file-encoding';
export const SETUP_RULE = 'check-setup';

export interface Artifact {
  path: string;
  content: string;
}

/** The compatibility guard's interface (connector/compat/guard.ts). */
export interface CompatGuard {
  /** Version of the published surface, e.g. `1.0`, for the summary line. */
  BASELINE_VERSION?: string;
  /** The baseline in `file`, or the guard's default (the primary brand's). */
  loadBaseline(file?: string): unknown;
  checkCompatibility(baseline: unknown, definition: object): Finding[];
}

export interface CheckOptions {
  /** Project root (holds the project's own connector at the top level). */
  root: string;
  /** Connector folder to check instead of the project's own. */
  dir?: string;
  /** Folder with Microsoft's schemas; validation runs only when given. */
  msSchemasDir?: string;
  /** Overrides for tests; by default loaded from checks/artifacts.ts and connector/compat/guard.ts. */
  buildArtifacts?: () => Artifact[];
  compat?: CompatGuard;
  /** The brands of the own connector; by default from connector/brand/index.ts (the top level alone without it). */
  brands?: BrandTarget[];
  /** Where compiled validators are cached; defaults to `<root>/.cache`. */
  cacheDir?: string;
}

export interface LoadedFolder {
  files: ConnectorFiles | undefined;
  findings: Finding[];
}

const BOM = '\uFEFF';

/** Line and column (1-based) of an offset in a text. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}

/**
 * Why JSON.parse refused a text, with the line and column of the offending character; names a
 * character JSON does not allow as whitespace (ZohoSign's U+2003 EM SPACE looks like a space).
 */
export function describeJsonError(text: string, error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const position = /at position (\d+)/.exec(message);
  const odd = text.search(/[\u00a0\u1680\u2000-\u200b\u2028\u2029\u202f\u205f\u3000\ufeff]/);
  let offset = position ? Number(position[1]) : odd >= 0 ? odd : undefined;
  if (offset === undefined) {
    // "Unexpected end of JSON input": the text stops early.
    if (/end of JSON/i.test(message)) offset = text.length;
    else return message.split('\n')[0];
  }
  const { line, column } = lineColumn(text, offset);
  const ch = text.codePointAt(offset);
  const what = ch !== undefined && offset === odd
    ? `character U+${ch.toString(16).toUpperCase().padStart(4, '0')} is not JSON whitespace (retype it as a plain space)`
    : message.replace(/\s*in JSON at position \d+.*$/s, '').split('\n')[0];
  return `line ${line}, column ${column}: ${what}`;
}

/**
 * How a missing file is reported: without the definition there is nothing to import (error); without
 * apiProperties.json the definition still imports, its connection built from securityDefinitions, and
 * certified connectors ship that way (Truth Enforcer, the digisign family): a warning.
 */
const MISSING: Record<string, { severity: Finding['severity']; why: string }> = {
  [DEFINITION_FILE]: { severity: 'error', why: 'there is nothing to import' },
  [PROPERTIES_FILE]: { severity: 'warn', why: 'the definition imports alone, but the brand colour, connection parameters, policies and scriptOperations it would declare are lost' },
};

function readJson(dir: string, file: string, findings: Finding[]): { value?: unknown; bytes?: number } {
  const path = join(dir, file);
  if (!existsSync(path)) {
    const missing = MISSING[file];
    findings.push({ file, pointer: '', rule: READ_RULE, severity: missing.severity, message: `${file} is missing in ${dir}: ${missing.why}.` });
    return {};
  }
  let text = readFileSync(path, 'utf8');
  if (text.startsWith(BOM)) {
    // Four certified connectors start with a byte order mark; JSON.parse refuses it, the platform does not.
    text = text.slice(1);
    findings.push({ file, pointer: '', rule: ENCODING_RULE, severity: 'warn', message: `${file} starts with a UTF-8 byte order mark; it was ignored for the check. Save the file as UTF-8 without BOM.` });
  }
  try {
    return { value: JSON.parse(text), bytes: Buffer.byteLength(text) };
  } catch (error) {
    findings.push({ file, pointer: '', rule: READ_RULE, severity: 'error', message: `${file} is not valid JSON at ${describeJsonError(text, error)}.` });
    return {};
  }
}

/** Reads apiDefinition.swagger.json, apiProperties.json and the optional script.csx of a folder. */
export function loadConnectorFolder(dir: string): LoadedFolder {
  const findings: Finding[] = [];
  const definition = readJson(dir, DEFINITION_FILE, findings);
  const properties = readJson(dir, PROPERTIES_FILE, findings);
  const scriptPath = join(dir, SCRIPT_FILE);
  const scriptText = existsSync(scriptPath) ? readFileSync(scriptPath, 'utf8') : undefined;
  // A BOM is normal in C# files; the compiler ignores it and so do the script rules.
  const script = scriptText?.startsWith(BOM) ? scriptText.slice(1) : scriptText;
  if (definition.value === undefined) return { files: undefined, findings };
  return {
    files: { definition: definition.value, definitionBytes: definition.bytes, properties: properties.value, script },
    findings,
  };
}

/** Each generated file exists and equals what the build would write, byte for byte. */
export function checkFreshness(root: string, artifacts: Artifact[]): Finding[] {
  const findings: Finding[] = [];
  for (const artifact of artifacts) {
    const path = join(root, artifact.path);
    if (!existsSync(path)) {
      findings.push({ file: artifact.path, pointer: '', rule: FRESHNESS_RULE, severity: 'error', message: `${artifact.path} is missing; run \`npm run build\`.` });
    } else if (readFileSync(path, 'utf8') !== artifact.content) {
      findings.push({ file: artifact.path, pointer: '', rule: FRESHNESS_RULE, severity: 'error', message: `${artifact.path} differs from what the build generates; run \`npm run build\` and commit the result.` });
    }
  }
  return findings;
}

function setupFinding(what: string, error: unknown): Finding {
  return { file: '', pointer: '', rule: SETUP_RULE, severity: 'error', message: `${what} could not be loaded: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}` };
}

/** Loads a project module by path at run time, so a missing integration is a finding, not a crash. */
function loadModule<T>(path: string): T {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(path) as T;
}

/** Phase durations (ms) of the last run, for `CHECK_TIMINGS=1` and the benchmark. */
export const lastTimings: Record<string, number> = {};

function timed<T>(phase: string, fn: () => T): T {
  const start = performance.now();
  try {
    return fn();
  } finally {
    lastTimings[phase] = (lastTimings[phase] ?? 0) + Math.round(performance.now() - start); // summed over brands
  }
}

async function timedAsync<T>(phase: string, fn: () => Promise<T>): Promise<T> {
  const start = performance.now();
  try {
    return await fn();
  } finally {
    lastTimings[phase] = (lastTimings[phase] ?? 0) + Math.round(performance.now() - start); // summed over brands
  }
}

const OWN_ONLY = 'own connector only';
const SEE_SETUP = `see ${SETUP_RULE}`;
const MS_SCHEMAS = 'Microsoft schemas';

/** One brand of the project's own connector: its folder and the published surface it is guarded against. */
export interface BrandTarget {
  /** Shown before the step labels of every brand but the first (top-level) one. */
  title: string;
  /** Folder relative to the root: `''` for the top level, `brands/<slug>` otherwise. */
  dir: string;
  /** Baseline file relative to the root; the guard's default when absent. */
  baselineFile?: string;
}

/** The project's brands (connector/brand/index.ts), or the top level alone in a project without brands. */
function ownBrands(root: string): BrandTarget[] {
  if (!existsSync(join(root, 'connector/brand/index.ts'))) return [{ title: '', dir: '' }];
  const { brandLayouts } = loadModule<{ brandLayouts(): Array<{ brand: { title: string }; dir: string; baselineFile: string }> }>(join(root, 'connector/brand'));
  return brandLayouts().map((l) => ({ title: l.brand.title, dir: l.dir, baselineFile: l.baselineFile }));
}

export async function runCheck(options: CheckOptions): Promise<CheckResult> {
  for (const key of Object.keys(lastTimings)) delete lastTimings[key];
  const root = resolve(options.root);
  const dir = resolve(options.dir ?? root);
  const own = dir === root;
  const findings: Finding[] = [];
  const steps: CheckStep[] = [];
  const step = (id: string, label: string, status: CheckStep['status'], reason?: string): void => {
    steps.push(reason === undefined ? { step: id, label, status } : { step: id, label, status, reason });
  };

  if (own) {
    try {
      const build = timed('load build', () => options.buildArtifacts ?? loadModule<{ projectArtifacts(): Artifact[] }>(join(root, 'checks/artifacts')).projectArtifacts);
      findings.push(...timed('freshness', () => checkFreshness(root, build())));
      step('freshness', 'freshness', 'ran');
    } catch (error) {
      findings.push(setupFinding('checks/artifacts.ts (freshness)', error));
      step('freshness', 'freshness', 'failed', SEE_SETUP);
    }
  } else {
    step('freshness', 'freshness', 'skipped', OWN_ONLY);
  }

  let targets: BrandTarget[];
  if (!own) targets = [{ title: '', dir: relative(root, dir) }];
  else {
    try {
      targets = options.brands ?? ownBrands(root);
    } catch (error) {
      findings.push(setupFinding('connector/brand/index.ts (the brands)', error));
      targets = [{ title: '', dir: '' }];
    }
  }
  for (const target of targets) {
    // Every brand's folder is checked like the top level; its findings name the file from the root.
    const prefix = !own || target.dir === '' ? '' : `${target.dir}/`;
    const brandStep = (id: string, label: string, status: CheckStep['status'], reason?: string): void =>
      step(id, prefix === '' ? label : `${target.title}: ${label}`, status, reason);
    const before = findings.length;
    await checkFolder(options, root, own ? join(root, target.dir) : dir, own, target, findings, brandStep);
    if (prefix !== '') for (let i = before; i < findings.length; i++) findings[i] = { ...findings[i], file: prefix + findings[i].file };
  }

  if (!own) return { findings, accepted: [], steps };
  // Accepted warnings are the project's decisions about its own connector only.
  const acceptances = loadAcceptances(join(root, ACCEPTED_FILE));
  const { open, accepted } = applyAcceptances(findings, acceptances.entries);
  return { findings: [...open, ...acceptances.findings], accepted, steps };
}

type StepFn = (id: string, label: string, status: CheckStep['status'], reason?: string) => void;

/** Reading, Swagger validation, the rules, the compatibility guard (own connector) and Microsoft's schemas for one folder. */
async function checkFolder(options: CheckOptions, root: string, dir: string, own: boolean, target: BrandTarget, findings: Finding[], step: StepFn): Promise<void> {
  const loaded = timed('read', () => loadConnectorFolder(dir));
  findings.push(...loaded.findings);
  if (!loaded.files) {
    // Nothing can be checked without the definition; its file-readable finding says why.
    const unreadable = `${DEFINITION_FILE} unreadable`;
    step('swagger-parser', 'swagger-parser', 'skipped', unreadable);
    step('rules', 'rules', 'skipped', unreadable);
    step('compatibility', 'compatibility', 'skipped', own ? unreadable : OWN_ONLY);
    step('ms-schemas', MS_SCHEMAS, 'skipped', options.msSchemasDir ? unreadable : 'pass --ms-schemas <dir>');
    return;
  }
  const files = loaded.files;
  const { validateSwagger } = await import('./swagger');
  findings.push(...(await timedAsync('swagger', () => validateSwagger(files.definition, { cacheDir: options.cacheDir ?? join(root, '.cache') }))));
  step('swagger-parser', 'swagger-parser', 'ran');
  const { runRules } = await timedAsync('load rules', () => import('./engine'));
  const { RULES } = await import('./rules');
  findings.push(...timed('rules', () => runRules(files)));
  step('rules', `${RULES.length} rules`, 'ran');
  if (own) {
    let guard: CompatGuard | undefined;
    try {
      guard = timed('load compat', () => options.compat ?? loadModule<CompatGuard>(join(root, 'connector/compat/guard')));
      const g = guard;
      const baseline = target.baselineFile === undefined ? g.loadBaseline() : g.loadBaseline(join(root, target.baselineFile));
      findings.push(...timed('compat', () => g.checkCompatibility(baseline, files.definition as object)));
      step('compatibility', compatLabel(guard), 'ran');
    } catch (error) {
      findings.push(setupFinding('connector/compat/guard.ts (compatibility guard)', error));
      step('compatibility', compatLabel(guard), 'failed', SEE_SETUP);
    }
  } else {
    step('compatibility', 'compatibility', 'skipped', OWN_ONLY);
  }
  if (options.msSchemasDir) {
    const { MS_SCHEMA_STALE_KEYS, validateWithMsSchemas } = await import('./ms-schemas');
    try {
      findings.push(...timed('ms-schemas', () => validateWithMsSchemas(options.msSchemasDir!, { definition: files.definition, properties: files.properties })));
      step('ms-schemas', `${MS_SCHEMAS} (${MS_SCHEMA_STALE_KEYS})`, 'ran');
    } catch (error) {
      findings.push(setupFinding(`Microsoft's schemas in ${options.msSchemasDir}`, error));
      step('ms-schemas', MS_SCHEMAS, 'failed', SEE_SETUP);
    }
  } else {
    step('ms-schemas', MS_SCHEMAS, 'skipped', 'pass --ms-schemas <dir>');
  }
}

function compatLabel(guard: CompatGuard | undefined): string {
  return guard?.BASELINE_VERSION ? `compatibility with ${guard.BASELINE_VERSION}` : 'compatibility';
}
