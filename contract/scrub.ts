/**
 * Scrubs a recorded exchange before anything is written: the API key, phone numbers, personal
 * names, tokens in URLs, secret-looking headers. Pure apart from the salt, which is read by
 * `loadScrubSalt` from outside the repository.
 *
 * Phone numbers become stable fakes: HMAC-SHA256(salt, canonical number) → `+3710` + 7 digits, so
 * the same real number maps to the same fake in every run that uses the same salt, and nobody can
 * reverse the mapping without the salt. Names become placeholders derived the same way
 * (`First-3fa9c1`), so one person keeps one placeholder across fields, steps and runs.
 */
import { createHmac, randomBytes } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { escapeRegExp, keyPattern } from '../lib/key-pattern';
import type { JsonValue } from './scenario';
import { REDACTED_AUTHORIZATION } from './scenario';
import { PHONE_KEYS, canonicalPhone, findPhoneNumbers, findSecrets, isIdKey } from './scan-patterns';

export const REDACTED = '<redacted>';

/** Query parameters that carry credentials in URLs (compared case-insensitively, `-`/`_` ignored). */
const SECRET_QUERY_PARAMS = new Set([
  'token', 'key', 'apikey', 'sig', 'signature', 'accesstoken', 'auth', 'authorization', 'password', 'secret',
  'code', 'session', 'sessionid', 'sid', 'xamzsignature', 'xamzcredential', 'xamzsecuritytoken', 'clientsecret',
  'refreshtoken', 'idtoken', 'sv', 'se', 'sp', 'sr', 'skoid', 'sktid',
]);

/** Headers never stored (besides Authorization, which is stored redacted). */
const SECRET_HEADER = /cookie|token|secret|session|api[-_]?key|signature|password|credential|^proxy-authorization$|^x-amz-/i;
/** Transport details that change on every call and say nothing about the API. */
const VOLATILE_HEADERS = new Set(['date', 'connection', 'keep-alive', 'transfer-encoding', 'content-length', 'age', 'x-request-id', 'x-correlation-id', 'cf-ray']);

/** Fields that are personal names: replaced by a placeholder whatever they contain. */
const NAME_FIELDS: Record<string, string> = {
  firstname: 'First',
  lastname: 'Last',
  contact_name: 'Contact',
  boxName: 'Box',
  voicemailBoxName: 'Box',
  employee_name: 'Employee',
  fullname: 'Name',
  full_name: 'Name',
};
/** Objects that describe a person or a person's device: their `name` is personal too. */
const PERSON_MARKERS = ['firstname', 'lastname', 'employee_id', 'contactID', 'number'];

function isObject(v: unknown): v is Record<string, JsonValue> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export interface ScrubberOptions {
  /** Secret key for the HMAC (see loadScrubSalt). */
  salt: string | Buffer;
  /** Literal secrets (the API key, with and without `Bearer `) removed wherever they appear. */
  secrets?: string[];
}

export class Scrubber {
  private readonly salt: Buffer;
  /** Each secret in every form it may be echoed (lib/key-pattern.ts), the longest first. */
  private readonly secrets: RegExp[];
  /** fake → canonical real number: detects (rare) hash collisions within a run. */
  private readonly fakes = new Map<string, string>();
  private readonly phones = new Map<string, string>();
  /** Known personal names (full names and their words) → placeholder. */
  private readonly names = new Map<string, string>();
  private namePattern: RegExp | undefined;

  constructor(options: ScrubberOptions) {
    this.salt = Buffer.isBuffer(options.salt) ? options.salt : Buffer.from(options.salt, 'utf8');
    if (this.salt.length < 16) throw new Error('scrub salt too short: use at least 16 bytes of random data');
    // Each secret as given and without `Bearer `, in every form a URL, a form or a JSON text would echo it.
    this.secrets = [...new Set((options.secrets ?? []).flatMap((s) => [s, s.replace(/^Bearer\s+/i, '')]).map((s) => s.trim()))]
      .filter((s) => s.length >= 4)
      .sort((a, b) => b.length - a.length)
      .map(keyPattern);
  }

  private digest(label: string, value: string, attempt = 0): Buffer {
    return createHmac('sha256', this.salt).update(`${label}\u0000${value}\u0000${attempt}`).digest();
  }

  /**
   * The stable fake for a real number, in any spelling (`+371 NNNN NNNN`, `NNNNNNNN`, `8 NNN NNNNN`…). Two real
   * numbers hashing to one fake (about 1 in 10^7 per pair) are told apart by rehashing the later
   * one within the run; only such a pair's second number may get another fake in another run.
   */
  fakePhone(real: string): string {
    const canonical = canonicalPhone(real);
    const known = this.phones.get(canonical);
    if (known) return known;
    for (let attempt = 0; ; attempt++) {
      const n = this.digest('phone', canonical, attempt).readUInt32BE(0) % 10_000_000;
      const fake = '+3710' + String(n).padStart(7, '0');
      const owner = this.fakes.get(fake);
      if (owner === undefined || owner === canonical) {
        this.fakes.set(fake, canonical);
        this.phones.set(canonical, fake);
        return fake;
      }
    }
  }

