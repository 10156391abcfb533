/**
 * The stored form of a published surface (connector/baseline/published-<version>.json):
 * fixed key order, no JSON pointers (they point into a file the project does not hold),
 * two-space JSON, LF, trailing newline. `parseBaseline` checks the shape so that a hand-edited
 * or truncated baseline fails with a message that names the broken entry.
 */
import type { Surface, SurfaceField, SurfaceOperation, SurfaceParameter, TriggerKind } from './surface';
import { HTTP_METHODS } from './surface';

export interface BaselineMeta {
  /** Where the surface was read from, e.g. `certified-connector-1.0/apiDefinition.swagger.json`. */
  source: string;
}

const COMMENT =
  'Published surface of the production connector. Existing flows depend on every entry: ' +
  'the compatibility guard (connector/compat/guard.ts) fails on removals and changes. ' +
  'Regenerate only from the production definition: npm run baseline -- --from <folder>.';

function storedParameter(p: SurfaceParameter): Record<string, unknown> {
  return {
    path: p.path,
    in: p.in,
    type: p.type,
    format: p.format,
    required: p.required,
    visibility: p.visibility,
    hasDefault: p.hasDefault,
    ...(p.platformFilled ? { platformFilled: true } : {}),
  };
}

function storedField(f: SurfaceField): Record<string, unknown> {
  return { path: f.path, type: f.type, format: f.format };
}

function storedOperation(op: SurfaceOperation): Record<string, unknown> {
  return {
    operationId: op.operationId,
    method: op.method,
    path: op.path,
    visibility: op.visibility,
    trigger: op.trigger,
    parameters: op.parameters.map(storedParameter),
    outputs: op.outputs.map(storedField),
  };
}

export function serializeBaseline(surface: Surface, meta: BaselineMeta): string {
  const document = {
    $comment: COMMENT,
    source: meta.source,
    operations: surface.operations.map(storedOperation),
  };
  return JSON.stringify(document, null, 2) + '\n';
}

class BaselineError extends Error {
  constructor(source: string, where: string, problem: string) {
    super(`${source}: ${where}: ${problem}. Regenerate it with: npm run baseline -- --from <production folder>`);
    this.name = 'BaselineError';
  }
}

export function parseBaseline(json: unknown, source: string): Surface {
  const fail = (where: string, problem: string): never => {
    throw new BaselineError(source, where, problem);
  };
  const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  const str = (v: unknown, where: string): string => (typeof v === 'string' ? v : fail(where, 'expected a string'));
  const strOrNull = (v: unknown, where: string): string | null =>
    v === null || typeof v === 'string' ? v : fail(where, 'expected a string or null');
  const bool = (v: unknown, where: string): boolean => (typeof v === 'boolean' ? v : fail(where, 'expected a boolean'));
  const list = (v: unknown, where: string): unknown[] => (Array.isArray(v) ? v : fail(where, 'expected an array'));

  if (!isRecord(json)) return fail('(root)', 'expected an object');
  const operations = list(json.operations, 'operations').map((raw, i): SurfaceOperation => {
    const at = `operations[${i}]`;
    if (!isRecord(raw)) return fail(at, 'expected an object');
    const method = str(raw.method, `${at}.method`);
    if (!(HTTP_METHODS as readonly string[]).includes(method)) fail(`${at}.method`, `unknown method ${method}`);
    const trigger = str(raw.trigger, `${at}.trigger`);
    if (!['single', 'batch', 'none'].includes(trigger)) fail(`${at}.trigger`, `unknown trigger kind ${trigger}`);
    return {
      operationId: str(raw.operationId, `${at}.operationId`),
      method: method as SurfaceOperation['method'],
      path: str(raw.path, `${at}.path`),
      visibility: strOrNull(raw.visibility, `${at}.visibility`),
      trigger: trigger as TriggerKind,
      parameters: list(raw.parameters, `${at}.parameters`).map((p, j): SurfaceParameter => {
        const pat = `${at}.parameters[${j}]`;
        if (!isRecord(p)) return fail(pat, 'expected an object');
        return {
          path: str(p.path, `${pat}.path`),
          in: str(p.in, `${pat}.in`),
          type: strOrNull(p.type, `${pat}.type`),
          format: strOrNull(p.format, `${pat}.format`),
          required: bool(p.required, `${pat}.required`),
          visibility: strOrNull(p.visibility, `${pat}.visibility`),
          hasDefault: bool(p.hasDefault, `${pat}.hasDefault`),
          ...(p.platformFilled === true ? { platformFilled: true as const } : {}),
        };
      }),
      outputs: list(raw.outputs, `${at}.outputs`).map((f, j): SurfaceField => {
        const fat = `${at}.outputs[${j}]`;
        if (!isRecord(f)) return fail(fat, 'expected an object');
        return { path: str(f.path, `${fat}.path`), type: strOrNull(f.type, `${fat}.type`), format: strOrNull(f.format, `${fat}.format`) };
      }),
    };
  });
  const ids = new Set<string>();
  for (const op of operations) {
    if (ids.has(op.operationId)) fail('operations', `duplicate operationId ${op.operationId}`);
    ids.add(op.operationId);
  }
  return { operations };
}
