/**
 * The workflow expression language (Logic Apps / Power Automate Workflow Definition Language), one
 * evaluator for every reader: the flow runtime of the sandbox, and the `pollingtrigger` policy of
 * the 1.0 baseline (`@{triggerBody().data[0].callID}`, `@triggerBody().data`) which the gateway
 * emulates and the checks read.
 *
 * Documented semantics kept here:
 * - a JSON string that starts with `@` is an expression and yields its value (any JSON type);
 *   `@@` at the start escapes a literal `@`;
 * - `@{...}` inside a string interpolates: the result is always a string (`@@{` is a literal `@{`);
 * - `x?['p']` / `x?.p` yield null when `x` is null or has no `p`; without `?` that is an error;
 * - string literals use single quotes, a quote inside doubled (`'it''s'`).
 * Functions are registered units (name, arity, implementation): the pure ones live in FUNCTIONS;
 * those that read a run (triggerBody(), body('A'), listCallbackUrl()...) come from the caller's scope.
 * An unknown function is an error naming it, never a silent null.
 */
import type { JsonValue } from './json';

type Json = JsonValue;

export class ExpressionError extends Error {
  override name = 'ExpressionError';
  /** Set when the problem is a function nobody registered. */
  functionName?: string;
}

/** A property name or an array index, in the order they are applied. */
export type Accessor = string | number;

export type Node =
  | { kind: 'literal'; value: Json }
  | { kind: 'call'; name: string; args: Node[] }
  | { kind: 'member'; object: Node; key: Node; safe: boolean };

/** A parsed JSON string value: a literal, one expression, or an interpolation of parts. */
export type Template =
  | { kind: 'text'; text: string }
  | { kind: 'expression'; node: Node }
  | { kind: 'interpolation'; parts: Array<string | Node> };

// --- parsing -------------------------------------------------------------------------------------

class Parser {
  private i = 0;
  constructor(private readonly src: string) {}

  fail(what: string): never {
    throw new ExpressionError(`cannot read "${this.src.slice(this.i)}" in expression "${this.src}": ${what}`);
  }

  private ws(): void {
    while (this.i < this.src.length && /\s/.test(this.src[this.i])) this.i++;
  }

  private peek(text: string): boolean {
    this.ws();
    return this.src.startsWith(text, this.i);
  }

  private eat(text: string): boolean {
    if (!this.peek(text)) return false;
    this.i += text.length;
    return true;
  }

  parseAll(): Node {
    const node = this.expression();
    this.ws();
    if (this.i < this.src.length) this.fail('unexpected text after the expression');
    return node;
  }

  private expression(): Node {
    let node = this.primary();
    for (;;) {
      const safe = this.peek('?');
      if (safe) this.i++;
      if (this.eat('.')) {
        const m = /^[A-Za-z_$][\w$]*/.exec(this.src.slice(this.i));
        if (!m) this.fail('a property name must follow "."');
        this.i += m[0].length;
        node = { kind: 'member', object: node, key: { kind: 'literal', value: m[0] }, safe };
      } else if (this.eat('[')) {
        const key = this.expression();
        if (!this.eat(']')) this.fail('"]" expected');
        node = { kind: 'member', object: node, key, safe };
      } else {
        if (safe) this.fail('"." or "[" must follow "?"');
        return node;
      }
    }
  }

