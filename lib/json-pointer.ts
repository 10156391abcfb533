/**
 * RFC 6901 JSON pointers and local `$ref`s: the one implementation every part of the project uses
 * (checks, compatibility guard, docs, contract harness, sandbox).
 */
export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Escapes one reference token (`~` → `~0`, `/` → `~1`). */
export function escapePointerToken(token: string | number): string {
  return String(token).replace(/~/g, '~0').replace(/\//g, '~1');
}

/** Decodes one reference token. */
export function unescapePointerToken(token: string): string {
  return token.replace(/~1/g, '/').replace(/~0/g, '~');
}

/** Builds a pointer from raw (unescaped) tokens. */
export function pointer(...tokens: Array<string | number>): string {
  return tokens.length === 0 ? '' : '/' + tokens.map(escapePointerToken).join('/');
}

/** `decodeURIComponent`, or the text as it is when its percent-encoding is broken (`#/definitions/100%`). */
function decodeFragment(fragment: string): string {
  try {
    return decodeURIComponent(fragment);
  } catch {
    return fragment;
  }
}

/** Splits a pointer into raw tokens ('' → []); accepts the URI-fragment form `#/a/b` too. */
export function parsePointer(ptr: string): string[] {
  const bare = ptr.startsWith('#') ? decodeFragment(ptr.slice(1)) : ptr;
  if (bare === '') return [];
  return bare.slice(1).split('/').map(unescapePointerToken);
}

/** The value at `ptr`, or undefined when any step is missing. */
export function getAt(root: unknown, ptr: string): unknown {
  let node: unknown = root;
  for (const token of parsePointer(ptr)) {
    if (Array.isArray(node)) node = node[Number(token)];
    else if (isObject(node)) node = Object.prototype.hasOwnProperty.call(node, token) ? node[token] : undefined;
    else return undefined;
  }
  return node;
}

export interface Located<T = unknown> {
  node: T;
  /** Pointer (without `#`) to where the node lives in the document. */
  pointer: string;
}

/** Resolves a local reference (`#/...`) in `doc`; undefined when it is not local or points nowhere. */
export function resolveLocalRef(doc: unknown, ref: string): Located | undefined {
  if (!ref.startsWith('#')) return undefined;
  const ptr = decodeFragment(ref.slice(1));
  if (ptr !== '' && !ptr.startsWith('/')) return undefined;
  const node = getAt(doc, ptr);
  return node === undefined ? undefined : { node, pointer: ptr };
}

/**
 * Follows a chain of `$ref`s from `node` (at `ptr`) to the object it stands for. Undefined for a
 * broken or cyclic chain, which callers report in their own words.
 */
export function derefChain(doc: unknown, node: unknown, ptr: string): Located<JsonObject> | undefined {
  const seen = new Set<string>();
  let current: Located = { node, pointer: ptr };
  while (isObject(current.node) && typeof current.node.$ref === 'string') {
    if (seen.has(current.pointer)) return undefined;
    seen.add(current.pointer);
    const next = resolveLocalRef(doc, current.node.$ref);
    if (!next) return undefined;
    current = next;
  }
  return isObject(current.node) ? { node: current.node, pointer: current.pointer } : undefined;
}
