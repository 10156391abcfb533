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
import { type CheckFs, MAX_FILE_BYTES, NODE_FS, folderProblem, readTextFile } from './files';
import { findDuplicateKeys, jsonDepth, lineColumn, locateJsonError } from '../lib/json';
import type { Finding } from '../lib/finding';
import type { CheckResult, CheckStep } from './format';

export const FRESHNESS_RULE = 'generated-file-fresh';
export const READ_RULE = 'file-readable';
export const ENCODING_RULE = 'file-encoding';
export const DEPTH_RULE = 'file-depth';
export const DUPLICATE_KEY_RULE = 'file-duplicate-key';

/** Repeated keys reported one by one per file; past it, one finding counts the rest. */
export const MAX_DUPLICATE_KEY_FINDINGS = 20;
export const FOLDER_RULE = 'folder-readable';
export const SETUP_RULE = 'check-setup';
export const INTERNAL_RULE = 'check-internal';

/**
 * How deep a JSON file may nest before the check stops reading it. The deepest definition among the
 * ~1,000 connectors of microsoft/PowerPlatformConnectors nests 29 levels; the validators below
 * recurse per level and overflow the stack from about 1,500. The bound keeps 5x of headroom under
 * that and 8x over the deepest real file.
 */
export const MAX_JSON_DEPTH = 256;

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
  /** The file system the folder is read through (tests inject failures). */
  fs?: CheckFs;
}

export interface LoadedFolder {
  files: ConnectorFiles | undefined;
  findings: Finding[];
  /** Why the folder could not be checked at all (no readable definition); undefined when it was read. */
  unchecked?: string;
}

const BOM = '\uFEFF';

