/**
 * A small evaluator for the workflow expressions the `pollingtrigger` policy uses:
 * `@{triggerBody().data[0].callID}` (interpolated: yields a string) and `@triggerBody().data`
 * (a value). Only `triggerBody()` followed by property and index accessors (`.x`, `?.x`, `[0]`,
 * `['x']`) is supported: that is all the policy template needs, and anything else is reported.
 */
import type { Json } from './definition';

export class ExpressionError extends Error {}

/** A property name or an array index, in the order they are applied to the trigger body. */
export type Accessor = string | number;

export interface TriggerExpression {
  /** `@{...}` (yields a string) rather than `@...` (yields the value). */
  interpolated: boolean;
  /** The accessors after `triggerBody()`: `@{triggerBody().data[0].callID}` → ['data', 0, 'callID']. */
  accessors: Accessor[];
}

function parseAccessors(expr: string): Accessor[] {
  const m = /^triggerBody\(\)(.*)$/.exec(expr.trim());
  if (!m) throw new ExpressionError(`unsupported expression "${expr}": only triggerBody() with accessors is understood`);
  const out: Accessor[] = [];
  const re = /\??\.([A-Za-z_$][\w$]*)|\??\[(\d+)\]|\??\[\s*'([^']*)'\s*\]/y;
  let rest = m[1];
  while (rest.length > 0) {
    re.lastIndex = 0;
    const step = re.exec(rest);
    if (!step) throw new ExpressionError(`cannot read "${rest}" in expression "${expr}"`);
    out.push(step[1] ?? (step[2] !== undefined ? Number(step[2]) : step[3]));
    rest = rest.slice(step[0].length);
  }
  return out;
}

function access(body: Json | undefined, accessors: Accessor[]): Json | undefined {
  let node: Json | undefined = body;
  for (const a of accessors) {
    if (typeof a === 'number') node = Array.isArray(node) ? node[a] : undefined;
    else node = node !== null && typeof node === 'object' && !Array.isArray(node) ? node[a] : undefined;
    if (node === undefined) return undefined;
  }
  return node;
}

/**
 * Evaluates `@{...}` (to a string, or undefined when the path is absent) or `@...` (to the value).
 * `body` is what triggerBody() returns: the parsed response body.
 */
export function evaluateTriggerExpression(expression: string, body: Json | undefined): Json | undefined {
  const parsed = parseTriggerExpression(expression);
  const value = access(body, parsed.accessors);
  if (!parsed.interpolated || value === undefined) return value;
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/**
 * Parses `@{triggerBody()...}` or `@triggerBody()...` without evaluating it (the checks read the
 * accessors against the response schema); throws ExpressionError for anything else, e.g. an
 * unbalanced `@{triggerBody().data` or `@triggerBody().data}`.
 */
export function parseTriggerExpression(expression: string): TriggerExpression {
  const interpolated = /^@\{(.*)\}$/s.exec(expression);
  if (interpolated) return { interpolated: true, accessors: parseAccessors(interpolated[1]) };
  if (expression.startsWith('@')) return { interpolated: false, accessors: parseAccessors(expression.slice(1)) };
  throw new ExpressionError(`"${expression}" is not an expression (it must start with @)`);
}
