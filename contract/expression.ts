/**
 * A small evaluator for the workflow expressions the `pollingtrigger` policy uses:
 * `@{triggerBody().data[0].callID}` (interpolated: yields a string) and `@triggerBody().data`
 * (a value). Only `triggerBody()` followed by property and index accessors (`.x`, `?.x`, `[0]`,
 * `['x']`) is supported: that is all the policy template needs, and anything else is reported.
 */
import type { Json } from './definition';

export class ExpressionError extends Error {}

type Accessor = string | number;

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
  const interpolated = /^@\{(.*)\}$/s.exec(expression);
  if (interpolated) {
    const value = access(body, parseAccessors(interpolated[1]));
    if (value === undefined) return undefined;
    return typeof value === 'string' ? value : JSON.stringify(value);
  }
  if (expression.startsWith('@')) return access(body, parseAccessors(expression.slice(1)));
  throw new ExpressionError(`"${expression}" is not an expression (it must start with @)`);
}
