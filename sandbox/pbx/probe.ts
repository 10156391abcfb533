/**
 * The probe behind `npm run probe-pbx`: about twenty read requests (GET only) to a PBX, from which it settles
 * what the documentation leaves open and writes it as a PBX profile (profiles.ts) the sandbox, the tests
 * and the bench accept, with a short report. Against the mock it recovers the profile the mock plays
 * (test/profiles/probe.test.ts).
 *
 * What it reads, and what each answer settles:
 * - two pages of 20 calls: the order of lists, pages longer than asked, the size of ids, headers of its own;
 * - calls without `limit`: the default page size; `limit=1000` (far above any cap) and the page after it:
 *   a silent cap, or the largest `limit` accepted (a 422);
 * - calls with a `date_from` in the future: the answer to an empty list (200 [] or 404);
 * - a page of recordings, and one link of each shape among them (host and path, ids aside), without the key
 *   and, only when the link is on the PBX's own origin, with it; a redirect from there is read, never followed
 *   with the key (its target is fetched without it): the kinds of link of sandbox/pbx/recordings.ts;
 * - a call by an ID that does not exist, and one request with a wrong key (reported, not part of the profile);
 * - the time of every answer: the latency.
 * It never writes the key, never sends it to another host, never follows a redirect with it, and keeps no
 * item's content (only ids, counts, statuses and header names reach the findings).
 */
import { documentedLimits } from '../../connector/model/limits';
import { quoteUnsafeIntegers } from '../../lib/json';
import { keyPattern } from '../../lib/key-pattern';
import { NO_ITEMS_MESSAGE } from './api';
import { BEHAVIOURS, DEFAULT_BEHAVIOUR, type BehaviourKey, type PbxBehaviour, type PbxProfile } from './profiles';
import { RECORDING_LINK_KINDS, type RecordingLinkKind } from './recordings';

export interface ProbeOptions {
  /** e.g. https://zvanuparvaldnieks.lmt.lv/api/v2/ */
  baseUrl: string;
  /** The bare key (without "Bearer "). */
  key: string;
  /** Per request (ms). */
  timeoutMs: number;
  /** Aborts the probe (Ctrl+C). */
  signal?: AbortSignal;
  /** The profile's name (default probed-<host>). */
  name?: string;
  now?: () => Date;
  progress?: (line: string) => void;
}

/** What one step found: a behaviour of the profile (settled or not), or a fact reported beside it. */
export interface Finding {
  /** A behaviour key, or the name of a fact outside the profile. */
  key: BehaviourKey | 'byIdMissing' | 'badKey';
  fact: string;
  settled: boolean;
  /** What was seen, in words (no item content, no key). */
  saw: string;
}

export interface ProbeResult {
  profile: PbxProfile;
  findings: Finding[];
  /** Requests sent (all GET). */
  requests: number;
}

/** The PBX refused, failed or could not be reached: a message that says what to do (the CLI exits 1). */
export class ProbeError extends Error {
  override name = 'ProbeError';
}

interface Answer {
  status: number;
  headers: Record<string, string>;
  /** The header names as sent, `set-cookie` included. */
  headerNames: string[];
  text: string;
  ms: number;
}

interface Page {
  /** Entries as answered (ids as digits), duplicates included. */
  ids: string[];
  entries: number;
  answer: Answer;
}

const INT64_MAX = 2n ** 63n - 1n;
/** A median latency below this counts as none (the noise of a local network and of this machine). */
const LATENCY_FLOOR_MS = 100;
/** Recordings read for their links, and the most link shapes tried among them (each costs two or three requests). */
const RECORDINGS_READ = 20;
const MAX_LINK_SHAPES = 4;

