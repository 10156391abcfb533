/**
 * Just enough C# lexing for script.csx checks: string literals with their positions, and the
 * code with comments and string contents blanked (same length, newlines kept) so that plain
 * regular expressions never match inside a comment or a string.
 */
export interface StringLiteral {
  value: string;
  /** Offset of the opening quote (or of the `@`/`$` prefix). */
  start: number;
  /** Offset just after the closing quote. */
  end: number;
  line: number;
}

export interface ScannedScript {
  code: string;
  literals: StringLiteral[];
  lineAt(offset: number): number;
  /** A comment or string literal still open at the end of the file (or, for a regular string, of its line). */
  unterminated?: { what: 'comment' | 'string'; line: number };
}

let lastScan: { source: string; result: ScannedScript } | undefined;

/** Scans once per script text (several rules read the same script). */
export function scanCSharp(source: string): ScannedScript {
  if (lastScan?.source === source) return lastScan.result;
  const result = scan(source);
  lastScan = { source, result };
  return result;
}

function scan(source: string): ScannedScript {
  const out = source.split('');
  const literals: StringLiteral[] = [];
  const blank = (from: number, to: number): void => {
    for (let k = from; k < to; k++) if (out[k] !== '\n') out[k] = ' ';
  };
  const lineStarts = [0];
  for (let k = 0; k < source.length; k++) if (source[k] === '\n') lineStarts.push(k + 1);
  const lineAt = (offset: number): number => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
  let unterminated: ScannedScript['unterminated'];
  const open = (what: 'comment' | 'string', at: number): void => {
    unterminated ??= { what, line: lineAt(at) };
  };
  let i = 0;
  while (i < source.length) {
    const ch = source[i];
    const next = source[i + 1];
    if (ch === '/' && next === '/') {
      const end = source.indexOf('\n', i);
      const stop = end < 0 ? source.length : end;
      blank(i, stop);
      i = stop;
    } else if (ch === '/' && next === '*') {
      const end = source.indexOf('*/', i + 2);
      if (end < 0) open('comment', i);
      const stop = end < 0 ? source.length : end + 2;
      blank(i, stop);
      i = stop;
    } else if (ch === "'") {
      // char literal: '\'' or 'x'
      let j = i + 1;
      while (j < source.length && source[j] !== "'" && source[j] !== '\n') j += source[j] === '\\' ? 2 : 1;
      blank(i + 1, j);
      i = j + 1;
    } else if (ch === '"' || ((ch === '@' || ch === '$') && (next === '"' || ((next === '@' || next === '$') && source[i + 2] === '"')))) {
      const prefixEnd = source.indexOf('"', i);
      const prefix = source.slice(i, prefixEnd);
      const verbatim = prefix.includes('@');
      let j = prefixEnd + 1;
      let value = '';
      while (j < source.length) {
        const c = source[j];
        if (verbatim) {
          if (c === '"' && source[j + 1] === '"') {
            value += '"';
            j += 2;
            continue;
          }
          if (c === '"') break;
        } else {
          if (c === '\\') {
            const escaped = source[j + 1];
            value += escaped === 'n' ? '\n' : escaped === 't' ? '\t' : escaped === 'r' ? '\r' : escaped === '0' ? '\0' : escaped;
            j += 2;
            continue;
          }
          if (c === '"' || c === '\n') break;
        }
        value += c;
        j += 1;
      }
      if (j >= source.length || source[j] !== '"') open('string', i);
      blank(prefixEnd + 1, j);
      literals.push({ value, start: i, end: j + 1, line: lineAt(i) });
      i = j + 1;
    } else {
      i += 1;
    }
  }
  return { code: out.join(''), literals, lineAt, ...(unterminated ? { unterminated } : {}) };
}

/**
 * The first brace that has no partner outside strings and comments: a `}` closing nothing, or the
 * innermost `{` still open at the end (a file cut short). Undefined when the braces balance.
 */
