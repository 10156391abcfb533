/** Turns Ajv errors into one readable line per failing location. */
import type { ErrorObject } from 'ajv';

function detail(error: ErrorObject): string {
  const params = error.params as { additionalProperty?: unknown; allowedValues?: unknown; missingProperty?: unknown };
  if (error.keyword === 'additionalProperties') return `property '${String(params.additionalProperty)}' is not allowed`;
  if (error.keyword === 'enum') return `${error.message ?? 'must be one of'} ${JSON.stringify(params.allowedValues)}`;
  return error.message ?? error.keyword;
}

function within(path: string, base: string): boolean {
  return path === base || path.startsWith(`${base}/`);
}

/**
 * A failed `oneOf`/`anyOf` makes Ajv report every branch's complaints (for a parameter: "must be
 * in body", "must be in query", ...). Those are folded into the one `oneOf` line, which names a
 * few of them; other errors become one line per location.
 */
export function summarizeAjvErrors(errors: readonly ErrorObject[]): Array<{ pointer: string; message: string; schemaPath: string; keywords: string[] }> {
  const branchRoots = errors.filter((e) => e.keyword === 'oneOf' || e.keyword === 'anyOf').map((e) => e.instancePath);
  // Keep only the outermost failing alternatives.
  const roots = branchRoots.filter((root, i) => !branchRoots.some((other, j) => j !== i && other !== root && within(root, other)));
  const result: Array<{ pointer: string; message: string; schemaPath: string; keywords: string[] }> = [];
  const byPointer = new Map<string, { details: string[]; schemaPath: string; keywords: string[] }>();
  for (const error of errors) {
    const root = roots.find((r) => within(error.instancePath, r));
    const pointer = root ?? error.instancePath;
    const entry = byPointer.get(pointer) ?? { details: [], schemaPath: error.schemaPath, keywords: [] };
    if (!entry.keywords.includes(error.keyword)) entry.keywords.push(error.keyword);
    const text = root !== undefined && error.keyword !== 'oneOf' && error.keyword !== 'anyOf'
      ? `${error.instancePath.slice(root.length) || '(here)'} ${detail(error)}`
      : detail(error);
    if (!entry.details.includes(text)) entry.details.push(text);
    if (error.keyword === 'oneOf' || error.keyword === 'anyOf') entry.schemaPath = error.schemaPath;
    byPointer.set(pointer, entry);
  }
  for (const [pointer, entry] of byPointer) {
    const isBranch = roots.includes(pointer);
    const shown = isBranch
      ? `${entry.details.find((d) => /one schema|any schema/.test(d)) ?? 'matches none of the allowed shapes'} (e.g. ${entry.details.filter((d) => !/one schema|any schema/.test(d)).slice(0, 3).join('; ')})`
      : entry.details.join('; ');
    result.push({ pointer, message: shown, schemaPath: entry.schemaPath, keywords: entry.keywords });
  }
  return result;
}
