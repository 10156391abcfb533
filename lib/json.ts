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
 * not JSON` or `not valid JSON (<parser message>)`.
 */
export function parseJson(text: string): { ok: true; value: JsonValue } | { ok: false; why: string } {
  if (text.trim() === '') return { ok: false, why: 'empty' };
  try {
    return { ok: true, value: JSON.parse(text) as JsonValue };
  } catch (e) {
    const looksHtml = /^\s*</.test(text);
    return { ok: false, why: looksHtml ? 'an HTML/XML page, not JSON' : `not valid JSON (${(e as Error).message})` };
  }
}
