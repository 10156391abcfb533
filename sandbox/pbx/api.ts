/**
 * The mock PBX API, independent of the transport: `PbxApi.handle(request) → response`. The HTTP
 * server (server.ts) is a thin adapter, and the sandbox gateway can call `handle` in-process.
 *
 * Behaviour that the real API does not document is an assumption, chosen and named here (a PBX
 * profile, profiles.ts, sets each one per run):
 * - lists are newest first (highest id first) unless `order: 'oldest-first'`, or only roughly newest
 *   first (`'newest-first-swapped'`: each pair of neighbouring ids comes out swapped);
 * - `initial_<x>_id` keeps items whose id is greater than it (missing = 0);
 * - an empty list is 200 with `data: []` unless `emptyList: 'not-found'` (404 with the message of the
 *   published reference page);
 * - optional: a full page carries one item twice (`overrun`), ids are rendered as integers beyond
 *   2^64 (`bigIds`, written as exact JSON text), every answer of the PBX's host carries `Location`,
 *   `Retry-After` and `Set-Cookie` of the PBX's own (`extraHeaders`);
 * - recording links of the kinds the store writes (recordings.ts; a profile's `recordingLinks`), each
 *   served here or by the storage host (`handleStorage`);
 * - unknown query parameters are ignored; malformed known ones get 422;
 * - the 21st webhook registration gets 422 (the production definition declares 403/404/422 and
 *   no 409, so a connector built from it already expects 422) with a message naming the limit;
 * - a missing or wrong key gets 401, a caller outside the key's IP allow-list 403;
 * - optional, set per run: a silent page-size cap and a wall-clock latency per request (server.ts).
 */
import { canonicalPhone } from '../../connector/brand/phone-numbers';
import { quoteUnsafeIntegers } from '../../lib/json';
import { SlidingWindowLimiter } from '../gateway/rate-limit';
import { PbxStore, WebhookLimitError } from './store';
import { failure, success, type Envelope } from './envelope';
import { ID_KEYS, type EntityKind, type EntityMap } from './model';
import { parseDateFilter, parseTimestamp } from './time';
import { presignedLink, recordingAudio, validSignature } from './recordings';
import {
  audioPromptView,
  callHistoryView,
  contactView,
  groupView,
  lostCallView,
  recordingView,
  voicemailBoxView,
  voicemailView,
  voipEndpointView,
  type AbsentValueStyle,
  type ApiObject,
  type ViewOptions,
} from './views';

export const BASE_PATH = '/api/v2';

export interface PbxRequest {
  method: string;
  /** Path as received, without the query string (percent-encoded). */
  path: string;
  query: Record<string, string>;
  /** Lower-case header names. */
  headers: Record<string, string | undefined>;
  /** Raw body text ('' when none). */
  body: string;
  remoteAddress?: string;
}

export interface PbxResponse {
  status: number;
  headers: Record<string, string>;
  /** Text (JSON, an error page), or bytes (a recording's audio). */
  body: string | Buffer;
}

export type ListOrder = 'newest-first' | 'oldest-first' | 'newest-first-swapped';

export interface RateLimit {
  requests: number;
  windowMs: number;
}

export interface ApiOptions {
  /** The one valid API key (sent as `Authorization: Bearer <key>`). */
  apiKey: string;
  order: ListOrder;
  /** Page size when `limit` is absent (the real default is unknown). */
  defaultLimit: number;
  maxLimit: number;
  emptyList: 'ok' | 'not-found';
  absent: AbsentValueStyle;
  /** IPv4 addresses or CIDR ranges allowed to call; undefined = everyone. */
  allowedIps?: string[];
  /** PBX-side rate limit (the real one is unknown); undefined = none. */
  rateLimit?: RateLimit;
  /** A silent page-size cap: lists return at most this many items whatever `limit` asks (no error, no hint). */
  pageCap?: number;
  /** Wall-clock delay of every answer (ms, real time), uniform jitter of ±`latencyJitter` (0.2 = ±20 %); 0 = none. */
  latencyMs: number;
  latencyJitter: number;
  /** A full page carries one of its items twice (limit + 1 entries, one id repeated). */
  overrun: boolean;
  /** Ids are rendered as JSON integers beyond 2^64 (BIG_ID_BASE + the store's id), exact in the text. */
  bigIds: boolean;
  /** Every answer carries the PBX's own `Location`, `Retry-After` and `Set-Cookie` (EXTRA_HEADERS). */
  extraHeaders: boolean;
  /**
   * Where a client reaches the hosts the PBX's links name (`https://<host>` → a local origin such as
   * `http://127.0.0.1:4100`) when it reaches this mock without the sandbox's network: links in answers and
   * redirects are written with them. startPbxServer without a `publicHost` sets its own; undefined = none.
   */
  linkOrigins?: Readonly<Record<string, string>>;
  now: () => number;
}