export function unbalancedBrace(scanned: ScannedScript): { brace: '{' | '}'; line: number } | undefined {
  const opened: number[] = [];
  const { code } = scanned;
  for (let k = 0; k < code.length; k++) {
    if (code[k] === '{') opened.push(k);
    else if (code[k] === '}') {
      if (opened.length === 0) return { brace: '}', line: scanned.lineAt(k) };
      opened.pop();
    }
  }
  const last = opened.pop();
  return last === undefined ? undefined : { brace: '{', line: scanned.lineAt(last) };
}

/**
 * The namespace of ScriptBase and the script context (`IScriptContext`). Microsoft's own certified
 * scripts import it (Azure Communication Services Email, SMS and Identity), and the platform's
 * compiler has it: it is the host's own API, not one of the libraries the list below restricts.
 */
export const PLATFORM_NAMESPACE = 'Microsoft.PowerPlatform.Connectors.CustomCode.CSharp';

/** Namespaces custom code may import (platform documentation), and the platform's own. */
export const ALLOWED_NAMESPACES = [
  PLATFORM_NAMESPACE,
  'System', 'System.Collections', 'System.Collections.Generic', 'System.Diagnostics', 'System.IO', 'System.IO.Compression',
  'System.Linq', 'System.Net', 'System.Net.Http', 'System.Net.Http.Headers', 'System.Net.Security',
  'System.Security.Authentication', 'System.Security.Cryptography', 'System.Text', 'System.Text.RegularExpressions',
  'System.Threading', 'System.Threading.Tasks', 'System.Web', 'System.Xml', 'System.Xml.Linq', 'System.Drawing',
  'System.Drawing.Drawing2D', 'System.Drawing.Imaging', 'Microsoft.Extensions.Logging', 'Newtonsoft.Json', 'Newtonsoft.Json.Linq',
];

export interface UsingDirective {
  namespace: string;
  line: number;
}

/** `using X.Y;`, `using static X.Y;` and `using A = X.Y;` directives (not `using (...)` statements). */
export function usingDirectives(scanned: ScannedScript): UsingDirective[] {
  const result: UsingDirective[] = [];
  for (const m of scanned.code.matchAll(/^[ \t]*using\s+(?:static\s+)?(?:\w+\s*=\s*)?([A-Za-z_][\w.]*)(?:<[^;]*>)?\s*;/gm)) {
    result.push({ namespace: m[1], line: scanned.lineAt(m.index ?? 0) });
  }
  return result;
}

/** A string literal the code compares with the operation id, and whether that comparison ignores case. */
export interface OperationIdLiteral extends StringLiteral {
  /**
   * `StringComparison.*IgnoreCase`, a `StringComparer.*IgnoreCase` collection, or the id lowered
   * or uppered first (`OperationId.ToLower() == "x"`): the literal matches an operationId in any case.
   */
  ignoresCase: boolean;
}