export async function probePbx(options: ProbeOptions): Promise<ProbeResult> {
  const base = new URL(options.baseUrl.endsWith('/') ? options.baseUrl : `${options.baseUrl}/`);
  const say = options.progress ?? (() => undefined);
  const redact = (text: string) => redactKey(text, options.key);
  const times: number[] = [];
  let requests = 0;

  /** One GET; transport failures, 429 and (unless `allow`ed) errors and HTML pages end the probe with advice. */
  async function get(url: URL, how: { key?: boolean; allow?: number[]; json?: boolean } = {}): Promise<Answer> {
    const { key = true, allow = [], json = true } = how;
    const started = Date.now();
    let response: Response;
    requests++;
    try {
      response = await fetch(url, {
        method: 'GET',
        headers: { accept: json ? 'application/json' : '*/*', ...(key ? { authorization: `Bearer ${options.key}` } : {}) },
        redirect: 'manual',
        signal: options.signal ? AbortSignal.any([options.signal, AbortSignal.timeout(options.timeoutMs)]) : AbortSignal.timeout(options.timeoutMs),
      });
    } catch (e) {
      throw new ProbeError(redact(networkProblem(e, url, options)));
    }
    const headers: Record<string, string> = {};
    const headerNames: string[] = [];
    response.headers.forEach((value, name) => {
      headers[name.toLowerCase()] = value;
      headerNames.push(name.toLowerCase());
    });
    if (response.headers.getSetCookie().length > 0 && !headerNames.includes('set-cookie')) headerNames.push('set-cookie');
    let text = '';
    if (json) {
      try {
        text = await response.text();
      } catch (e) {
        throw new ProbeError(redact(`The connection to ${url.origin} broke while reading the answer to GET ${url.pathname} (${(e as Error).message}). Nothing was written.`));
      }
    } else {
      await response.body?.cancel().catch(() => undefined);
    }
    const ms = Date.now() - started;
    if (json) times.push(ms);
    const answer: Answer = { status: response.status, headers, headerNames, text, ms };
    if (!json) return answer;
    if (response.status === 429) {
      const wait = headers['retry-after'] ? ` after ${headers['retry-after']} s` : ' later';
      throw new ProbeError(`The PBX's rate limit answered 429 to request ${requests} (GET ${url.pathname}): run the probe again${wait}. Nothing was written.`);
    }
    if (looksHtml(answer)) {
      throw new ProbeError(
        redact(`The PBX answered an HTML page${titleOf(text)} with HTTP ${response.status} to GET ${url.pathname}, not JSON: check --base-url (it ends in the API's base path, e.g. https://<host>/api/v2/), or try later if the PBX is down. Nothing was written.`),
      );
    }
    if (key && (response.status === 401 || response.status === 403)) {
      throw new ProbeError(
        redact(`The PBX refused the key (HTTP ${response.status}${messageOf(text, redact) ? `: ${messageOf(text, redact)}` : ''}): check the key in the portal's API settings, that it allows GET, and that its IP access list allows this machine. Nothing was written.`),
      );
    }
    if (response.status >= 300 && !allow.includes(response.status)) {
      throw new ProbeError(redact(`GET ${url.pathname}${url.search} answered HTTP ${response.status}${messageOf(text, redact) ? `: ${messageOf(text, redact)}` : ''}. Nothing was written.`));
    }
    if (response.status < 300 && parseObject(text) === undefined) {
      throw new ProbeError(`GET ${url.pathname} answered HTTP ${response.status} with a body that is not a JSON object: check --base-url. Nothing was written.`);
    }
    return answer;
  }

  const at = (path: string, query: Record<string, string>): URL => {
    const url = new URL(path, base);
    for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
    return url;
  };
  const calls = (query: Record<string, string>) => at('trigger/call_history', { initial_call_id: '0', ...query });
  const page = (answer: Answer, idField: string): Page => {
    const body = parseObject(answer.text);
    if (answer.status === 404) return { ids: [], entries: 0, answer };
    const data = body?.data;
    if (data !== null && data !== undefined && !Array.isArray(data)) {
      throw new ProbeError(`The PBX's list answer has no list in data (HTTP ${answer.status}): the envelope differs from the published definition. Nothing was written.`);
    }
    const items = (data ?? []) as Array<Record<string, unknown>>;
    return { ids: items.map((item) => String(item?.[idField] ?? '')).filter((id) => /^-?\d+$/.test(id)), entries: items.length, answer };
  };

  const behaviour: PbxBehaviour = { ...DEFAULT_BEHAVIOUR };
  const findings: Finding[] = [];
  const settle = <K extends BehaviourKey>(key: K, value: PbxBehaviour[K] | undefined, saw: string) => {
    if (value !== undefined) behaviour[key] = value;
    findings.push({ key, fact: BEHAVIOURS[key].fact, settled: value !== undefined, saw });
  };

  // 1. Two pages of 20: order, overrun, ids, headers.
  say('reading two pages of 20 calls (order, page length, ids, headers)');
  const first = page(await get(calls({ limit: '20', offset: '0' }), { allow: [404] }), 'callID');
  const second = distinct(first.ids).length >= 20 ? page(await get(calls({ limit: '20', offset: '20' }), { allow: [404] }), 'callID') : undefined;
  // Repeats (an overrun page's twin entries) dropped, the rest in order.
  const sequence = distinct([...first.ids, ...(second?.ids ?? [])]);
  const order = orderOf(sequence);
  settle('order', order.value, order.saw);

  // 2. Without limit: the default page size.
  say('reading calls without limit (default page size)');
  const unsized = page(await get(calls({}), { allow: [404] }), 'callID');

  // 3. limit far above any cap, then the page after it: a silent cap or an explicit maximum.
  say('reading calls with limit=1000 (a cap, or the largest limit accepted)');
  let maxLimit = 1000;
  let large = await get(calls({ limit: String(maxLimit) }), { allow: [404, 422] });
  let limitSaw = 'limit=1000 accepted (more not tried)';
  if (large.status === 422) {
    const stated = /at most (\d+)/i.exec(messageOf(large.text, redact) ?? '');
    maxLimit = stated ? Number(stated[1]) : 0;
    for (const tryLimit of stated ? [maxLimit] : [500, 200, 100, 50]) {
      large = await get(calls({ limit: String(tryLimit) }), { allow: [404, 422] });
      if (large.status !== 422) {
        maxLimit = tryLimit;
        break;
      }
    }
    if (large.status === 422) throw new ProbeError(`The PBX refused every limit tried (down to 50) with 422: ${redact(messageOf(large.text, redact) ?? '')}. Nothing was written.`);
    limitSaw = `limit=1000 refused with 422${stated ? ` ("at most ${stated[1]}")` : ''}; limit=${maxLimit} accepted`;
  }
  settle('maxLimit', maxLimit, limitSaw);
  const bigPage = page(large, 'callID');
  const got = distinct(bigPage.ids).length;
  if (got === 0) {
    settle('pageCap', undefined, 'unsettled: the account holds no calls');
  } else if (got < maxLimit) {
    const after = page(await get(calls({ limit: String(maxLimit), offset: String(got) }), { allow: [404] }), 'callID');
    if (after.ids.length > 0) settle('pageCap', got, `limit=${maxLimit} gave ${got} calls and the page at offset ${got} more: a silent cap of ${got}`);
    // The whole account in one page shows no cap up to its size: what the connector assumes (a cap of at least
    // maxListPageSize) is settled only when that is at least as many.
    else if (got >= documentedLimits.maxListPageSize) settle('pageCap', null, `limit=${maxLimit} gave all ${got} calls of the account (no cap up to ${got}; a larger one cannot be seen here)`);
    else {
      settle(
        'pageCap',
        undefined,
        `unsettled: limit=${maxLimit} gave all ${got} calls of the account, too few to show a cap of ${documentedLimits.maxListPageSize}, which the connector assumes at least; ` +
          `run the probe on an account with at least ${documentedLimits.maxListPageSize} calls to settle it`,
      );
    }
  } else {
    settle('pageCap', null, `limit=${maxLimit} gave ${got} calls (no cap up to ${maxLimit})`);
  }
  const total = got < maxLimit ? got : undefined;
  const unsizedCount = distinct(unsized.ids).length;
  if (unsizedCount > 0 && (total === undefined || unsizedCount < total) && (behaviour.pageCap === null || unsizedCount < behaviour.pageCap)) {
    settle('defaultLimit', unsizedCount, `without limit a page holds ${unsizedCount} calls`);
  } else {
    settle('defaultLimit', undefined, `unsettled: without limit the PBX gave ${unsizedCount} calls, ${total !== undefined ? 'all the account holds' : 'no fewer than a capped page'}`);
  }

  // Pages longer than asked: more entries than the limit, or one id twice.
  const pages: Array<[Page, number]> = [[first, 20], [unsized, unsizedCount], [bigPage, maxLimit]];
  if (second) pages.push([second, 20]);
  const overrun = pages.find(([p, limit]) => p.entries > limit || distinct(p.ids).length < p.ids.length);
  if (sequence.length < 2) settle('overrun', undefined, 'unsettled: too few calls to read a full page');
  else if (overrun) settle('overrun', true, `a page of limit ${overrun[1]} held ${overrun[0].entries} entries, ${distinct(overrun[0].ids).length} distinct ids`);
  else settle('overrun', false, 'no page held more entries than its limit, nor an id twice');

  // 4. An empty list: a date_from in the future.
  say('reading calls from a date in the future (an empty list)');
  const future = `${(options.now?.() ?? new Date()).getUTCFullYear() + 10}-01-01T00:00:00+00:00`;
  const empty = await get(calls({ limit: '1', date_from: future }), { allow: [404, 422] });
  const emptyBody = parseObject(empty.text);
  if (empty.status === 404) {
    const same = messageOf(empty.text, redact) === NO_ITEMS_MESSAGE;
    settle('emptyList', 'not-found', `404${same ? " with the reference page's message" : ' (another message than the reference page\'s)'}`);
  } else if (empty.status === 200 && Array.isArray(emptyBody?.data) && (emptyBody.data as unknown[]).length === 0) {
    settle('emptyList', 'ok', '200 with data []');
  } else {
    settle('emptyList', undefined, `unsettled: the future date_from answered HTTP ${empty.status}${empty.status === 200 ? ' with items' : ''}`);
  }

  // Ids beyond Int64, and headers of the PBX's own (on the JSON answers so far).
  const allIds = [...first.ids, ...(second?.ids ?? []), ...unsized.ids, ...bigPage.ids];
  const longest = allIds.reduce((m, id) => Math.max(m, id.replace('-', '').length), 0);
  if (allIds.length === 0) settle('bigIds', undefined, 'unsettled: no ids seen');
  else if (allIds.some((id) => BigInt(id) > INT64_MAX)) settle('bigIds', true, `ids beyond 2^63 (up to ${longest} digits)`);
  else settle('bigIds', false, `every id fits Int64 (up to ${longest} digits)`);
  const answers = [first.answer, unsized.answer, large, empty, ...(second ? [second.answer] : [])];
  const own = ['location', 'set-cookie', 'retry-after'].filter((h) => answers.some((a) => a.headerNames.includes(h)));
  settle('extraHeaders', own.length > 0, own.length > 0 ? `answers carry ${own.join(', ')}` : 'no Location, Retry-After or Set-Cookie on the answers');

  // 5. Recording links: one of each shape, without the key, then with it on the PBX's own origin only.
  say('reading recordings and one link of each kind, without the key (with it only on the PBX\'s own host)');
  const recordings = await get(at('trigger/call_records', { initial_record_id: '0', limit: String(RECORDINGS_READ) }), { allow: [404] });
  const links = linkShapes(parseObject(recordings.text));
  if (links.length === 0) {
    settle('recordingLinks', undefined, 'unsettled: no recording with a link on the account');
  } else {
    const kinds: Array<{ kind?: RecordingLinkKind; saw: string }> = [];
    for (const link of links) kinds.push(await linkKind(link));
    const saw = kinds.map((k) => k.saw).join('; ');
    if (kinds.every((k) => k.kind !== undefined)) settle('recordingLinks', RECORDING_LINK_KINDS.filter((kind) => kinds.some((k) => k.kind === kind)), saw);
    else settle('recordingLinks', undefined, `unsettled: ${saw}`);
  }

  /** The kind of one link (recordings.ts), from what it answers; undefined when it is none the mock plays. */
  async function linkKind(link: URL): Promise<{ kind?: RecordingLinkKind; saw: string }> {
    const own = link.origin === base.origin;
    const where = own ? `a link on the PBX's own host (${shapeOf(link)})` : `a link on another host (${shapeOf(link)})`;
    const reach = (url: URL, key: boolean) => get(url, { key, json: false }).catch((e: unknown) => (e instanceof ProbeError ? undefined : Promise.reject(e)));
    const open = await reach(link, false);
    if (!open) return { saw: `${where} could not be reached from here` };
    const ok = (a: Answer) => a.status >= 200 && a.status < 300;
    if (!own) {
      if (ok(open)) return { kind: 'presigned', saw: `${where} answers ${open.status} without the key` };
      return { saw: `${where} answers ${open.status} without the key${isRedirect(open) ? ' (a redirect, not followed)' : ''}; the key is never sent to another host` };
    }
    if (ok(open)) return { saw: `${where} answers ${open.status} without the key: open to anyone, a kind the mock does not play` };
    if (open.status !== 401 && open.status !== 403) return { saw: `${where} answers ${open.status} without the key` };
    const withKey = await reach(link, true);
    if (!withKey) return { saw: `${where} answers ${open.status} without the key and nothing with it` };
    if (ok(withKey)) return { kind: 'pbx', saw: `${where} answers ${open.status} without the key, ${withKey.status} with it` };
    const target = isRedirect(withKey) && withKey.headers.location ? new URL(withKey.headers.location, link) : undefined;
    if (!target || target.origin === base.origin) return { saw: `${where} answers ${open.status} without the key, ${withKey.status} with it${target ? ' (a redirect to the same host)' : ''}` };
    // A redirect elsewhere: its target is read without the key, as a pre-signed link must answer.
    const after = await reach(target, false);
    const then = `${where} answers ${open.status} without the key, ${withKey.status} with it to another host (${shapeOf(target)}), which answers ${after ? after.status : 'nothing'} without it`;
    return after && ok(after) ? { kind: 'redirect', saw: then } : { saw: then };
  }

  // 6. Reported beside the profile: a missing item by ID, a wrong key.
  say('reading a call by an ID that does not exist, and one request with a wrong key');
  const missing = await get(at('call_history/0', {}), { allow: [400, 404, 422] });
  findings.push({ key: 'byIdMissing', fact: 'the answer to a by-ID read of an item that does not exist', settled: true, saw: `HTTP ${missing.status}${isEnvelope(missing.text) ? ' in the usual envelope' : ' (not the usual envelope)'}` });
  const wrong = await fetch(calls({ limit: '1' }), { headers: { authorization: 'Bearer probe-not-a-key' }, redirect: 'manual', signal: AbortSignal.timeout(options.timeoutMs) }).then(
    async (r) => {
      await r.body?.cancel().catch(() => undefined);
      return `HTTP ${r.status}`;
    },
    () => 'no answer',
  );
  requests++;
  findings.push({ key: 'badKey', fact: 'the status for a wrong key', settled: wrong !== 'no answer', saw: wrong });

  // The latency: the median of the JSON answers.
  const median = [...times].sort((a, b) => a - b)[Math.floor(times.length / 2)] ?? 0;
  const latency = median < LATENCY_FLOOR_MS ? 0 : Math.round(median / 10) * 10;
  settle('latencyMs', latency, `median ${median} ms over ${times.length} answers${latency === 0 ? ` (below ${LATENCY_FLOOR_MS} ms counts as none)` : ''}`);
  findings.push({ key: 'latencyJitter', fact: BEHAVIOURS.latencyJitter.fact, settled: false, saw: 'not measured (a dozen answers say little about the spread); the default is kept' });

  const host = base.hostname.toLowerCase();
  const date = (options.now?.() ?? new Date()).toISOString().slice(0, 10);
  const evidence: PbxProfile['evidence'] = {};
  for (const f of findings) if (f.key in BEHAVIOURS) evidence[f.key as BehaviourKey] = f.saw;
  const profile: PbxProfile = {
    ...behaviour,
    name: options.name ?? `probed-${host.replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '')}`,
    summary: `what npm run probe-pbx found at ${host} on ${date}; an unsettled behaviour keeps the default profile's value`,
    evidence,
    source: 'probe',
  };
  return { profile, findings, requests };
}