export const DEFAULT_API_OPTIONS: Omit<ApiOptions, 'apiKey'> = {
  order: 'newest-first',
  defaultLimit: 50,
  maxLimit: 1000,
  emptyList: 'ok',
  absent: 'null',
  latencyMs: 0,
  latencyJitter: 0.2,
  overrun: false,
  bigIds: false,
  extraHeaders: false,
  now: Date.now,
};

/** The published reference page's message for a list with nothing in it ("common errors"). */
export const NO_ITEMS_MESSAGE =
  "There are no items found based on the request. Please make sure that items exist and check the filter fields if they're filled correctly.";

/** With `bigIds`, an item's id in the API is this plus its id in the store: 21 digits, beyond 2^64. */
export const BIG_ID_BASE = 10n ** 20n;

/** Headers a PBX might add on its own (`extraHeaders`); none of them is for the platform. */
export const EXTRA_HEADERS: Readonly<Record<string, string>> = {
  location: 'https://pbx-location.invalid/api/v2/session',
  'retry-after': '30',
  'set-cookie': 'PBXSESSID=5e55i0n0000mock; Path=/; HttpOnly; Secure',
};

/** Fields that hold an id of some item (the id keys of every kind and the references between them). */
const ID_FIELDS: ReadonlySet<string> = new Set(['callID', 'contactID', 'previous_contactID', 'groupID', 'recordingID', 'voicemailBoxID', 'voicemailID', 'clientID', 'employee_id', 'id']);

/** A canned misbehaviour, for testing how clients cope with a broken backend. */
export type Fault =
  | { kind: 'html-500' }
  | { kind: 'non-json-200' }
  | { kind: 'response'; status: number; headers?: Record<string, string>; body: string };

export interface FaultRule {
  fault: Fault;
  /** How many matching requests get the fault (default 1; Infinity = until cleared). */
  times?: number;
  /** Only requests whose path (after the base path) starts with this, e.g. `/trigger/`. */
  pathPrefix?: string;
}

export interface ObservedExchange {
  request: PbxRequest;
  response: PbxResponse;
  /** The operation the request was routed to, when known (e.g. `list:calls`, `webhook:register`). */
  route: string;
}

export type RequestObserver = (exchange: ObservedExchange) => void;

class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

// --- parameter parsing ---------------------------------------------------------------------

function intParam(query: Record<string, string>, name: string, min = 0, toNumber: (digits: string) => number = Number): number | undefined {
  const raw = query[name];
  if (raw === undefined || raw === '') return undefined;
  if (!/^-?\d+$/.test(raw.trim())) throw new ApiError(422, `Parameter '${name}' must be an integer, got '${raw}'.`);
  const n = raw.trim().startsWith('-') ? Number(raw.trim()) : toNumber(raw.trim());
  if (n < min) throw new ApiError(422, `Parameter '${name}' must be at least ${min}, got ${n}.`);
  return n;
}

function dateParam(query: Record<string, string>, name: string, edge: 'from' | 'to'): number | undefined {
  const raw = query[name];
  if (raw === undefined || raw === '') return undefined;
  const t = parseDateFilter(raw, edge);
  if (t === undefined) {
    throw new ApiError(422, `Parameter '${name}' must be a date or date-time (e.g. 2026-11-02 or 2026-11-02T09:15:00+02:00), got '${raw}'.`);
  }
  return t;
}

/** Canonical form for comparing phone numbers, in any spelling of any brand's market (`+371 NNNN NNNN` = `NNNNNNNN`). */
export const normaliseNumber = canonicalPhone;

// --- list resources (data: which filters each list takes) ---------------------------------

type FilterKind = 'integer' | 'number' | 'direction' | 'date-range';

interface ListFilter<K extends EntityKind> {
  param: string;
  kind: FilterKind;
  /** For integer/number/direction filters: does the item match the value? */
  match?: (item: EntityMap[K], value: string & number, store: PbxStore) => boolean;
  /** For date-range filters: the item's timestamp. */
  time?: (item: EntityMap[K], store: PbxStore) => string | undefined;
}

