/** Finds every `$ref` in a definition and classifies it by what the position expects. */
import { type Connector, isObject } from './connector';
import { pointer } from '../lib/finding';

export type RefKind = 'schema' | 'parameter' | 'response';

export interface RefSite {
  kind: RefKind;
  ref: unknown;
  /** Pointer to the object that holds `$ref`. */
  pointer: string;
  /** Keys next to `$ref` in that object. */
  siblings: string[];
}

const PREFIX: Record<RefKind, string> = { schema: '#/definitions/', parameter: '#/parameters/', response: '#/responses/' };

export function refPrefix(kind: RefKind): string {
  return PREFIX[kind];
}

function kindAt(tokens: string[]): RefKind {
  const last = tokens[tokens.length - 1];
  const before = tokens[tokens.length - 2];
  // `.../parameters/<index>`: an entry of an operation's or path item's parameter list.
  if (before === 'parameters' && /^\d+$/.test(last ?? '') && tokens[tokens.length - 3] !== 'properties') return 'parameter';
  // `/paths/<path>/<method>/responses/<code>`: a response of an operation.
  if (before === 'responses' && tokens[0] === 'paths' && tokens.length === 5) return 'response';
  return 'schema';
}

const cache = new WeakMap<Connector, RefSite[]>();

export function refSites(c: Connector): RefSite[] {
  const cached = cache.get(c);
  if (cached) return cached;
  const sites: RefSite[] = [];
  const visit = (node: unknown, tokens: string[]): void => {
    if (Array.isArray(node)) {
      node.forEach((child, i) => visit(child, [...tokens, String(i)]));
      return;
    }
    if (!isObject(node)) return;
    // Examples are data, not schema: a `$ref` key inside one is just a value.
    if (tokens[tokens.length - 1] === 'example' || tokens[tokens.length - 2] === 'examples') return;
    if ('$ref' in node) {
      sites.push({ kind: kindAt(tokens), ref: node.$ref, pointer: pointer(...tokens), siblings: Object.keys(node).filter((k) => k !== '$ref') });
    }
    for (const [key, child] of Object.entries(node)) visit(child, [...tokens, key]);
  };
  visit(c.doc, []);
  cache.set(c, sites);
  return sites;
}

/** A local reference of the right family and well-formed (`#/definitions/Name`). */
export function refIsValid(site: RefSite): boolean {
  if (typeof site.ref !== 'string') return false;
  const prefix = refPrefix(site.kind);
  return site.ref.startsWith(prefix) && site.ref.length > prefix.length;
}