  private placeholder(kind: string, real: string): string {
    return `${kind}-${this.digest('name', real.trim().toLocaleLowerCase('lv')).toString('hex').slice(0, 6)}`;
  }

  /**
   * Learns personal names from a response or request body (firstname/lastname/contact_name…), so
   * that they are also replaced where they appear inside other strings ("Jānis galda tālrunis").
   * Call for every body of a recording run before scrubbing any of them.
   */
  learnNames(value: JsonValue | undefined): void {
    if (Array.isArray(value)) {
      value.forEach((v) => this.learnNames(v));
      return;
    }
    if (!isObject(value)) return;
    for (const [key, v] of Object.entries(value)) {
      const kind = NAME_FIELDS[key];
      if (kind && typeof v === 'string' && v.trim() !== '' && kind !== 'Box') this.learnName(kind, v);
      else this.learnNames(v);
    }
    if (typeof value.firstname === 'string' && typeof value.lastname === 'string' && value.firstname.trim() && value.lastname.trim()) {
      this.learnName('Name', `${value.firstname.trim()} ${value.lastname.trim()}`);
    }
  }

  private learnName(kind: string, full: string): void {
    const text = full.trim();
    if (!this.names.has(text)) this.names.set(text, this.placeholder(kind, text));
    for (const word of text.split(/\s+/)) {
      if (word.length >= 3 && !this.names.has(word)) this.names.set(word, this.placeholder(kind, word));
    }
    this.namePattern = undefined;
  }

  private replaceNames(text: string): string {
    if (this.names.size === 0) return text;
    this.namePattern ??= new RegExp(
      `(?<![\\p{L}\\p{N}])(?:${[...this.names.keys()].sort((a, b) => b.length - a.length).map(escapeRegExp).join('|')})(?![\\p{L}\\p{N}])`,
      'gu',
    );
    return text.replace(this.namePattern, (m) => this.names.get(m) ?? m);
  }

  /** Removes credentials from a URL: userinfo, secret query parameters, key-shaped path segments. */
  scrubUrl(raw: string): string {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      return this.scrubPlain(raw);
    }
    url.username = '';
    url.password = '';
    for (const name of [...url.searchParams.keys()]) {
      const value = url.searchParams.get(name) ?? '';
      if (SECRET_QUERY_PARAMS.has(name.toLowerCase().replace(/[-_]/g, '')) || findSecrets(value).length > 0) url.searchParams.delete(name);
      else url.searchParams.set(name, this.scrubPlain(value));
    }
    url.pathname = url.pathname.split('/').map((seg) => this.scrubSegment(seg, 'redacted')).join('/');
    if (url.hash && findSecrets(url.hash).length > 0) url.hash = '';
    return url.toString();
  }

  private scrubPhones(text: string): string {
    let out = text;
    for (const m of findPhoneNumbers(text).reverse()) out = out.slice(0, m.index) + this.fakePhone(m.text) + out.slice(m.index + m.text.length);
    return out;
  }

  private scrubSecrets(text: string): string {
    let out = text;
    for (const secret of this.secrets) out = out.replace(secret, REDACTED);
    out = out.replace(/\bBearer\s+(?!<redacted>)[^\s"',;]+/gi, REDACTED_AUTHORIZATION);
    for (const m of findSecrets(out).reverse()) {
      if (m.kind === 'bearer') continue;
      out = out.slice(0, m.index) + REDACTED + out.slice(m.index + m.text.length);
    }
    return out;
  }

  /** Free text without URL handling: secrets, e-mail addresses, names, phone numbers. */
  private scrubPlain(text: string): string {
    let out = this.scrubSecrets(text);
    out = out.replace(/[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+/gu, (m) => `user-${this.digest('email', m.toLowerCase()).toString('hex').slice(0, 6)}@example.invalid`);
    out = this.replaceNames(out);
    return this.scrubPhones(out);
  }

  /** Any string: URLs are cleaned as URLs, the rest as free text. */
  scrubText(text: string): string {
    const urlPattern = /\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>]+/gi;
    let out = '';
    let last = 0;
    for (const m of text.matchAll(urlPattern)) {
      const index = m.index ?? 0;
      out += this.scrubPlain(text.slice(last, index)) + this.scrubUrl(m[0]);
      last = index + m[0].length;
    }
    return out + this.scrubPlain(text.slice(last));
  }

  /** One percent-encoded path segment: ids stay; a key-shaped one becomes `replacement`. */
  private scrubSegment(seg: string, replacement: string): string {
    if (/^\d+$/.test(seg)) return seg;
    const decoded = safeDecode(seg);
    if (findSecrets(decoded).length > 0) return replacement;
    const clean = this.scrubPlain(decoded);
    return clean === decoded ? seg : encodeURIComponent(clean);
  }

  /** A JSON value, with key context: name fields become placeholders, ids stay ids. */
  scrubJson(value: JsonValue, key?: string, parent?: Record<string, JsonValue>): JsonValue {
    if (Array.isArray(value)) return value.map((v) => this.scrubJson(v, key, parent));
    if (isObject(value)) {
      const out: Record<string, JsonValue> = {};
      for (const [k, v] of Object.entries(value)) out[this.scrubKey(k)] = this.scrubJson(v, k, value);
      return out;
    }
    if (key !== undefined && typeof value === 'string' && value.trim() !== '') {
      const kind = NAME_FIELDS[key] ?? (key === 'name' && parent && PERSON_MARKERS.some((m) => m in parent) ? 'Name' : undefined);
      if (kind) return this.placeholder(kind, value);
    }
    if (isIdKey(key) && (typeof value === 'number' || (typeof value === 'string' && /^\d+$/.test(value)))) return value;
    if (typeof value === 'number') {
      const asText = String(value);
      const scrubbed = this.scrubPhones(asText);
      return scrubbed !== asText || (key !== undefined && PHONE_KEYS.has(key) && /^\d{8,15}$/.test(asText)) ? this.fakeIfNeeded(asText, scrubbed) : value;
    }
    if (typeof value === 'string') return this.scrubText(value);
    return value;
  }

  private fakeIfNeeded(original: string, scrubbed: string): string {
    return scrubbed !== original ? scrubbed : this.fakePhone(original);
  }

  private scrubKey(key: string): string {
    // Keys are field names in this API; a key that is itself a secret or a number is scrubbed.
    return findSecrets(key).length > 0 || findPhoneNumbers(key).length > 0 ? this.scrubText(key) : key;
  }

  /** Query parameters of the recorded request: secret ones dropped, values scrubbed. */
  scrubQuery(query: Record<string, string>): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [name, value] of Object.entries(query)) {
      if (SECRET_QUERY_PARAMS.has(name.toLowerCase().replace(/[-_]/g, ''))) continue;
      out[name] = isIdKey(name) && /^\d+$/.test(value) ? value : this.scrubText(value);
    }
    return out;
  }

  /** The request path: ids stay, anything key- or phone-shaped in other segments goes. */
  scrubPath(p: string): string {
    return p.split('/').map((seg) => this.scrubSegment(seg, encodeURIComponent(REDACTED))).join('/');
  }

  /** Request headers: Authorization redacted, secret-looking and volatile ones dropped. */
  scrubRequestHeaders(headers: Record<string, string>): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [rawName, value] of Object.entries(headers)) {
      const name = rawName.toLowerCase();
      if (name === 'authorization') out[name] = REDACTED_AUTHORIZATION;
      else if (!SECRET_HEADER.test(name) && !VOLATILE_HEADERS.has(name)) out[name] = this.scrubText(value);
    }
    return out;
  }

  /** Response headers: cookies and secret-looking ones dropped, volatile ones dropped, URLs cleaned. */
  scrubResponseHeaders(headers: Record<string, string>): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [rawName, value] of Object.entries(headers)) {
      const name = rawName.toLowerCase();
      if (name === 'authorization' || name === 'www-authenticate') out[name] = this.scrubSecrets(value);
      else if (!SECRET_HEADER.test(name) && !VOLATILE_HEADERS.has(name)) out[name] = this.scrubText(value);
    }
    return out;
  }
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