interface ListResource<K extends EntityKind> {
  kind: K;
  /** `/trigger/<segment>` and `/<segment>/{id}`. */
  segment: string;
  cursorParam?: string;
  render: (store: PbxStore, item: EntityMap[K], opts: ViewOptions) => ApiObject;
  filters: Array<ListFilter<K>>;
}

const byNumber = <K extends EntityKind>(param: string, field: (item: EntityMap[K]) => string): ListFilter<K> => ({
  param,
  kind: 'number',
  match: (item, value) => normaliseNumber(field(item)) === normaliseNumber(String(value)),
});

const byInt = <K extends EntityKind>(param: string, match: (item: EntityMap[K], value: number, store: PbxStore) => boolean): ListFilter<K> => ({
  param,
  kind: 'integer',
  match: (item, value, store) => match(item, value, store),
});

const callOf = (store: PbxStore, callID: number) => store.view('calls').find((c) => c.callID === callID);

const RESOURCES = {
  contacts: {
    kind: 'contacts',
    segment: 'contacts',
    cursorParam: 'initial_contact_id',
    render: (store, c) => contactView(store, c),
    filters: [byInt('contact_id', (c, v) => c.contactID === v)],
  } satisfies ListResource<'contacts'>,
  groups: {
    kind: 'groups',
    segment: 'groups',
    cursorParam: 'initial_group_id',
    render: (_store, g) => groupView(g),
    filters: [byInt('group_id', (g, v) => g.groupID === v), byInt('contact_id', (g, v) => g.members.includes(v))],
  } satisfies ListResource<'groups'>,
  recordings: {
    kind: 'recordings',
    segment: 'call_records',
    cursorParam: 'initial_record_id',
    render: (store, r, opts) => recordingView(store, r, opts),
    filters: [
      byInt('record_id', (r, v) => r.recordingID === v),
      { param: 'destination', kind: 'number', match: (r, v, s) => normaliseNumber(callOf(s, r.callID)?.destination ?? '') === normaliseNumber(v) },
      { param: 'source', kind: 'number', match: (r, v, s) => normaliseNumber(callOf(s, r.callID)?.caller ?? '') === normaliseNumber(v) },
      { param: 'direction', kind: 'direction', match: (r, v, s) => callOf(s, r.callID)?.direction === v },
      byInt('contact_id', (r, v, s) => callOf(s, r.callID)?.contactID === v),
      { param: 'date', kind: 'date-range', time: (r, s) => callOf(s, r.callID)?.callStarted },
    ],
  } satisfies ListResource<'recordings'>,
  calls: {
    kind: 'calls',
    segment: 'call_history',
    cursorParam: 'initial_call_id',
    render: (store, c, opts) => callHistoryView(store, c, opts),
    filters: [
      byInt('call_id', (c, v) => c.callID === v),
      byNumber('destination', (c) => c.destination),
      byNumber('source', (c) => c.caller),
      { param: 'direction', kind: 'direction', match: (c, v) => c.direction === v },
      byInt('contact_id', (c, v) => c.contactID === v || c.transferredTo === v),
      { param: 'date', kind: 'date-range', time: (c) => c.callStarted },
    ],
  } satisfies ListResource<'calls'>,
  voicemailBoxes: {
    kind: 'voicemailBoxes',
    segment: 'voicemail_boxes',
    cursorParam: 'initial_box_id',
    render: (_store, b) => voicemailBoxView(b),
    filters: [byInt('box_id', (b, v) => b.voicemailBoxID === v)],
  } satisfies ListResource<'voicemailBoxes'>,
  voicemails: {
    kind: 'voicemails',
    segment: 'voicemails',
    cursorParam: 'initial_voicemail_id',
    render: (store, v) => voicemailView(store, v),
    filters: [
      byInt('voicemail_id', (v, n) => v.voicemailID === n),
      byNumber('source', (v) => v.sender),
      byInt('contact_id', (v, n, s) => s.view('voicemailBoxes').find((b) => b.voicemailBoxID === v.voicemailBoxID)?.clientID === n),
      byInt('box_id', (v, n) => v.voicemailBoxID === n),
      { param: 'date', kind: 'date-range', time: (v) => v.callStarted },
    ],
  } satisfies ListResource<'voicemails'>,
  audioPrompts: {
    kind: 'audioPrompts',
    segment: 'audio_prompts',
    cursorParam: 'initial_prompt_id',
    render: (_store, p) => audioPromptView(p),
    filters: [byInt('prompt_id', (p, v) => p.id === v)],
  } satisfies ListResource<'audioPrompts'>,
  voipEndpoints: {
    kind: 'voipEndpoints',
    segment: 'voip_endpoints',
    cursorParam: 'initial_endpoint_id',
    render: (_store, e) => voipEndpointView(e),
    filters: [byInt('endpoint_id', (e, v) => e.id === v)],
  } satisfies ListResource<'voipEndpoints'>,
  lostCalls: {
    kind: 'lostCalls',
    segment: 'lost_calls',
    render: (_store, l) => lostCallView(l),
    filters: [byNumber('destination', (l) => l.destination), { param: 'date', kind: 'date-range', time: (l) => l.last_contact }],
  } satisfies ListResource<'lostCalls'>,
} as const;

