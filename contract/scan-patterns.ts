/**
 * What counts as a secret or a real phone number in stored scenarios. One definition shared by
 * the scrubber (which replaces every match before anything is written) and the scanner (which
 * fails on any match in committed scenarios), so the recorder's output always passes the scan.
 */
export { canonicalPhone, fakeNumberOf, findPhoneNumbers, isFakeNumber, phonePattern, type PhoneMatch } from '../connector/brand/phone-numbers';

export type SecretKind = 'bearer' | 'jwt' | 'hex' | 'base64';

/**
 * Key-shaped strings. `base64`: a run of 24+ base64/base64url characters with upper case, lower
 * case and at least 3 digits (API keys such as `OnYSrLTH…`; identifiers like `GetCallHistory` or
 * `/api/v2/...` paths lack the digits). A `/` splits runs, so a slash-separated path is never one.
 */
export const SECRET_PATTERNS: ReadonlyArray<{ kind: SecretKind; pattern: () => RegExp; accept?: (m: string) => boolean }> = [
  { kind: 'bearer', pattern: () => /\bBearer\s+(?!<redacted>)[^\s"',;]+/gi },
  { kind: 'jwt', pattern: () => /\beyJ[A-Za-z0-9_-]{6,}\.[A-Za-z0-9_-]{6,}(?:\.[A-Za-z0-9_-]*)?/g },
  {
    kind: 'hex',
    pattern: () => /(?<![0-9A-Za-z])[0-9a-fA-F]{32,}(?![0-9A-Za-z])/g,
    accept: (m) => /[a-fA-F]/.test(m) && /\d/.test(m),
  },
  {
    kind: 'base64',
    pattern: () => /(?<![A-Za-z0-9+_=-])[A-Za-z0-9+_-]{24,}={0,2}(?![A-Za-z0-9+_=-])/g,
    accept: (m) => /[A-Z]/.test(m) && /[a-z]/.test(m) && (m.match(/\d/g) ?? []).length >= 3,
  },
];

export interface SecretMatch {
  kind: SecretKind;
  index: number;
  text: string;
}

/** All key-shaped substrings of `text`, in order. */
export function findSecrets(text: string): SecretMatch[] {
  const out: SecretMatch[] = [];
  for (const { kind, pattern, accept } of SECRET_PATTERNS) {
    for (const m of text.matchAll(pattern())) {
      if (accept && !accept(m[0])) continue;
      out.push({ kind, index: m.index ?? 0, text: m[0] });
    }
  }
  // Overlapping matches (a JWT is also base64-like) collapse into the earliest, longest one.
  out.sort((a, b) => a.index - b.index || b.text.length - a.text.length);
  const merged: SecretMatch[] = [];
  for (const m of out) {
    const last = merged[merged.length - 1];
    if (last && m.index < last.index + last.text.length) {
      const end = Math.max(last.index + last.text.length, m.index + m.text.length);
      last.text = text.slice(last.index, end);
    } else {
      merged.push({ ...m });
    }
  }
  return merged;
}

/**
 * Keys whose values are identifiers, not phone numbers: an 8-digit callID is not a caller. Pure
 * digit values under such keys are exempt from the phone rule (strings and numbers alike).
 */
export function isIdKey(key: string | undefined): boolean {
  return key !== undefined && /(?:^id$|_id$|ID$|Id$|^id_|^offset$|^limit$|^length$|^attempts$|^connectionTime$|^status$|^statusCode$|^type$)/.test(key);
}

/** Keys that hold phone numbers in this API (a bare number under one is scrubbed even as JSON number). */
export const PHONE_KEYS = new Set(['caller', 'destination', 'number', 'current_callerid', 'callerid', 'sender', 'source']);

/** A request path with its pure-digit segments (ids) blanked, so that ids are not read as numbers. */
export function pathWithoutIds(path: string): string {
  return path
    .split('/')
    .map((s) => (/^\d+$/.test(s) ? '' : s))
    .join('/');
}

/**
 * Text with the pure-digit path segments of its URLs blanked (`https://x/recordings/<8 digits>` is a
 * recording id, not a phone number). The scrubber keeps such segments, so the scanner skips them.
 */
export function urlsWithoutIds(text: string): string {
  return text.replace(/\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>?#]+/gi, (url) => url.replace(/\/\d+(?=\/|$)/g, '/'));
}

/** Shows enough of a match to find it, never the whole secret. */
export function mask(text: string): string {
  return text.length <= 6 ? text.replace(/\d(?=\d{2})/g, '•') : `${text.slice(0, 4)}…(${text.length} chars)`;
}