  private primary(): Node {
    this.ws();
    const rest = this.src.slice(this.i);
    if (rest.startsWith("'")) {
      let out = '';
      let j = this.i + 1;
      for (;;) {
        if (j >= this.src.length) this.fail('unterminated string literal');
        if (this.src[j] === "'") {
          if (this.src[j + 1] === "'") {
            out += "'";
            j += 2;
            continue;
          }
          break;
        }
        out += this.src[j++];
      }
      this.i = j + 1;
      return { kind: 'literal', value: out };
    }
    const num = /^-?\d+(\.\d+)?([eE][+-]?\d+)?/.exec(rest);
    if (num) {
      this.i += num[0].length;
      return { kind: 'literal', value: Number(num[0]) };
    }
    const word = /^[A-Za-z_][\w.]*/.exec(rest);
    if (word) {
      const name = word[0];
      const after = this.src.slice(this.i + name.length).trimStart();
      if (!after.startsWith('(')) {
        if (name === 'true' || name === 'false') return (this.i += name.length), { kind: 'literal', value: name === 'true' };
        if (name === 'null') return (this.i += name.length), { kind: 'literal', value: null };
        this.fail(`"${name}" is neither a function call nor a literal`);
      }
      this.i += name.length;
      this.eat('(');
      const args: Node[] = [];
      if (!this.eat(')')) {
        do args.push(this.expression());
        while (this.eat(','));
        if (!this.eat(')')) this.fail('")" expected');
      }
      return { kind: 'call', name, args };
    }
    this.fail('a literal or a function call expected');
  }
}

/** Parses an expression without its leading `@` (e.g. `triggerBody()?['data']`). */
export function parseExpression(source: string): Node {
  return new Parser(source).parseAll();
}

/** Finds the `}` that closes `@{` at `start` (strings inside may hold braces). */
function closingBrace(text: string, start: number): number {
  let depth = 0;
  let inString = false;
  for (let j = start; j < text.length; j++) {
    const ch = text[j];
    if (inString) {
      if (ch === "'") inString = text[j + 1] === "'" ? ((j += 1), true) : false;
    } else if (ch === "'") inString = true;
    else if (ch === '{') depth++;
    else if (ch === '}' && depth-- === 0) return j;
  }
  return -1;
}

/** Parses a JSON string value of a workflow definition. */
export function parseTemplate(value: string): Template {
  if (value.startsWith('@@')) return { kind: 'text', text: value.slice(1) };
  if (!value.includes('@{')) {
    return value.startsWith('@') ? { kind: 'expression', node: parseExpression(value.slice(1)) } : { kind: 'text', text: value };
  }
  if (value.startsWith('@') && !value.startsWith('@{')) return { kind: 'expression', node: parseExpression(value.slice(1)) };
  const parts: Array<string | Node> = [];
  let text = '';
  let i = 0;
  while (i < value.length) {
    if (value.startsWith('@@{', i)) {
      text += '@{';
      i += 3;
    } else if (value.startsWith('@{', i)) {
      const end = closingBrace(value, i + 2);
      if (end < 0) throw new ExpressionError(`"${value}": "@{" at ${i} is never closed by "}"`);
      if (text) parts.push(text);
      text = '';
      parts.push(parseExpression(value.slice(i + 2, end)));
      i = end + 1;
    } else {
      text += value[i++];
    }
  }
  if (text) parts.push(text);
  return { kind: 'interpolation', parts };
}

/** Every function a template calls, for validation before anything runs. */
export function functionsCalled(template: Template): string[] {
  const out: string[] = [];
  const walk = (n: Node): void => {
    if (n.kind === 'call') {
      out.push(n.name);
      n.args.forEach(walk);
    } else if (n.kind === 'member') {
      walk(n.object);
      walk(n.key);
    }
  };
  if (template.kind === 'expression') walk(template.node);
  if (template.kind === 'interpolation') for (const p of template.parts) if (typeof p !== 'string') walk(p);
  return out;
}

// --- evaluation ----------------------------------------------------------------------------------

/** What an expression is evaluated with. `undefined` stands for "absent" in lenient mode only. */
export type Value = Json | undefined;

export interface ExpressionFunction {
  /** Smallest and largest number of arguments (max Infinity for variadic functions). */
  arity: [number, number];
  run(args: Value[], scope: Scope): Value;
}