type AnyResource = ListResource<EntityKind>;
const RESOURCE_LIST = Object.values(RESOURCES) as unknown as AnyResource[];
const BY_SEGMENT = new Map(RESOURCE_LIST.map((r) => [r.segment, r]));

// --- the API ---------------------------------------------------------------------------------

/** A big id on its way into the JSON text: JSON.stringify writes the marker, `exactJson` the digits. */
const BIG_MARK = '\u0000big-id:';
const BIG_MARKED = /"\\u0000big-id:(\d+)"/g;

function exactJson(value: unknown): string {
  return JSON.stringify(value).replace(BIG_MARKED, '$1');
}

function ipv4ToInt(ip: string): number | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(ip);
  if (!m) return undefined;
  const parts = m.slice(1).map(Number);
  if (parts.some((p) => p > 255)) return undefined;
  return ((parts[0] << 24) | (parts[1] << 16) | (parts[2] << 8) | parts[3]) >>> 0;
}

/** Does `ip` fall in `rule` (an address or an IPv4 CIDR such as `0.0.0.0/0`)? */
export function ipAllowed(ip: string, rule: string): boolean {
  const address = ip.replace(/^::ffff:/, '');
  const [base, bitsText] = rule.split('/');
  if (bitsText === undefined) return address === base || (base === '::1' && address === '::1');
  const bits = Number(bitsText);
  const a = ipv4ToInt(address);
  const b = ipv4ToInt(base);
  if (a === undefined || b === undefined || !(bits >= 0 && bits <= 32)) return false;
  const mask = bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0;
  return (a & mask) === (b & mask);
}

export const HTML_500_PAGE =
  '<!DOCTYPE html>\n<html><head><title>500 Internal Server Error</title></head>\n' +
  '<body><h1>Internal Server Error</h1><p>The server encountered an internal error.</p></body></html>\n';

export class PbxApi {
  readonly options: ApiOptions;
  private faults: Array<Required<Pick<FaultRule, 'fault' | 'times'>> & { pathPrefix?: string }> = [];
  private readonly observers = new Set<RequestObserver>();
  /** The sliding window of `options.rateLimit`, made on first use (the PBX has one, for every key). */
  private limiter: SlidingWindowLimiter | undefined;

  constructor(
    readonly store: PbxStore,
    options: Partial<ApiOptions> & { apiKey: string },
  ) {
    if (!options.apiKey) throw new Error('PbxApi needs the valid API key (options.apiKey)');
    this.options = { ...DEFAULT_API_OPTIONS, ...options };
  }

  /** Changes behaviour at runtime (order, rate limit, allow-list, …). */
  configure(options: Partial<ApiOptions>): void {
    // A new limit starts a new window (hits counted under the old one would skew it).
    if ('rateLimit' in options) this.limiter = undefined;
    Object.assign(this.options, options);
  }

  injectFault(rule: FaultRule): void {
    this.faults.push({ fault: rule.fault, times: rule.times ?? 1, pathPrefix: rule.pathPrefix });
  }

  clearFaults(): void {
    this.faults = [];
  }

  /** This request's wall-clock latency (ms): latencyMs with uniform jitter; 0 when none is set. */
  latency(random: () => number = Math.random): number {
    const { latencyMs, latencyJitter } = this.options;
    if (!(latencyMs > 0)) return 0;
    return Math.max(0, latencyMs * (1 + latencyJitter * (2 * random() - 1)));
  }