const CASE_FOLDED = /IgnoreCase|\bTo(?:Lower|Upper)(?:Invariant)?\s*\(/;

/**
 * String literals the code compares with the operation id: `OperationId == "X"` (also through a
 * local such as `var operationId = Context.OperationId;`, and on `OperationId.ToLower()`), `"X" == ...`,
 * `.Equals("X")`, `"X".Equals(OperationId, StringComparison.OrdinalIgnoreCase)`,
 * `string.Equals(OperationId, "X", …)`, `case "X":` in a `switch` on it, and the members (or
 * dictionary keys) of a collection looked up with it: `new[] { "A" }.Contains(id)`, `set.Contains(id)`,
 * `map.TryGetValue(id, ...)`, `map[id]`.
 */
export function operationIdLiterals(scanned: ScannedScript): OperationIdLiteral[] {
  const { code, literals } = scanned;
  const aliases = ['OperationId'];
  // A local holding the id folded to one case (`var op = Context.OperationId.ToLower();`) compares without case.
  const foldedAliases: string[] = [];
  for (const m of code.matchAll(/\b(\w+)\s*=\s*(?:this\s*\.\s*)?(?:Context\s*\.\s*)?OperationId\b(\s*\.\s*To(?:Lower|Upper)(?:Invariant)?\s*\()?/g)) {
    if (!aliases.includes(m[1])) aliases.push(m[1]);
    if (m[2] && !foldedAliases.includes(m[1])) foldedAliases.push(m[1]);
  }
  const folds = (text: string): boolean => CASE_FOLDED.test(text) || foldedAliases.some((a) => new RegExp(`\\b${a}\\b`).test(text));
  const bare = `(?:[\\w.]*\\.)?(?:${aliases.join('|')})\\b`;
  // The id as compared: itself, or folded to one case first.
  const id = `${bare}(?:\\s*\\.\\s*To(?:Lower|Upper)(?:Invariant)?\\s*\\(\\s*\\))?`;
  const picked = new Map<StringLiteral, boolean>();
  const pick = (literal: StringLiteral, ignoresCase: boolean): void => {
    picked.set(literal, (picked.get(literal) ?? false) || ignoresCase);
  };
  const inRange = (from: number, to: number): StringLiteral[] => literals.filter((l) => l.start >= from && l.end <= to);
  const before = new RegExp(`${id}\\s*(?:==|!=)\\s*$|${id}\\s*\\.\\s*Equals\\s*\\(\\s*$|${id}\\s*,\\s*$`);
  const after = new RegExp(`^\\s*(?:==|!=)\\s*${id}|^\\s*\\.\\s*Equals\\s*\\(\\s*${id}`);
  for (const literal of literals) {
    const head = before.exec(code.slice(Math.max(0, literal.start - 80), literal.start));
    const tail = after.exec(code.slice(literal.end, literal.end + 80));
    if (!head && !tail) continue;
    // The rest of the call: `…, StringComparison.OrdinalIgnoreCase)`.
    const rest = /^[^;)|&?]*\)?/.exec(code.slice(literal.end, literal.end + 160))?.[0] ?? '';
    pick(literal, folds(`${head?.[0] ?? ''}${tail?.[0] ?? ''}${rest}`));
  }
  for (const m of code.matchAll(new RegExp(`switch\\s*\\(\\s*${id}\\s*\\)\\s*\\{`, 'g'))) {
    const open = (m.index ?? 0) + m[0].length - 1;
    const folded = folds(m[0]);
    for (const literal of inRange(open, matchingBrace(code, open))) {
      if (/case\s*$/.test(code.slice(Math.max(0, literal.start - 20), literal.start))) pick(literal, folded);
    }
  }
  const lookup = `\\s*(?:\\.\\s*(?:Contains|ContainsKey|TryGetValue)\\s*\\(\\s*|\\[\\s*)${id}`;
  // Inline: new[] { "A", "B" }.Contains(id)
  for (const m of code.matchAll(new RegExp(`\\{[^{}]*\\}\\s*\\)?${lookup}`, 'g'))) {
    const folded = folds(m[0]);
    collectionKeys(code, m.index ?? 0, inRange).forEach((l) => pick(l, folded));
  }
  // Declared: set = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { ... }; ... set.Contains(id)
  for (const m of code.matchAll(/\b(\w+)\s*=\s*new\b[^;{]*\{/g)) {
    const use = new RegExp(`\\b${m[1]}${lookup}`).exec(code);
    if (use) {
      const folded = folds(m[0]) || folds(use[0]);
      collectionKeys(code, (m.index ?? 0) + m[0].length - 1, inRange).forEach((l) => pick(l, folded));
    }
  }
  return [...picked].map(([literal, ignoresCase]) => ({ ...literal, ignoresCase })).sort((a, b) => a.start - b.start);
}

/** One member of a collection initializer: its key literal and the literals of its value. */
export interface InitializerEntry {
  key: StringLiteral;
  /** Literals of the value in order, e.g. the constructor arguments of `{ "K", new T("a", "b") }`. */
  args: StringLiteral[];
}

export interface CollectionInitializer {
  name: string;
  /** Line of the declaration. */
  line: number;
  entries: InitializerEntry[];
}

/**
 * The collection a field or local is initialised with, when it is `Name = new ... { ... }`:
 * a set or list (`{ "A", "B" }`), a dictionary (`{ { "K", new T("a", "b") } }`) or an index
 * initializer (`{ ["K"] = new T("a", "b") }`). Members whose key is not a string literal are
 * left out. Undefined when no such declaration exists.
 */
export function collectionInitializer(scanned: ScannedScript, name: string): CollectionInitializer | undefined {
  const { code, literals } = scanned;
  const m = new RegExp(`\\b${name}\\s*=\\s*new\\b[^;{]*\\{`).exec(code);
  if (!m) return undefined;
  const open = m.index + m[0].length - 1;
  const close = matchingBrace(code, open);
  const entries: InitializerEntry[] = [];
  for (const [from, to] of topLevelSegments(code, open + 1, close)) {
    const inside = literals.filter((l) => l.start >= from && l.end <= to);
    const head = code.slice(from, to).trimStart()[0];
    const first = inside[0];
    if (!first) continue;
    const before = code.slice(from, first.start).trim();
    // `"A"`, `{ "K", value }` and `["K"] = value`: the key is the first thing of the member.
    if ((head === '"' || head === '@' || head === '$') && before === '') entries.push({ key: first, args: inside.slice(1) });
    else if ((head === '{' || head === '[') && /^[{[]$/.test(before)) entries.push({ key: first, args: inside.slice(1) });
  }
  return { name, line: scanned.lineAt(m.index), entries };
}

/** [from, to) ranges of the comma-separated members between two offsets (nested brackets kept whole). */
function topLevelSegments(code: string, from: number, to: number): Array<[number, number]> {
  const segments: Array<[number, number]> = [];
  let depth = 0;
  let start = from;
  for (let k = from; k < to; k++) {
    const ch = code[k];
    if (ch === '{' || ch === '(' || ch === '[') depth += 1;
    else if (ch === '}' || ch === ')' || ch === ']') depth -= 1;
    else if (ch === ',' && depth === 0) {
      segments.push([start, k]);
      start = k + 1;
    }
  }
  segments.push([start, to]);
  return segments.filter(([a, b]) => code.slice(a, b).trim() !== '');
}

/** Members of a collection initializer: literals directly inside it, or the first literal (the key) of each `{ key, value }` entry. */
function collectionKeys(code: string, open: number, inRange: (from: number, to: number) => StringLiteral[]): StringLiteral[] {
  const close = matchingBrace(code, open);
  const keys: StringLiteral[] = [];
  for (const literal of inRange(open, close)) {
    const between = code.slice(open + 1, literal.start);
    const depth = (between.match(/\{/g) ?? []).length - (between.match(/\}/g) ?? []).length;
    // At the top level, skip arguments of a call (`{ Make("x") }`): an unclosed '(' since the last separator.
    const segment = between.slice(Math.max(between.lastIndexOf(','), between.lastIndexOf('{')) + 1);
    const inCall = (segment.match(/\(/g) ?? []).length > (segment.match(/\)/g) ?? []).length;
    if (depth === 0 && !inCall) keys.push(literal);
    else if (depth === 1 && /\{\s*$/.test(between)) keys.push(literal);
  }
  return keys;
}

function matchingBrace(code: string, open: number): number {
  let depth = 0;
  for (let k = open; k < code.length; k++) {
    if (code[k] === '{') depth += 1;
    else if (code[k] === '}') {
      depth -= 1;
      if (depth === 0) return k;
    }
  }
  return code.length;
}