export interface Scope {
  /** Functions of the run (triggerBody(), body('A'), listCallbackUrl()...), in addition to FUNCTIONS. */
  functions?: Record<string, ExpressionFunction>;
  /**
   * The 1.0 pollingtrigger emulation: a missing property, an index out of range or a member of a
   * non-object yields undefined instead of an error (the policy then keeps its state).
   */
  lenient?: boolean;
}

const isMap = (v: unknown): v is { [k: string]: Json } => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * How a value reads inside `@{...}`: strings as they are, null as empty, numbers in decimal,
 * objects and arrays as JSON. Booleans as `True`/`False` (unconfirmed: the engine is .NET and
 * prints them so; no shipped flow interpolates one).
 */
export function stringify(value: Value): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number') return String(value);
  return JSON.stringify(value);
}

function fn(min: number, max: number, run: (args: Value[], scope: Scope) => Value): ExpressionFunction {
  return { arity: [min, max], run };
}

const toNumber = (v: Value, name: string): number => {
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
  if (typeof n !== 'number' || Number.isNaN(n)) throw new ExpressionError(`${name}(): ${JSON.stringify(v)} is not a number`);
  return n;
};
const text = (v: Value, name: string): string => {
  if (typeof v !== 'string') throw new ExpressionError(`${name}(): expected a string, got ${JSON.stringify(v ?? null)}`);
  return v;
};
const isEmpty = (v: Value): boolean => v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0) || (isMap(v) && Object.keys(v).length === 0);

/**
 * Timestamps as the engine writes them: ISO 8601 in UTC with seven fractional digits
 * (`2026-11-09T07:00:00.0000000Z`, format "o"). Other formats are refused by name, not guessed.
 */
export function formatTimestamp(ms: number, format: Value, name: string): string {
  if (format !== undefined && format !== null && format !== 'o' && format !== 'O') {
    throw new ExpressionError(`${name}(): the format ${JSON.stringify(format)} is not supported by the sandbox runtime (only "o", the default)`);
  }
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, (_, millis: string) => `.${millis}0000Z`);
}

function parseTimestamp(v: Value, name: string): number {
  const t = typeof v === 'string' ? Date.parse(v) : NaN;
  if (Number.isNaN(t)) throw new ExpressionError(`${name}(): ${JSON.stringify(v ?? null)} is not a timestamp (ISO 8601)`);
  return t;
}

/** The largest integer the platform's engine holds (.NET Int64). */
export const INT64_MAX = 2n ** 63n - 1n;

/**
 * The digits of an integer that a double cannot hold exactly (beyond ±2^53), as the runtime keeps such
 * a value: a string of its digits (lib/json.ts quoteUnsafeIntegers). Undefined for anything else.
 */
export function exactIntegerDigits(value: unknown): string | undefined {
  if (typeof value !== 'string' || !/^-?\d{16,}$/.test(value.trim())) return undefined;
  return Number.isSafeInteger(Number(value)) ? undefined : value.trim();
}

/** Whether an integer (its digits) fits Int64. */
export function fitsInt64(digits: string): boolean {
  const n = BigInt(digits);
  return n <= INT64_MAX && n >= -INT64_MAX - 1n;
}