  /** The id of a stored item as the API writes it (its digits): the store's id, or beyond 2^64 with `bigIds`. */
  publicId(id: number): string {
    return this.options.bigIds ? (BIG_ID_BASE + BigInt(id)).toString() : String(id);
  }

  /**
   * The store's id for an id the API received (digits): with `bigIds`, an id below BIG_ID_BASE names
   * nothing (0; -1 when `unknownIs` says so, e.g. for a filter) and one far beyond any item is Infinity.
   */
  storeId(digits: string, unknownIs = 0): number {
    if (!this.options.bigIds) return Number(digits);
    const n = BigInt(digits) - BIG_ID_BASE;
    if (n < 0n) return unknownIs;
    return n > BigInt(Number.MAX_SAFE_INTEGER) ? Infinity : Number(n);
  }

  /** An answer in the envelope, with the profile's rendering: big ids as exact digits, links reachable, extra headers. */
  private answer(status: number, envelope: Envelope, headers: Record<string, string> = {}): PbxResponse {
    return { status, headers: { 'content-type': 'application/json; charset=utf-8', ...this.extraHeaders(), ...headers }, body: this.jsonText(envelope) };
  }

  /**
   * A body as the PBX writes it (its answers, and a webhook event it sends of its own accord): JSON text with
   * the profile's ids and links, so under `bigIds` an event names an item by the same public id a read of it answers.
   */
  jsonText(value: unknown): string {
    if (!this.options.bigIds && this.options.linkOrigins === undefined) return JSON.stringify(value);
    return exactJson(this.rendered(value));
  }

  /** The PBX's own headers on every answer of its host (`extraHeaders`); an answer's own headers win over them. */
  private extraHeaders(): Record<string, string> {
    return this.options.extraHeaders ? EXTRA_HEADERS : {};
  }

  /** A link as a client of this mock reaches it (`linkOrigins`); unchanged when it names no host listed there. */
  reachable(link: string): string {
    for (const [origin, local] of Object.entries(this.options.linkOrigins ?? {})) {
      if (link.startsWith(`${origin}/`)) return local + link.slice(origin.length);
    }
    return link;
  }

