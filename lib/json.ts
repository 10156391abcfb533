/**
 * JSON values and the two helpers every layer shares for exchange bodies: deep equality (the
 * replay, the script step server) and a parser that says why a body is not JSON (the replay, the
 * sandbox runtime).
 */
import { isObject, pointer } from './json-pointer';

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** Deep equality of JSON values (object key order ignored, array order kept). */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((v, i) => deepEqual(v, b[i]));
  }
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && deepEqual(a[k], b[k]));
  }
  return false;
}

/**
 * Parses a body as JSON. On failure `why` completes "the body is …": `empty`, `an HTML/XML page,
 * not JSON` or `not valid JSON (<parser message>)`. `exactIntegers` keeps integers beyond ±2^53 whole,
 * as strings of their digits (see quoteUnsafeIntegers).
 */
export function parseJson(text: string, options: { exactIntegers?: boolean } = {}): { ok: true; value: JsonValue } | { ok: false; why: string } {
  if (text.trim() === '') return { ok: false, why: 'empty' };
  try {
    return { ok: true, value: JSON.parse(options.exactIntegers ? quoteUnsafeIntegers(text) : text) as JsonValue };
  } catch (e) {
    const looksHtml = /^\s*</.test(text);
    return { ok: false, why: looksHtml ? 'an HTML/XML page, not JSON' : `not valid JSON (${(e as Error).message})` };
  }
}

/** Where a JSON text first breaks the grammar, and what is wrong there. */
export interface JsonSyntaxError {
  /** Offset (UTF-16 code units) of the offending character, or the text's length when it ends early. */
  offset: number;
  message: string;
}

const JSON_WHITESPACE = new Set([0x20, 0x09, 0x0a, 0x0d]);

/** Characters that look like a space but are not JSON whitespace (ZohoSign's definition holds a U+2003 EM SPACE). */
const LOOKS_LIKE_SPACE = /[\u00a0\u1680\u2000-\u200b\u2028\u2029\u202f\u205f\u3000\ufeff]/;

