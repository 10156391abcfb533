/**
 * JSON values and the two helpers every layer shares for exchange bodies: deep equality (the
 * replay, the script step server) and a parser that says why a body is not JSON (the replay, the
 * sandbox runtime).
 */
import { isObject } from './json-pointer';

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