/** The report beside the profile: each fact, settled or not, and what was seen. */
export function probeReport(result: ProbeResult, host: string): string {
  const cell = (t: string) => t.replace(/\|/g, '\\|');
  const rows = result.findings.map((f) => `| ${cell(f.fact)} | ${f.settled ? 'yes' : 'no'} | ${cell(f.saw)} |`);
  return [
    `# What the PBX at ${host} does`,
    '',
    `${result.requests} read requests (GET only). The profile \`${result.profile.name}\` beside this report holds what was settled;`,
    'an unsettled behaviour keeps the default profile\'s value. Run the tests under it with',
    '`ZP_PBX_PROFILE=<the profile file> npx vitest run test/profiles`, the sandbox with `npm start -- --profile <file>`.',
    '',
    '| fact | settled | what the PBX did |',
    '| --- | --- | --- |',
    ...rows,
    '',
  ].join('\n');
}

/** The key (so also after `Bearer `) replaced by `<key>` in every form the PBX may echo it (lib/key-pattern.ts). */
export function redactKey(text: string, key: string): string {
  return key.length < 4 ? text : text.replace(keyPattern(key), '<key>');
}

function networkProblem(e: unknown, url: URL, options: ProbeOptions): string {
  const err = e as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (options.signal?.aborted) return 'Stopped before the PBX answered. Nothing was written.';
  if (err.name === 'TimeoutError') return `No answer from ${url.origin} within ${options.timeoutMs} ms (GET ${url.pathname}): check --base-url and your network, or raise --timeout. Nothing was written.`;
  const code = err.cause?.code ?? err.cause?.message ?? err.message ?? String(e);
  return `Cannot reach ${url.origin} (${code}): check --base-url, your network or VPN, and that the host is up. Nothing was written.`;
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(quoteUnsafeIntegers(text)) as unknown;
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function isEnvelope(text: string): boolean {
  const body = parseObject(text);
  return body !== undefined && 'status' in body && 'statusCode' in body && 'message' in body;
}

/** The envelope's message, the key removed before it is cut to 200 characters (so that no part of the key survives the cut). */
function messageOf(text: string, redact: (text: string) => string): string | undefined {
  const message = parseObject(text)?.message;
  return typeof message === 'string' && message !== '' ? redact(message).slice(0, 200) : undefined;
}

function looksHtml(answer: Answer): boolean {
  return /html/i.test(answer.headers['content-type'] ?? '') || /^\s*</.test(answer.text);
}

function titleOf(html: string): string {
  const title = /<title>([^<]{1,80})<\/title>/i.exec(html)?.[1]?.trim();
  return title ? ` ("${title}")` : '';
}

/** Each id once, at its first place. */
function distinct(ids: readonly string[]): string[] {
  return [...new Set(ids)];
}

/** newest-first, oldest-first, or newest first with neighbours swapped, from ids in the order listed. */
function orderOf(ids: readonly string[]): { value: PbxBehaviour['order'] | undefined; saw: string } {
  if (ids.length < 3) return { value: undefined, saw: `unsettled: ${ids.length} calls on the account, too few to see an order` };
  const n = ids.map((id) => BigInt(id));
  const span = `${ids.length} ids over ${ids.length > 20 ? 'two pages' : 'one page'}`;
  const falling = n.every((v, i) => i === 0 || v < n[i - 1]);
  if (falling) return { value: 'newest-first', saw: `newest first: ${span}, each lower than the one before` };
  if (n.every((v, i) => i === 0 || v > n[i - 1])) return { value: 'oldest-first', saw: `oldest first: ${span}, each higher than the one before` };
  const sorted = [...n].sort((a, b) => (a > b ? -1 : a < b ? 1 : 0));
  const displaced = n.map((v, i) => Math.abs(sorted.indexOf(v) - i));
  if (displaced.every((d) => d <= 1)) {
    const swaps = displaced.filter((d) => d === 1).length / 2;
    return { value: 'newest-first-swapped', saw: `newest first with neighbours swapped: ${span}, ${swaps} pairs out of order, none further than its neighbour` };
  }
  return { value: undefined, saw: `unsettled: ${span} in no order the mock can play (${displaced.filter((d) => d > 1).length} ids more than one place from newest first)` };
}

/** One http(s) recording link per shape (origin and path, ids aside) among a page of recordings, at most MAX_LINK_SHAPES. */
function linkShapes(body: Record<string, unknown> | undefined): URL[] {
  const data = body?.data;
  const byShape = new Map<string, URL>();
  for (const item of Array.isArray(data) ? (data as Array<Record<string, unknown> | null>) : []) {
    const link = item?.recordingURL;
    if (typeof link !== 'string') continue;
    let url: URL;
    try {
      url = new URL(link);
    } catch {
      continue;
    }
    if ((url.protocol === 'http:' || url.protocol === 'https:') && !byShape.has(shapeOf(url)) && byShape.size < MAX_LINK_SHAPES) byShape.set(shapeOf(url), url);
  }
  return [...byShape.values()];
}

/** A link's shape, as the report shows it: origin and path, each number that is a segment or a file name as `#`, no query (a signature). */
function shapeOf(url: URL): string {
  return `${url.origin}${url.pathname.replace(/\/\d+(?=\/|\.|$)/g, '/#')}`;
}

function isRedirect(answer: Answer): boolean {
  return answer.status >= 300 && answer.status < 400;
}
