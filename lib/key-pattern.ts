/**
 * An API key in every form a server may echo it, for removing it from what is written or shown: each character as
 * it is, percent-encoded (`%2B`, either case), JSON-escaped (`\u002B`, `\/` as PHP writes a slash) or, for a space,
 * `+` (a form), in any mix, so a half-encoded URL or a JSON text quoted as it is matches too. Letters match in either
 * case (over-removing costs nothing). script.csx's `WithoutKey` does the same in C#; the recorder's scrubber
 * (contract/scrub.ts) and `npm run probe-pbx` (sandbox/pbx/probe.ts) use this one.
 */
export function keyPattern(key: string): RegExp {
  const forms = (c: string): string[] => {
    const code = c.charCodeAt(0);
    const out = [escapeRegExp(c), `\\\\u${code.toString(16).padStart(4, '0')}`];
    if (code < 128) out.push(`%${code.toString(16).padStart(2, '0')}`);
    if (c === '/') out.push('\\\\/');
    if (c === ' ') out.push('\\+');
    return out;
  };
  return new RegExp([...key].map((c) => `(?:${forms(c).join('|')})`).join(''), 'gi');
}

export function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