/** Why JSON.parse refused a text: the line, the column and what is wrong there. */
export function describeJsonError(text: string, error: unknown): string {
  const located = locateJsonError(text);
  if (!located) return (error instanceof Error ? error.message : String(error)).split('\n')[0];
  const { line, column } = lineColumn(text, located.offset);
  return `line ${line}, column ${column}: ${located.message}`;
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

const MB = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/**
 * Reads one file of the folder as text, reporting every way that can fail: missing, unreadable
 * (the reason names it), too large, bytes that are not UTF-8 (a warning with the byte offset: they
 * are read as U+FFFD and the check goes on), a byte order mark (stripped, a warning).
 */
function readFolderFile(dir: string, file: string, fs: CheckFs, findings: Finding[]): { text?: string; bytes?: number; failure?: string } {
  const path = join(dir, file);
  const read = readTextFile(path, fs);
  const error = (message: string): { failure: string } => {
    findings.push({ file, pointer: '', rule: READ_RULE, severity: 'error', message });
    return { failure: message };
  };
  switch (read.kind) {
    case 'missing': {
      if (file === SCRIPT_FILE) return {};
      const missing = MISSING[file];
      findings.push({ file, pointer: '', rule: READ_RULE, severity: missing.severity, message: `${file} is missing in ${dir}: ${missing.why}.` });
      return { failure: `${file} is missing` };
    }
    case 'unreadable':
      return error(`${file} ${read.reason} (${path}).`);
    case 'too-large':
      // Not "unchecked": a file this size is a proven defect (the platform refuses over 1 MB), an error finding.
      error(`${file} is ${MB(read.bytes)} (${path}); the check reads at most ${MB(MAX_FILE_BYTES)}, and the platform refuses a definition or a script over 1 MB.`);
      return {};
    case 'text': {
      let text = read.text;
      if (read.invalidUtf8At !== undefined) {
        const { line, column } = lineColumn(text, read.invalidUtf8Char ?? 0);
        findings.push({
          file, pointer: '', rule: ENCODING_RULE, severity: 'warn',
          message: `${file} is not UTF-8 at byte ${read.invalidUtf8At} (line ${line}, column ${column}); the check read those bytes as U+FFFD (the replacement character) and checked the rest. Save the file as UTF-8 (text in another encoding, such as Windows-1252, shows garbled characters wherever it is read as UTF-8).`,
        });
      }
      if (text.startsWith(BOM)) {
        // A BOM is normal in C# files; the compiler ignores it and so do the script rules.
        text = text.slice(1);
        if (file !== SCRIPT_FILE) {
          // Four certified connectors start with a byte order mark; JSON.parse refuses it, the platform does not.
          findings.push({ file, pointer: '', rule: ENCODING_RULE, severity: 'warn', message: `${file} starts with a UTF-8 byte order mark; it was ignored for the check. Save the file as UTF-8 without BOM.` });
        }
      }
      return { text, bytes: read.bytes };
    }
  }
}

/** Parses a JSON file of the folder; invalid JSON (with line and column) and nesting beyond the bound are errors. */
function readJson(dir: string, file: string, fs: CheckFs, findings: Finding[]): { value?: unknown; bytes?: number; failure?: string } {
  const read = readFolderFile(dir, file, fs, findings);
  if (read.text === undefined) return read;
  let value: unknown;
  try {
    value = JSON.parse(read.text);
  } catch (error) {
    const message = `${file} is not valid JSON at ${describeJsonError(read.text, error)}.`;
    findings.push({ file, pointer: '', rule: READ_RULE, severity: 'error', message });
    return {};
  }
  const depth = jsonDepth(value, MAX_JSON_DEPTH);
  if (depth.deeperThanLimitAt !== undefined) {
    findings.push({
      file, pointer: depth.deeperThanLimitAt, rule: DEPTH_RULE, severity: 'error',
      message: `${file} nests deeper than ${MAX_JSON_DEPTH} levels here; the check does not read it (the deepest real connector definition nests 29). Flatten the schema with \`$ref\`s to named definitions.`,
    });
    return {};
  }
  reportDuplicateKeys(file, read.text, findings);
  return { value, bytes: read.bytes };
}

/** A warning per key an object repeats (JSON.parse kept the last value; which one the platform keeps is unconfirmed). */
function reportDuplicateKeys(file: string, text: string, findings: Finding[]): void {
  const repeats = findDuplicateKeys(text);
  for (const repeat of repeats.slice(0, MAX_DUPLICATE_KEY_FINDINGS)) {
    const { line, column } = lineColumn(text, repeat.offset);
    findings.push({
      file, pointer: repeat.pointer, rule: DUPLICATE_KEY_RULE, severity: 'warn',
      message: `${file} repeats the key "${repeat.key}" in one object (line ${line}, column ${column}); this check and Json.NET's JObject.Parse keep the last value, a strict reader refuses the file, and which one the platform keeps is unconfirmed. Keep one of them.`,
    });
  }
  if (repeats.length > MAX_DUPLICATE_KEY_FINDINGS) {
    const more = repeats.length - MAX_DUPLICATE_KEY_FINDINGS;
    findings.push({ file, pointer: '', rule: DUPLICATE_KEY_RULE, severity: 'warn', message: `${file} repeats ${more} more key${more === 1 ? '' : 's'} beyond the ${MAX_DUPLICATE_KEY_FINDINGS} listed; fix those and run the check again.` });
  }
}

/**
 * Reads apiDefinition.swagger.json, apiProperties.json and the optional script.csx of a folder. The
 * folder counts as unchecked when it cannot be entered or its definition cannot be read from disk;
 * a definition that was read but is not valid JSON is the connector's defect (an error finding).
 */
export function loadConnectorFolder(dir: string, fs: CheckFs = NODE_FS): LoadedFolder {
  const findings: Finding[] = [];
  const problem = folderProblem(dir, fs);
  if (problem) {
    const message = `The connector folder ${dir} ${problem}.`;
    return { files: undefined, findings: [{ file: '', pointer: '', rule: FOLDER_RULE, severity: 'error', message }], unchecked: message };
  }
  const definition = readJson(dir, DEFINITION_FILE, fs, findings);
  const properties = readJson(dir, PROPERTIES_FILE, fs, findings);
  const script = readFolderFile(dir, SCRIPT_FILE, fs, findings);
  if (definition.value === undefined) return { files: undefined, findings, ...(definition.failure ? { unchecked: definition.failure } : {}) };
  return {
    files: { definition: definition.value, definitionBytes: definition.bytes, properties: properties.value, script: script.text },
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

/** The phase a run is in, so that an unexpected failure says where it happened. */
let currentPhase = 'start';

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
  let unchecked: string | undefined;
  currentPhase = 'start';
  try {
    unchecked = await checkTargets(options, root, dir, own, findings, step);
  } catch (error) {
    // Whatever a folder holds, the check reports it and goes on to the next folder: a failure of the
    // check itself is this folder's finding, never a stack trace that loses the others' results.
    const message = `The check itself failed while ${currentPhase} (${error instanceof Error ? `${error.name}: ${error.message.split('\n')[0]}` : String(error)}); this folder was not fully checked. This is a defect of the check: please report it with the folder.`;
    findings.push({ file: '', pointer: '', rule: INTERNAL_RULE, severity: 'error', message });
    unchecked = message;
  }
  const result: CheckResult = { findings, accepted: [], steps, ...(unchecked === undefined ? {} : { unchecked }) };
  if (!own || unchecked !== undefined) return result;
  // Accepted warnings are the project's decisions about its own connector only.
  const acceptances = loadAcceptances(join(root, ACCEPTED_FILE));
  const { open, accepted } = applyAcceptances(findings, acceptances.entries);
  return { ...result, findings: [...open, ...acceptances.findings], accepted };
}

type StepFn = (id: string, label: string, status: CheckStep['status'], reason?: string) => void;

/** Every brand of the own connector, or the one folder given; returns why nothing could be checked, if so. */
async function checkTargets(options: CheckOptions, root: string, dir: string, own: boolean, findings: Finding[], step: StepFn): Promise<string | undefined> {
  if (own) {
    currentPhase = 'checking the generated files';
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
  let unchecked: string | undefined;
  for (const target of targets) {
    // Every brand's folder is checked like the top level; its findings name the file from the root.
    const prefix = !own || target.dir === '' ? '' : `${target.dir}/`;
    const brandStep = (id: string, label: string, status: CheckStep['status'], reason?: string): void =>
      step(id, prefix === '' ? label : `${target.title}: ${label}`, status, reason);
    const before = findings.length;
    unchecked ??= await checkFolder(options, root, own ? join(root, target.dir) : dir, own, target, findings, brandStep);
    if (prefix !== '') for (let i = before; i < findings.length; i++) findings[i] = { ...findings[i], file: prefix + findings[i].file };
  }
  return unchecked;
}

/**
 * Reading, Swagger validation, the rules, the compatibility guard (own connector) and Microsoft's
 * schemas for one folder; returns why the folder could not be checked at all, if so.
 */
async function checkFolder(options: CheckOptions, root: string, dir: string, own: boolean, target: BrandTarget, findings: Finding[], step: StepFn): Promise<string | undefined> {
  currentPhase = `reading ${dir}`;
  const loaded = timed('read', () => loadConnectorFolder(dir, options.fs));
  findings.push(...loaded.findings);
  if (!loaded.files) {
    // Nothing can be checked without the definition; its finding says why.
    const why = loaded.unchecked && loaded.findings[0]?.rule === FOLDER_RULE ? 'folder unreadable' : `${DEFINITION_FILE} unreadable`;
    step('swagger-parser', 'swagger-parser', 'skipped', why);
    step('rules', 'rules', 'skipped', why);
    step('compatibility', 'compatibility', 'skipped', own ? why : OWN_ONLY);
    step('ms-schemas', MS_SCHEMAS, 'skipped', options.msSchemasDir ? why : 'pass --ms-schemas <dir>');
    return loaded.unchecked;
  }
  const files = loaded.files;
  currentPhase = 'validating the definition against Swagger 2.0';
  const { validateSwagger } = await import('./swagger');
  findings.push(...(await timedAsync('swagger', () => validateSwagger(files.definition, { cacheDir: options.cacheDir ?? join(root, '.cache'), properties: files.properties }))));
  step('swagger-parser', 'swagger-parser', 'ran');
  currentPhase = 'running the rules';
  const { runRules } = await timedAsync('load rules', () => import('./engine'));
  const { RULES } = await import('./rules');
  findings.push(...timed('rules', () => runRules(files)));
  step('rules', `${RULES.length} rules`, 'ran');
  if (own) {
    currentPhase = 'comparing with the published surface';
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
    currentPhase = "validating against Microsoft's schemas";
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
  return undefined;
}

function compatLabel(guard: CompatGuard | undefined): string {
  return guard?.BASELINE_VERSION ? `compatibility with ${guard.BASELINE_VERSION}` : 'compatibility';
}