  private rendered(value: unknown, key?: string): unknown {
    if (Array.isArray(value)) return value.map((v) => this.rendered(v, key));
    if (value !== null && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this.rendered(v, k)]));
    }
    if (this.options.bigIds && key !== undefined && ID_FIELDS.has(key) && Number.isInteger(value)) return BIG_MARK + this.publicId(value as number);
    if (typeof value === 'string') return this.reachable(value);
    return value;
  }

  /** Calls `observer` after every request with the request, the response and the route. */
  onRequest(observer: RequestObserver): () => void {
    this.observers.add(observer);
    return () => this.observers.delete(observer);
  }

  handle(request: PbxRequest): PbxResponse {
    let route = 'unknown';
    let response: PbxResponse;
    try {
      const result = this.dispatch(request);
      route = result.route;
      response = result.response;
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      response = this.answer(e.status, failure(e.status, e.message), e.headers);
    }
    for (const observer of [...this.observers]) observer({ request, response, route });
    return response;
  }

  private takeFault(subPath: string): Fault | undefined {
    const index = this.faults.findIndex((f) => f.times > 0 && (f.pathPrefix === undefined || subPath.startsWith(f.pathPrefix)));
    if (index < 0) return undefined;
    const rule = this.faults[index];
    rule.times -= 1;
    if (rule.times <= 0) this.faults.splice(index, 1);
    return rule.fault;
  }

  private dispatch(request: PbxRequest): { route: string; response: PbxResponse } {
    const path = request.path.replace(/\/{2,}/g, '/');
    if (path !== BASE_PATH && !path.startsWith(BASE_PATH + '/')) {
      throw new ApiError(404, `Unknown path '${request.path}': the API lives under ${BASE_PATH}/.`);
    }
    const subPath = path.slice(BASE_PATH.length).replace(/\/$/, '') || '/';

    const fault = this.takeFault(subPath);
    if (fault) return { route: 'fault', response: renderFault(fault) };

    this.authenticate(request);
    this.checkIp(request);
    this.checkRateLimit();

    const method = request.method.toUpperCase();
    const segments = subPath.split('/').filter(Boolean).map((s) => decodeURIComponent(s));
    const [first, second, ...rest] = segments;
    if (first === 'recordings' && second !== undefined && rest.length === 1 && (rest[0] === 'audio' || rest[0] === 'download')) {
      requireMethod(method, 'GET');
      const recording = this.recording(second);
      // The file on the PBX's own host, or a redirect from there to its pre-signed link elsewhere.
      if (rest[0] === 'audio') {
        const file = audio(recording.recordingID);
        return { route: 'file:pbx', response: { ...file, headers: { ...this.extraHeaders(), ...file.headers } } };
      }
      const location = this.reachable(presignedLink(recording.recordingID));
      return { route: 'file:redirect', response: { status: 302, headers: { ...this.extraHeaders(), location, 'content-type': 'text/plain' }, body: '' } };
    }
    if (rest.length > 0) throw new ApiError(404, `Unknown path '${request.path}'.`);

    if (first === 'trigger' && second !== undefined) {
      const resource = BY_SEGMENT.get(second);
      if (!resource || !resource.cursorParam) throw new ApiError(404, `Unknown list '${second}'.`);
      requireMethod(method, 'GET');
      return { route: `list:${resource.kind}`, response: this.list(resource, request.query) };
    }
    if (first === 'lost_calls' && second === undefined) {
      requireMethod(method, 'GET');
      return { route: 'list:lostCalls', response: this.list(RESOURCES.lostCalls as unknown as AnyResource, request.query) };
    }
    if (first === 'dial' && second === undefined) {
      requireMethod(method, 'POST');
      return { route: 'dial', response: this.dial(request.body) };
    }
    if (first === 'webhooks' && second !== undefined) {
      if (method === 'DELETE') return { route: 'webhook:delete', response: this.deleteWebhook(second) };
      requireMethod(method, 'POST');
      return { route: 'webhook:register', response: this.registerWebhook(second, request.body) };
    }
    const resource = first !== undefined ? BY_SEGMENT.get(first) : undefined;
    if (resource && resource.cursorParam && second !== undefined) {
      requireMethod(method, 'GET');
      return { route: `get:${resource.kind}`, response: this.byId(resource, second) };
    }
    throw new ApiError(404, `Unknown path '${request.path}'.`);
  }

  private recording(rawId: string): EntityMap['recordings'] {
    if (!/^\d+$/.test(rawId)) throw new ApiError(422, `Parameter 'record_id' must be an integer, got '${rawId}'.`);
    const recording = this.store.get('recordings', Number(rawId));
    if (!recording) throw new ApiError(404, `No call recording with id ${rawId}.`);
    return recording;
  }

  /**
   * The storage host of pre-signed links (RECORDING_STORAGE_HOST), served by the same mock: GET
   * /rec/<id>.wav with a valid signature answers the file. Like a storage service, it answers errors in
   * XML, refuses a request that brings an Authorization header besides the signature (400) and a bad or
   * missing signature (403). Observers hear it as the route `storage:file`.
   */
  handleStorage(request: PbxRequest): PbxResponse {
    const xml = (status: number, code: string, message: string): PbxResponse => ({
      status,
      headers: { 'content-type': 'application/xml' },
      body: `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message></Error>\n`,
    });
    const m = /^\/rec\/(\d+)\.wav$/.exec(request.path);
    let response: PbxResponse;
    if (!m || request.method.toUpperCase() !== 'GET') response = xml(404, 'NoSuchKey', 'The specified key does not exist.');
    else if ((request.headers.authorization ?? '') !== '') response = xml(400, 'InvalidArgument', 'Only one auth mechanism allowed: the query signature, not an Authorization header.');
    else if (!validSignature(Number(m[1]), request.query)) response = xml(403, 'SignatureDoesNotMatch', 'The request signature does not match.');
    else if (!this.store.get('recordings', Number(m[1]))) response = xml(404, 'NoSuchKey', 'The specified key does not exist.');
    else response = audio(Number(m[1]));
    for (const observer of [...this.observers]) observer({ request, response, route: 'storage:file' });
    return response;
  }

  private authenticate(request: PbxRequest): void {
    const header = request.headers['authorization'];
    if (header === undefined || header.trim() === '') {
      throw new ApiError(401, 'Missing API key: send the header "Authorization: Bearer <api key>".');
    }
    const m = /^Bearer\s+(\S+)\s*$/i.exec(header.trim());
    if (!m) throw new ApiError(401, 'Malformed Authorization header: expected "Bearer <api key>".');
    if (m[1] !== this.options.apiKey) throw new ApiError(401, 'Invalid API key.');
  }

  private checkIp(request: PbxRequest): void {
    const allowed = this.options.allowedIps;
    if (allowed === undefined) return;
    const ip = request.remoteAddress ?? '';
    if (!allowed.some((rule) => ipAllowed(ip, rule))) {
      throw new ApiError(403, `Access from IP address ${ip || '(unknown)'} is not allowed for this API key: add it to the key's IP ACL.`);
    }
  }

  private checkRateLimit(): void {
    const limit = this.options.rateLimit;
    if (!limit) return;
    if (this.limiter?.calls !== limit.requests || this.limiter.windowMs !== limit.windowMs) {
      this.limiter = new SlidingWindowLimiter(limit.requests, limit.windowMs, () => this.options.now());
    }
    const decision = this.limiter.take('pbx');
    if (!decision.allowed) {
      const retryAfter = decision.retryAfterSeconds;
      throw new ApiError(
        429,
        `Too many requests: at most ${limit.requests} per ${limit.windowMs / 1000} s. Retry after ${retryAfter} s.`,
        { 'retry-after': String(retryAfter) },
      );
    }
  }

  private byId(resource: AnyResource, rawId: string): PbxResponse {
    const idParam = resource.filters[0].param;
    if (!/^\d+$/.test(rawId)) throw new ApiError(422, `Parameter '${idParam}' must be an integer, got '${rawId}'.`);
    const item = this.store.get(resource.kind, this.storeId(rawId, -1));
    if (!item) throw new ApiError(404, `No ${resource.segment.replace(/_/g, ' ')} item with id ${rawId}.`);
    return this.answer(200, success(resource.render(this.store, item, this.viewOptions())));
  }

  private viewOptions(): ViewOptions {
    return { absent: this.options.absent };
  }

  private list(resource: AnyResource, query: Record<string, string>): PbxResponse {
    const limit = intParam(query, 'limit', 1) ?? this.options.defaultLimit;
    if (limit > this.options.maxLimit) throw new ApiError(422, `Parameter 'limit' must be at most ${this.options.maxLimit}, got ${limit}.`);
    const offset = intParam(query, 'offset', 0) ?? 0;
    const cursor = resource.cursorParam ? (intParam(query, resource.cursorParam, 0, (d) => this.storeId(d)) ?? 0) : 0;

    const predicates: Array<(item: EntityMap[EntityKind]) => boolean> = [];
    for (const filter of resource.filters) {
      if (filter.kind === 'date-range') {
        const from = dateParam(query, 'date_from', 'from');
        const to = dateParam(query, 'date_to', 'to');
        if (from !== undefined || to !== undefined) {
          predicates.push((item) => {
            const stamp = filter.time?.(item, this.store);
            if (stamp === undefined) return false;
            const t = parseTimestamp(stamp);
            return (from === undefined || t >= from) && (to === undefined || t <= to);
          });
        }
        continue;
      }
      const raw = query[filter.param];
      if (raw === undefined || raw === '') continue;
      let value: string | number = raw;
      if (filter.kind === 'integer') value = intParam(query, filter.param, 0, (d) => this.storeId(d, -1)) as number;
      if (filter.kind === 'direction' && raw !== 'in' && raw !== 'out') {
        throw new ApiError(422, `Parameter 'direction' must be "in" or "out", got '${raw}'.`);
      }
      predicates.push((item) => filter.match!(item, value as string & number, this.store));
    }

    const idKey = ID_KEYS[resource.kind] as string;
    const idOf = (item: EntityMap[EntityKind]): number => (item as unknown as Record<string, number>)[idKey];
    let items = this.store.view(resource.kind).filter((item) => idOf(item) > cursor && predicates.every((p) => p(item)));
    if (resource.kind === 'lostCalls') {
      // Lost calls have no public id: order by the last contact, then by the internal id.
      const key = (item: EntityMap[EntityKind]) => parseTimestamp((item as EntityMap['lostCalls']).last_contact);
      items = [...items].sort((a, b) => key(a) - key(b) || idOf(a) - idOf(b));
    }
    if (this.options.order !== 'oldest-first') items = [...items].reverse();
    if (this.options.order === 'newest-first-swapped') {
      // Each pair of neighbouring ids (2k, 2k+1) comes out in the wrong order; the pairs themselves stay newest
      // first. Lost calls have no public id: their pairs are by place in time order.
      const rank = new Map(items.map((item, i) => [item, resource.kind === 'lostCalls' ? items.length - i : idOf(item)]));
      items = [...items].sort((a, b) => (rank.get(b)! ^ 1) - (rank.get(a)! ^ 1));
    }
    const pageSize = this.options.pageCap !== undefined ? Math.min(limit, this.options.pageCap) : limit;
    const page = items.slice(offset, offset + pageSize);
    if (this.options.overrun && page.length === pageSize) {
      // One item of a full page comes twice, next to itself (as a join would write it): limit + 1 entries.
      const middle = Math.floor(page.length / 2);
      page.splice(middle, 0, page[middle]);
    }
    if (page.length === 0 && this.options.emptyList === 'not-found') {
      throw new ApiError(404, NO_ITEMS_MESSAGE);
    }
    const opts = this.viewOptions();
    return this.answer(200, success(page.map((item) => resource.render(this.store, item, opts))));
  }

  private registerWebhook(event: string, body: string): PbxResponse {
    if (!PbxStore.isWebhookEvent(event)) {
      throw new ApiError(404, `Unknown webhook event '${event}'.`);
    }
    const parsed = parseJsonBody(body, '{"endpoint": "<callback URL>"}');
    const endpoint = (parsed as Record<string, unknown>).endpoint;
    if (typeof endpoint !== 'string' || !/^https?:\/\/[^\s/]+/.test(endpoint)) {
      throw new ApiError(422, `Field 'endpoint' must be an http(s) URL, got ${JSON.stringify(endpoint ?? null)}.`);
    }
    try {
      const hook = this.store.registerWebhook(event, endpoint);
      return this.answer(200, success(this.publicId(hook.id)));
    } catch (e) {
      if (e instanceof WebhookLimitError) throw new ApiError(422, e.message);
      throw e;
    }
  }

  private deleteWebhook(rawId: string): PbxResponse {
    if (!/^\d+$/.test(rawId)) throw new ApiError(422, `Parameter 'webhook_id' must be an integer, got '${rawId}'.`);
    if (!this.store.deleteWebhook(this.storeId(rawId, -1))) throw new ApiError(404, `No webhook with id ${rawId}.`);
    return this.answer(200, success({}));
  }

  private dial(body: string): PbxResponse {
    const parsed = parseJsonBody(body, '{"destination": "<number>", "contactID": <employee id>}') as Record<string, unknown>;
    const { destination, contactID } = parsed;
    if (typeof destination !== 'string' || destination.trim() === '') {
      throw new ApiError(422, "Field 'destination' must be a non-empty phone number or extension.");
    }
    // A big id arrives as the digits quoteUnsafeIntegers kept (a string); any other string is not an id.
    const isDigits = typeof contactID === 'string' && this.options.bigIds && /^\d{16,}$/.test(contactID);
    if (!isDigits && (typeof contactID !== 'number' || !Number.isInteger(contactID))) {
      throw new ApiError(422, "Field 'contactID' must be an integer employee id.");
    }
    const employee = this.storeId(String(contactID), -1);
    if (!this.store.get('contacts', employee)) throw new ApiError(404, `No contacts item with id ${String(contactID)}.`);
    this.store.dial(employee, destination);
    return this.answer(200, success({}));
  }
}

function requireMethod(actual: string, expected: string): void {
  if (actual !== expected) throw new ApiError(405, `Method ${actual} is not allowed here; use ${expected}.`, { allow: expected });
}

function parseJsonBody(body: string, shape: string): unknown {
  let parsed: unknown;
  try {
    parsed = JSON.parse(quoteUnsafeIntegers(body));
  } catch {
    throw new ApiError(422, `The request body must be JSON: ${shape}.`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ApiError(422, `The request body must be a JSON object: ${shape}.`);
  }
  return parsed;
}

function audio(recordingID: number): PbxResponse {
  return { status: 200, headers: { 'content-type': 'audio/wav' }, body: recordingAudio(recordingID) };
}

function renderFault(fault: Fault): PbxResponse {
  switch (fault.kind) {
    case 'html-500':
      return { status: 500, headers: { 'content-type': 'text/html; charset=utf-8' }, body: HTML_500_PAGE };
    case 'non-json-200':
      return { status: 200, headers: { 'content-type': 'text/html; charset=utf-8' }, body: '<html><body>OK</body></html>\n' };
    case 'response':
      return { status: fault.status, headers: fault.headers ?? {}, body: fault.body };
  }
}