/** A character as a message names it: `'x'`, or its code point when it is invisible. */
function describeChar(text: string, offset: number): string {
  const code = text.codePointAt(offset);
  if (code === undefined) return 'the end of the text';
  if (code < 0x20 || code === 0x7f || code === 0xfffd) return `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  return `'${String.fromCodePoint(code)}'`;
}

/**
 * Finds the first place a text breaks the JSON grammar (RFC 8259), or undefined when it is valid.
 * JSON.parse does not always say where (V8: `Unexpected token '}', "…" is not valid JSON`), and the
 * check must name a line and a column. Iterative, so any nesting depth is fine.
 */
export function locateJsonError(text: string): JsonSyntaxError | undefined {
  const n = text.length;
  const open: number[] = []; // '{' or '[' char codes of the containers still open
  let i = 0;
  let state: 'value' | 'valueOrClose' | 'key' | 'keyOrClose' | 'after' = 'value';
  const fail = (message: string, offset = i): JsonSyntaxError => ({ offset, message });
  const skipSpace = (): void => {
    while (i < n && JSON_WHITESPACE.has(text.charCodeAt(i))) i += 1;
  };
  const lastSignificant = (): string => {
    let k = i - 1;
    while (k >= 0 && JSON_WHITESPACE.has(text.charCodeAt(k))) k -= 1;
    return k >= 0 ? text[k] : '';
  };
  /** Scans the string starting at i (a '"'); returns an error or moves i past the closing quote. */
  const scanString = (): JsonSyntaxError | undefined => {
    const start = i;
    i += 1;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        i += 1;
        return undefined;
      }
      if (c === 0x5c) {
        const e = text[i + 1];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) return fail('a \\u escape needs four hexadecimal digits');
          i += 6;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) {
          i += 2;
        } else {
          return fail(`the escape \\${e ?? ''} is not JSON (escape a backslash as \\\\)`);
        }
        continue;
      }
      if (c < 0x20) return fail(`the control character ${describeChar(text, i)} must be escaped inside a string (\\n, \\t, \\u00XX)`);
      i += 1;
    }
    return fail('a string is never closed (its opening quote is here)', start);
  };
  const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
  for (;;) {
    skipSpace();
    if (i >= n) {
      if (state === 'after' && open.length === 0) return undefined;
      if (n === 0 || text.trim() === '') return fail('the file is empty', 0);
      return fail(open.length > 0 ? `the text ends while ${open.length} bracket${open.length === 1 ? ' is' : 's are'} still open` : 'the text ends where a value should be');
    }
    const c = text[i];
    if (LOOKS_LIKE_SPACE.test(c)) {
      return fail(`character U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')} is not JSON whitespace (it looks like a space: retype it as a plain space)`);
    }
    if (state === 'value' || state === 'valueOrClose') {
      if (c === ']' && state === 'valueOrClose') {
        open.pop();
        i += 1;
        state = 'after';
      } else if (c === '{') {
        open.push(0x7b);
        i += 1;
        state = 'keyOrClose';
      } else if (c === '[') {
        open.push(0x5b);
        i += 1;
        state = 'valueOrClose';
      } else if (c === '"') {
        const error = scanString();
        if (error) return error;
        state = 'after';
      } else if (c === '-' || (c >= '0' && c <= '9')) {
        NUMBER.lastIndex = i;
        const m = NUMBER.exec(text);
        if (!m) return fail(`${describeChar(text, i)} does not start a valid number`);
        i += m[0].length;
        state = 'after';
      } else if (text.startsWith('true', i) || text.startsWith('null', i)) {
        i += 4;
        state = 'after';
      } else if (text.startsWith('false', i)) {
        i += 5;
        state = 'after';
      } else if (/[A-Za-z_]/.test(c)) {
        const word = /[\w.$]+/y;
        word.lastIndex = i;
        return fail(`'${word.exec(text)?.[0].slice(0, 40)}' is not a JSON value (a string needs double quotes; the literals are true, false and null)`);
      } else if ((c === ']' || c === '}') && lastSignificant() === ',') {
        return fail(`a comma before '${c}' (JSON allows no trailing comma)`, text.lastIndexOf(',', i));
      } else {
        return fail(`${describeChar(text, i)} where a value should start`);
      }
    } else if (state === 'key' || state === 'keyOrClose') {
      if (c === '}' && state === 'keyOrClose') {
        open.pop();
        i += 1;
        state = 'after';
        continue;
      }
      if (c === '}' && lastSignificant() === ',') return fail("a comma before '}' (JSON allows no trailing comma)", text.lastIndexOf(',', i));
      if (c !== '"') return fail(`${describeChar(text, i)} where a property name in double quotes should be`);
      const error = scanString();
      if (error) return error;
      skipSpace();
      if (text[i] !== ':') return fail(`${describeChar(text, i)} after a property name, where ':' should be`);
      i += 1;
      state = 'value';
    } else {
      const top = open[open.length - 1];
      if (top === undefined) return fail(`${describeChar(text, i)} after the end of the JSON value`);
      const close = top === 0x7b ? '}' : ']';
      if (c === ',') {
        i += 1;
        state = top === 0x7b ? 'key' : 'value';
      } else if (c === close) {
        open.pop();
        i += 1;
      } else {
        return fail(`${describeChar(text, i)} where ',' or '${close}' should be`);
      }
    }
  }
}

/** Line and column (1-based, columns in characters) of an offset in a text. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let k = text.indexOf('\n'); k >= 0 && k < offset; k = text.indexOf('\n', k + 1)) {
    line += 1;
    lineStart = k + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

/**
 * How deep a parsed JSON value nests (a scalar is 0, `[]` is 1), walked without recursion. Stops at
 * the first node deeper than `limit`, returning its pointer, so that a hostile document costs
 * nothing more than reaching the bound.
 */
