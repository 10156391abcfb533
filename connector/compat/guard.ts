/**
 * Compatibility guard: compares a definition with the published baseline and reports every change
 * that would break an existing flow (the breaking changes the certification process rejects).
 * Additions and better texts are allowed; `compareSurfaces` also lists the additions for the change report.
 */
import * as fs from 'fs';
import * as path from 'path';
import { type Finding, pointer } from '../../lib/finding';
import { parseBaseline } from './baseline-format';
import { type CompatRuleId, withFixHint } from './rules';
import {
  extractSurface,
  SurfaceError,
  type Surface,
  type SurfaceField,
  type SurfaceOperation,
  type SurfaceParameter,
} from './surface';

export const BASELINE_FILE = path.resolve(__dirname, '../baseline/published-1.0.json');
const DEFINITION_FILE = 'apiDefinition.swagger.json';

export { COMPAT_RULE_DOCS, COMPAT_RULES, type CompatRuleId } from './rules';

/** The version of the published surface the guard compares with (from the baseline's file name). */
export const BASELINE_VERSION = /published-(.+)\.json$/.exec(BASELINE_FILE)?.[1] ?? 'the baseline';

export interface Addition {
  operationId: string;
  kind: 'operation' | 'parameter' | 'output';
  /** `METHOD /path` for an operation, the parameter or field path otherwise. */
  path: string;
}

export interface Comparison {
  breaking: Finding[];
  added: Addition[];
}

export function loadBaseline(file: string = BASELINE_FILE): Surface {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    throw new Error(`Compatibility baseline ${file} is missing. Create it with: npm run baseline -- --from <production folder>`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`Compatibility baseline ${file} is not valid JSON (${(error as Error).message}).`);
  }
  return parseBaseline(json, path.basename(file));
}

/** Breaking changes of `definition` against the published `baseline`. */
export function checkCompatibility(baseline: Surface, definition: object): Finding[] {
  let current: Surface;
  try {
    current = extractSurface(definition);
  } catch (error) {
    if (!(error instanceof SurfaceError)) throw error;
    return [
      {
        file: DEFINITION_FILE,
        pointer: error.pointer,
        rule: 'compat-definition-unreadable',
        severity: 'error',
        message: withFixHint('compat-definition-unreadable', `Cannot read the published surface: ${error.message}`),
      },
    ];
  }
  return compareSurfaces(baseline, current).breaking;
}

function typeText(item: { type: string | null; format: string | null }): string {
  const type = item.type ?? 'untyped';
  return item.format === null ? type : `${type}/${item.format}`;
}

function route(op: SurfaceOperation): string {
  return `${op.method.toUpperCase()} ${op.path}`;
}

/** The enclosing path: `data[]/callID` → `data[]` → `data`; null at the top. */
function parentPath(p: string): string | null {
  if (p.endsWith('[]')) return p.slice(0, -2);
  const slash = p.lastIndexOf('/');
  return slash === -1 ? null : p.slice(0, slash);
}

function ancestors(p: string): string[] {
  const result: string[] = [];
  for (let parent = parentPath(p); parent !== null; parent = parentPath(parent)) result.push(parent);
  return result;
}

/** A body property is only required in practice when every enclosing level is required too. */
function effectivelyRequired(op: SurfaceOperation, param: SurfaceParameter): boolean {
  if (!param.required) return false;
  if (param.in !== 'body') return true;
  return ancestors(param.path).every((p) => {
    const parent = op.parameters.find((q) => q.path === p && q.in === 'body');
    return parent === undefined || parent.required;
  });
}

/**
 * The exemption: a webhook subscription body made only of `x-ms-notification-url` properties is
 * filled by the platform with the callback URL, never by a flow author, so no flow can depend on its
 * visibility or be broken by it being required. Production's VoicemailDeleted body lacks the
 * `x-ms-visibility: internal` the certification rules demand; adding it must not count as breaking.
 */
function platformFilled(op: SurfaceOperation, ...params: SurfaceParameter[]): boolean {
  // Every given version (baseline and current) must be platform-filled: the exemption stays narrow.
  return op.trigger === 'single' && params.every((p) => p.in === 'body' && p.platformFilled === true);
}