// --- the salt ---------------------------------------------------------------------------------

/** The repository root (salt files must live outside it). */
const REPO_ROOT = path.resolve(__dirname, '..');

export function defaultSaltFile(): string {
  const base = process.env.XDG_CONFIG_HOME || path.join(os.homedir(), '.config');
  return path.join(base, 'zvanu-parvaldnieks', 'scrub-salt');
}

/**
 * Reads the scrub salt: `ZP_SCRUB_SALT` (the value itself) or the file `ZP_SCRUB_SALT_FILE`
 * (default ~/.config/zvanu-parvaldnieks/scrub-salt), created with 32 random bytes (mode 600) on
 * first use. Refuses a file inside the repository, where it could be committed.
 */
export function loadScrubSalt(env: NodeJS.ProcessEnv = process.env, repoRoot: string = REPO_ROOT): { salt: Buffer; source: string } {
  if (env.ZP_SCRUB_SALT) {
    if (env.ZP_SCRUB_SALT.length < 16) throw new Error('ZP_SCRUB_SALT is too short: use at least 16 random characters.');
    return { salt: Buffer.from(env.ZP_SCRUB_SALT, 'utf8'), source: 'ZP_SCRUB_SALT' };
  }
  const file = path.resolve(env.ZP_SCRUB_SALT_FILE || defaultSaltFile());
  const relative = path.relative(path.resolve(repoRoot), file);
  if (!relative.startsWith('..') && !path.isAbsolute(relative)) {
    throw new Error(`The scrub salt file ${file} is inside the repository, where it could be committed. Point ZP_SCRUB_SALT_FILE outside ${repoRoot}.`);
  }
  if (!fs.existsSync(file)) {
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    fs.writeFileSync(file, randomBytes(32).toString('hex') + '\n', { mode: 0o600, flag: 'wx' });
  }
  const salt = fs.readFileSync(file, 'utf8').trim();
  if (salt.length < 16) throw new Error(`The scrub salt file ${file} holds fewer than 16 characters: delete it to get a new one (fakes will change).`);
  return { salt: Buffer.from(salt, 'utf8'), source: file };
}