/** The pure functions of the language the runtime supports (documented names and meanings). */
export const FUNCTIONS: Record<string, ExpressionFunction> = {
  // date and time (utcNow() reads the run's clock: a run function)
  addDays: fn(2, 3, ([t, days, format]) => formatTimestamp(parseTimestamp(t, 'addDays') + toNumber(days, 'addDays') * 86_400_000, format, 'addDays')),
  addHours: fn(2, 3, ([t, hours, format]) => formatTimestamp(parseTimestamp(t, 'addHours') + toNumber(hours, 'addHours') * 3_600_000, format, 'addHours')),
  // string
  concat: fn(1, Infinity, (a) => a.map(stringify).join('')),
  toLower: fn(1, 1, ([s]) => text(s, 'toLower').toLowerCase()),
  toUpper: fn(1, 1, ([s]) => text(s, 'toUpper').toUpperCase()),
  trim: fn(1, 1, ([s]) => text(s, 'trim').trim()),
  substring: fn(2, 3, ([s, start, len]) => {
    const str = text(s, 'substring');
    const from = toNumber(start, 'substring');
    return len === undefined ? str.slice(from) : str.slice(from, from + toNumber(len, 'substring'));
  }),
  replace: fn(3, 3, ([s, old, now]) => text(s, 'replace').split(text(old, 'replace')).join(text(now, 'replace'))),
  startsWith: fn(2, 2, ([s, p]) => text(s, 'startsWith').toLowerCase().startsWith(text(p, 'startsWith').toLowerCase())),
  endsWith: fn(2, 2, ([s, p]) => text(s, 'endsWith').toLowerCase().endsWith(text(p, 'endsWith').toLowerCase())),
  encodeURIComponent: fn(1, 1, ([s]) => encodeURIComponent(stringify(s))),
  decodeURIComponent: fn(1, 1, ([s]) => decodeURIComponent(text(s, 'decodeURIComponent'))),
  // collections
  length: fn(1, 1, ([v]) => {
    if (typeof v === 'string' || Array.isArray(v)) return v.length;
    throw new ExpressionError(`length(): expected a string or an array, got ${JSON.stringify(v ?? null)}`);
  }),
  empty: fn(1, 1, ([v]) => isEmpty(v)),
  contains: fn(2, 2, ([c, v]) => {
    if (typeof c === 'string') return c.includes(stringify(v));
    if (Array.isArray(c)) return c.some((x) => JSON.stringify(x) === JSON.stringify(v));
    if (isMap(c)) return typeof v === 'string' && Object.prototype.hasOwnProperty.call(c, v);
    throw new ExpressionError(`contains(): expected a string, an array or an object, got ${JSON.stringify(c ?? null)}`);
  }),
  first: fn(1, 1, ([c]) => (typeof c === 'string' ? c.slice(0, 1) : Array.isArray(c) ? (c[0] ?? null) : null)),
  last: fn(1, 1, ([c]) => (typeof c === 'string' ? c.slice(-1) : Array.isArray(c) ? (c[c.length - 1] ?? null) : null)),
  createArray: fn(0, Infinity, (a) => a.map((v) => v ?? null)),
  // union(): the items of every array, each once (the first of equal ones kept, in order).
  union: fn(2, Infinity, (a) => {
    if (!a.every(Array.isArray)) throw new ExpressionError(`union(): expected arrays, got ${a.map((v) => JSON.stringify(v ?? null)?.slice(0, 40)).join(', ')}`);
    const seen = new Set<string>();
    return (a as Json[][]).flat().filter((v) => !seen.has(JSON.stringify(v)) && Boolean(seen.add(JSON.stringify(v))));
  }),
  // sort(): ascending, by the items themselves or by a property of each (absent or null first); a stable sort.
  sort: fn(1, 2, ([c, by]) => {
    if (!Array.isArray(c)) throw new ExpressionError(`sort(): expected an array, got ${JSON.stringify(c ?? null)?.slice(0, 80)}`);
    const keyOf = (v: Json): Json => (by === undefined || by === null ? v : isMap(v) ? (v[text(by, 'sort')] ?? null) : null);
    const order = (x: Json, y: Json): number => {
      if (x === null || y === null) return x === y ? 0 : x === null ? -1 : 1;
      if (typeof x === 'number' && typeof y === 'number') return x - y;
      const [a, b] = [stringify(x), stringify(y)];
      return a < b ? -1 : a > b ? 1 : 0;
    };
    return [...c].sort((x, y) => order(keyOf(x), keyOf(y)));
  }),
  // logic
  equals: fn(2, 2, ([a, b]) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null)),
  not: fn(1, 1, ([a]) => !a),
  and: fn(1, Infinity, (a) => a.every(Boolean)),
  or: fn(1, Infinity, (a) => a.some(Boolean)),
  if: fn(3, 3, ([c, t, f]) => (c ? t : f)),
  coalesce: fn(1, Infinity, (a) => a.find((v) => v !== undefined && v !== null) ?? null),
  greater: fn(2, 2, ([a, b]) => compare(a, b) > 0),
  greaterOrEquals: fn(2, 2, ([a, b]) => compare(a, b) >= 0),
  less: fn(2, 2, ([a, b]) => compare(a, b) < 0),
  lessOrEquals: fn(2, 2, ([a, b]) => compare(a, b) <= 0),
  // math
  add: fn(2, 2, ([a, b]) => toNumber(a, 'add') + toNumber(b, 'add')),
  sub: fn(2, 2, ([a, b]) => toNumber(a, 'sub') - toNumber(b, 'sub')),
  mul: fn(2, 2, ([a, b]) => toNumber(a, 'mul') * toNumber(b, 'mul')),
  // conversion
  string: fn(1, 1, ([v]) => stringify(v)),
  int: fn(1, 1, ([v]) => {
    // An id beyond 2^53 reaches a run as its digits: kept whole up to Int64, an error beyond it (never rounded).
    const digits = exactIntegerDigits(v);
    if (digits !== undefined) {
      if (!fitsInt64(digits)) throw new ExpressionError(`int(): ${digits} is beyond Int64, the largest integer a flow holds (${INT64_MAX}); an id this long cannot be passed as an integer`);
      return digits;
    }
    const n = toNumber(v, 'int');
    if (!Number.isInteger(n)) throw new ExpressionError(`int(): ${JSON.stringify(v)} is not an integer`);
    if (!Number.isSafeInteger(n) && !fitsInt64(BigInt(n).toString())) throw new ExpressionError(`int(): ${JSON.stringify(v)} is beyond Int64, the largest integer a flow holds (${INT64_MAX})`);
    return n;
  }),
  float: fn(1, 1, ([v]) => toNumber(v, 'float')),
  bool: fn(1, 1, ([v]) => (typeof v === 'string' ? v.toLowerCase() === 'true' : Boolean(v))),
  json: fn(1, 1, ([v]) => {
    try {
      return JSON.parse(text(v, 'json')) as Json;
    } catch (e) {
      throw new ExpressionError(`json(): not valid JSON (${(e as Error).message})`);
    }
  }),
};