export function compareSurfaces(baseline: Surface, current: Surface): Comparison {
  const breaking: Finding[] = [];
  const added: Addition[] = [];
  const report = (rule: CompatRuleId, op: SurfaceOperation, at: string, message: string): void => {
    breaking.push({
      file: DEFINITION_FILE,
      pointer: at,
      rule,
      severity: 'error',
      message: withFixHint(rule, `${op.operationId}: ${message}`),
      operationId: op.operationId,
    });
  };
  const opPointer = (op: SurfaceOperation): string => op.pointer ?? pointer('paths', op.path, op.method);

  const currentById = new Map(current.operations.map((op) => [op.operationId, op]));
  const baselineIds = new Set(baseline.operations.map((op) => op.operationId));
  const renamedTo = new Set<string>();

  for (const was of baseline.operations) {
    const now = currentById.get(was.operationId);
    if (now === undefined) {
      const sameRoute = current.operations.find(
        (op) => op.method === was.method && op.path === was.path && !baselineIds.has(op.operationId),
      );
      if (sameRoute !== undefined) {
        renamedTo.add(sameRoute.operationId);
        report(
          'compat-operation-renamed',
          was,
          `${opPointer(sameRoute)}/operationId`,
          `operation renamed to ${sameRoute.operationId} (${route(was)})`,
        );
      } else {
        const where = pointer('paths', was.path, was.method);
        report('compat-operation-removed', was, where, `operation removed (was ${route(was)})`);
      }
      continue;
    }
    compareOperation(was, now);
  }

  for (const op of current.operations) {
    if (!baselineIds.has(op.operationId) && !renamedTo.has(op.operationId)) {
      added.push({ operationId: op.operationId, kind: 'operation', path: route(op) });
    }
  }
  return { breaking, added };

  function compareOperation(was: SurfaceOperation, now: SurfaceOperation): void {
    const at = opPointer(now);
    if (was.visibility !== 'internal' && now.visibility === 'internal') {
      const before = was.visibility ?? 'visible, no x-ms-visibility';
      report('compat-operation-internal', now, `${at}/x-ms-visibility`, `operation made internal (was ${before})`);
    }
    if (was.method !== now.method || was.path !== now.path) {
      report('compat-route-changed', now, at, `route changed ${route(was)} → ${route(now)}`);
    }
    if (was.trigger !== now.trigger) {
      const where = now.trigger === 'none' ? at : `${at}/x-ms-trigger`;
      report('compat-trigger-kind-changed', now, where, `trigger kind changed ${was.trigger} → ${now.trigger}`);
    }
    compareParameters(was, now, at);
    compareOutputs(was, now);
  }

  function compareParameters(was: SurfaceOperation, now: SurfaceOperation, at: string): void {
    const removed = new Set<string>();
    for (const before of was.parameters) {
      const after =
        now.parameters.find((p) => p.path === before.path && p.in === before.in) ??
        now.parameters.find((p) => p.path === before.path);
      if (after === undefined) {
        removed.add(before.path);
        // Report only the outermost removed level (a removed body, not each of its properties).
        if (ancestors(before.path).some((p) => removed.has(p))) continue;
        const parent = ancestors(before.path)
          .map((p) => now.parameters.find((q) => q.path === p))
          .find((q) => q !== undefined);
        report('compat-parameter-removed', now, parent?.pointer ?? `${at}/parameters`, `parameter ${before.path} (${before.in}) removed`);
        continue;
      }
      const where = after.pointer ?? `${at}/parameters`;
      if (after.in !== before.in) {
        report('compat-parameter-moved', now, where, `parameter ${before.path} moved ${before.in} → ${after.in}`);
        continue;
      }
      if (after.type !== before.type || after.format !== before.format) {
        report('compat-parameter-retyped', now, where, `parameter ${before.path} changed type ${typeText(before)} → ${typeText(after)}`);
      }
      if (before.visibility !== 'internal' && after.visibility === 'internal' && !platformFilled(now, before, after)) {
        const previously = before.visibility ?? 'visible, no x-ms-visibility';
        report('compat-parameter-internal', now, where, `parameter ${before.path} made internal (was ${previously})`);
      }
      if (!effectivelyRequired(was, before) && effectivelyRequired(now, after)) {
        report('compat-parameter-required', now, where, `optional parameter ${before.path} made required`);
      }
    }
    for (const param of now.parameters) {
      if (was.parameters.some((p) => p.path === param.path)) continue;
      const filledByPlatform = param.visibility === 'internal' && param.hasDefault;
      if (effectivelyRequired(now, param) && !filledByPlatform && !platformFilled(now, param)) {
        const where = param.pointer ?? `${at}/parameters`;
        const message = `new required parameter ${param.path} (${param.in})`;
        report('compat-parameter-new-required', now, where, message);
      } else {
        added.push({ operationId: now.operationId, kind: 'parameter', path: param.path });
      }
    }
  }

  function compareOutputs(was: SurfaceOperation, now: SurfaceOperation): void {
    const fallback = now.outputsPointer ?? opPointer(now);
    const nowByPath = new Map<string, SurfaceField>(now.outputs.map((f) => [f.path, f]));
    const removed = new Set<string>();
    for (const before of was.outputs) {
      const after = nowByPath.get(before.path);
      if (after === undefined) {
        removed.add(before.path);
        if (ancestors(before.path).some((p) => removed.has(p))) continue;
        const parent = ancestors(before.path)
          .map((p) => nowByPath.get(p))
          .find((f) => f !== undefined);
        report('compat-output-removed', now, parent?.pointer ?? fallback, `output field ${before.path} removed`);
        continue;
      }
      if (after.type !== before.type || after.format !== before.format) {
        const message = `output field ${before.path} changed type ${typeText(before)} → ${typeText(after)}`;
        report('compat-output-retyped', now, after.pointer ?? fallback, message);
      }
    }
    const wasPaths = new Set(was.outputs.map((f) => f.path));
    for (const field of now.outputs) {
      if (!wasPaths.has(field.path)) added.push({ operationId: now.operationId, kind: 'output', path: field.path });
    }
  }
}