export function jsonDepth(value: unknown, limit = Infinity): { depth: number; deeperThanLimitAt?: string } {
  type Entry = { node: unknown; depth: number; parent: number; key: string };
  const entries: Entry[] = [{ node: value, depth: 0, parent: -1, key: '' }];
  const todo = [0];
  let depth = 0;
  while (todo.length > 0) {
    const index = todo.pop()!;
    const { node, depth: at } = entries[index];
    if (typeof node !== 'object' || node === null) continue;
    const inner = at + 1;
    if (inner > depth) depth = inner;
    if (inner > limit) {
      const tokens: string[] = [];
      for (let k = index; k > 0; k = entries[k].parent) tokens.push(entries[k].key);
      return { depth, deeperThanLimitAt: pointer(...tokens.reverse()) };
    }
    const children = Array.isArray(node) ? node.map((v, k) => [String(k), v] as const) : Object.entries(node);
    for (const [key, child] of children) {
      if (typeof child === 'object' && child !== null) {
        entries.push({ node: child, depth: inner, parent: index, key });
        todo.push(entries.length - 1);
      }
    }
  }
  return { depth };
}

/**
 * The text of a JSON document with every integer literal that a double cannot hold exactly (beyond
 * ±2^53, e.g. an id of 21 digits) turned into a string of its digits, so that `JSON.parse` keeps it
 * whole instead of rounding it. Strings are left alone; text without such a literal is returned as is.
 */
export function quoteUnsafeIntegers(text: string): string {
  if (!/\d{16}/.test(text)) return text;
  let out = '';
  let last = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      // Skip the string, escapes included.
      for (i++; i < text.length && text.charCodeAt(i) !== 0x22; i++) if (text.charCodeAt(i) === 0x5c /* \ */) i++;
      continue;
    }
    if (c === 0x2d /* - */ || (c >= 0x30 && c <= 0x39)) {
      let end = i + 1;
      while (end < text.length && /[0-9.eE+-]/.test(text[end])) end++;
      const literal = text.slice(i, end);
      if (/^-?\d{16,}$/.test(literal) && !Number.isSafeInteger(Number(literal))) {
        out += `${text.slice(last, i)}"${literal}"`;
        last = end;
      }
      i = end - 1;
    }
  }
  return last === 0 ? text : out + text.slice(last);
}

/** A key that an object of a JSON text holds more than once. */
export interface DuplicateKey {
  key: string;
  /** Offset (UTF-16 code units) of the repeated key's opening quote. */
  offset: number;
  /** JSON pointer of the member the key names (where the repeat lands). */
  pointer: string;
}

/**
 * Every key an object of a valid JSON text repeats, in text order. `JSON.parse` keeps the last
 * value in silence; other parsers keep the first or refuse the text, so a repeat is a value the
 * writer meant that one reader never sees. Iterative, one pass; the text must already parse.
 */
export function findDuplicateKeys(text: string): DuplicateKey[] {
  type Frame = { keys: Set<string>; key: string; expectKey: boolean } | { index: number };
  const stack: Frame[] = [];
  const found: DuplicateKey[] = [];
  const token = (frame: Frame): string | number => ('keys' in frame ? frame.key : frame.index);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      let end = i + 1;
      while (text.charCodeAt(end) !== 0x22) end += text.charCodeAt(end) === 0x5c /* \ */ ? 2 : 1;
      const top = stack[stack.length - 1];
      if (top !== undefined && 'keys' in top && top.expectKey) {
        const key = JSON.parse(text.slice(i, end + 1)) as string;
        top.key = key;
        top.expectKey = false;
        if (top.keys.has(key)) found.push({ key, offset: i, pointer: pointer(...stack.map(token)) });
        else top.keys.add(key);
      }
      i = end;
    } else if (c === 0x7b /* { */) {
      stack.push({ keys: new Set(), key: '', expectKey: true });
    } else if (c === 0x5b /* [ */) {
      stack.push({ index: 0 });
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      stack.pop();
    } else if (c === 0x2c /* , */) {
      const top = stack[stack.length - 1];
      if ('keys' in top) top.expectKey = true;
      else top.index += 1;
    }
  }
  return found;
}