function compare(a: Value, b: Value): number {
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  return toNumber(a, 'compare') - toNumber(b, 'compare');
}

function lookup(name: string, scope: Scope): ExpressionFunction {
  const f = scope.functions?.[name] ?? FUNCTIONS[name];
  if (!f) {
    const error = new ExpressionError(`the function "${name}" is not supported`);
    error.functionName = name;
    throw error;
  }
  return f;
}

/** True when `name` can be called in `scope`. */
export function isKnownFunction(name: string, scope: Scope = {}): boolean {
  return (scope.functions?.[name] ?? FUNCTIONS[name]) !== undefined;
}

export function evaluateNode(node: Node, scope: Scope): Value {
  switch (node.kind) {
    case 'literal':
      return node.value;
    case 'call': {
      const f = lookup(node.name, scope);
      const [min, max] = f.arity;
      if (node.args.length < min || node.args.length > max) {
        throw new ExpressionError(`${node.name}() takes ${min === max ? min : `${min} to ${max === Infinity ? 'any number of' : max}`} argument(s), got ${node.args.length}`);
      }
      return f.run(node.args.map((a) => evaluateNode(a, scope)), scope);
    }
    case 'member': {
      const base = evaluateNode(node.object, scope);
      const key = evaluateNode(node.key, scope);
      if (base === undefined || base === null) {
        if (node.safe) return null;
        if (scope.lenient) return undefined;
        throw new ExpressionError(`cannot read ${JSON.stringify(key)} of null (use ?[...] when the value may be absent)`);
      }
      let found: Value;
      if (Array.isArray(base) && typeof key === 'number') found = base[key];
      else if (isMap(base) && typeof key === 'string') found = Object.prototype.hasOwnProperty.call(base, key) ? base[key] : undefined;
      else if (scope.lenient) return undefined;
      else if (!node.safe) throw new ExpressionError(`cannot read ${JSON.stringify(key)} of ${JSON.stringify(base).slice(0, 80)}`);
      if (found !== undefined) return found;
      if (node.safe) return null;
      if (scope.lenient) return undefined;
      throw new ExpressionError(`the property ${JSON.stringify(key)} does not exist (use ?[${JSON.stringify(key)}] when it may be absent)`);
    }
  }
}

export function evaluateTemplate(template: Template, scope: Scope): Value {
  switch (template.kind) {
    case 'text':
      return template.text;
    case 'expression':
      return evaluateNode(template.node, scope);
    case 'interpolation':
      return template.parts.map((p) => (typeof p === 'string' ? p : stringify(evaluateNode(p, scope)))).join('');
  }
}

/** Evaluates a JSON string value of a workflow definition (plain text comes back as it is). */
export function evaluateString(value: string, scope: Scope): Value {
  return evaluateTemplate(parseTemplate(value), scope);
}

// --- the pollingtrigger policy's expressions ----------------------------------------------------

export interface TriggerExpression {
  /** `@{...}` (yields a string) rather than `@...` (yields the value). */
  interpolated: boolean;
  /** The accessors after `triggerBody()`: `@{triggerBody().data[0].callID}` → ['data', 0, 'callID']. */
  accessors: Accessor[];
}

/**
 * Parses `@{triggerBody()...}` or `@triggerBody()...` with literal accessors, the only shape the
 * `pollingtrigger` policy uses (the checks read the accessors against the response schema); throws
 * ExpressionError for anything else, e.g. an unbalanced `@{triggerBody().data` or `@triggerBody().data}`.
 */
export function parseTriggerExpression(expression: string): TriggerExpression {
  if (!expression.startsWith('@')) throw new ExpressionError(`"${expression}" is not an expression (it must start with @)`);
  const template = parseTemplate(expression);
  let node: Node;
  let interpolated = false;
  if (template.kind === 'expression') node = template.node;
  else if (template.kind === 'interpolation' && template.parts.length === 1 && typeof template.parts[0] !== 'string') {
    node = template.parts[0];
    interpolated = true;
  } else throw new ExpressionError(`"${expression}": only one triggerBody() expression is understood here`);
  const accessors: Accessor[] = [];
  while (node.kind === 'member') {
    if (node.key.kind !== 'literal' || (typeof node.key.value !== 'string' && typeof node.key.value !== 'number')) {
      throw new ExpressionError(`"${expression}": accessors must be literal names or indexes`);
    }
    accessors.unshift(node.key.value);
    node = node.object;
  }
  if (node.kind !== 'call' || node.name !== 'triggerBody' || node.args.length > 0) {
    throw new ExpressionError(`unsupported expression "${expression}": only triggerBody() with accessors is understood`);
  }
  return { interpolated, accessors };
}

/**
 * Evaluates a policy expression leniently: `@{...}` to a string (undefined when the path is
 * absent), `@...` to the value. `body` is what triggerBody() returns: the parsed response body.
 */
export function evaluateTriggerExpression(expression: string, body: Json | undefined): Json | undefined {
  const parsed = parseTriggerExpression(expression);
  const scope: Scope = { lenient: true, functions: { triggerBody: fn(0, 0, () => body) } };
  const value = evaluateNode(parseExpression(parsed.interpolated ? expression.slice(2, -1) : expression.slice(1)), scope);
  if (!parsed.interpolated || value === undefined) return value;
  return typeof value === 'string' ? value : JSON.stringify(value);
}
