/**
 * The recorder: calls the live API (or any server that speaks it) for chosen operations, scrubs
 * each exchange and writes it as a `source: recorded` scenario. Requests are built from the
 * connector definition by the contract harness's request builder, so a recording replays exactly.
 *
 * All or nothing: every exchange is captured and scrubbed in memory first; a missing key, an
 * unreachable host or a scrub that leaves anything the scanner would flag writes nothing. Each file
 * is written to a temporary name and renamed, so no half-written scenario is ever left behind.
 * Rate limits (429) and error pages (HTML 500) are answers, not failures: they are recorded too.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { ContractDefinition, Json } from '../lib/definition';
import { writeFileAtomically } from '../lib/files';
import { buildRequest, type BuiltRequest } from '../lib/request';
import { serializeScenario, type ExchangeScenario, type JsonObject, type JsonValue, type ScenarioKind } from './scenario';
import { formatScanFindings, scanScenarioText } from './scan';
import type { Scrubber } from './scrub';

/** A recording problem the user can act on (message says what to do); nothing was written. */
export class RecorderError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RecorderError';
  }
}

export const API_KEY_ENV = 'ZP_API_KEY';

/** Reads the API key from the environment; accepts `<key>` or `Bearer <key>` (as users were told to type it). */
export function apiKeyFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  const raw = env[API_KEY_ENV];
  if (raw === undefined || raw.trim() === '' || /^bearer\s*$/i.test(raw.trim())) {
    throw new RecorderError(
      `${API_KEY_ENV} is not set. Create an API key in Zvanu Parvaldnieks (API → keys; allow this machine's IP and the ` +
        `methods you record), then run e.g.: ${API_KEY_ENV}='<key>' npm run record -- GetCallHistory. Nothing was recorded.`,
    );
  }
  return normaliseApiKey(raw);
}

/** `Authorization` value: `Bearer <key>` whether or not the key came with the prefix. */
export function normaliseApiKey(raw: string): string {
  const key = raw.trim().replace(/^bearer\s+/i, '').trim();
  return `Bearer ${key}`;
}

export interface RecordTarget {
  operationId: string;
  inputs: JsonObject;
}

export interface RecorderConfig {
  definition: ContractDefinition;
  /** `Authorization` value or bare key. */
  apiKey: string;
  /** Where to send requests, e.g. `http://127.0.0.1:4567/api/v2/`; default: the definition's host and base path. */
  baseUrl?: string;
  /** Webhook registrations: the callback URL to register. */
  callbackUrl?: string;
  scrubber: Scrubber;
  /** Scenario root (test/scenarios). */
  outDir: string;
  /** Scenario name for every target (default `recorded-<status>`); a taken name gets `-2`, `-3`… */
  name?: string;
  overwrite?: boolean;
  timeoutMs?: number;
  fetchImpl?: typeof fetch;
  /** Date written in descriptions. */
  today?: () => Date;
}

/** What went over the wire, before scrubbing (kept in memory only). */
export interface RawExchange {
  target: RecordTarget;
  request: BuiltRequest;
  url: string;
  response: { status: number; headers: Record<string, string>; body: JsonValue };
}

const NAME_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** The URL for a built request: the base URL's origin and path replace the definition's base path. */
export function requestUrl(def: ContractDefinition, request: BuiltRequest, baseUrl?: string): string {
  const defBase = def.basePath.replace(/\/+$/, '');
  const relative = request.path.startsWith(defBase) ? request.path.slice(defBase.length) : request.path;
  let base: URL;
  try {
    base = new URL(baseUrl ?? `${def.origin}${def.basePath}`);
  } catch {
    throw new RecorderError(`--base-url ${JSON.stringify(baseUrl)} is not a URL: give e.g. https://${def.host}${def.basePath}`);
  }
  if (base.protocol !== 'http:' && base.protocol !== 'https:') throw new RecorderError(`--base-url must be http(s), got ${base.protocol}`);
  const prefix = base.pathname === '/' && baseUrl !== undefined ? defBase : base.pathname.replace(/\/+$/, '');
  const query = new URLSearchParams(request.query).toString();
  return `${base.origin}${prefix}${relative}${query ? `?${query}` : ''}`;
}

/** Builds the request for one target, failing with the input problems in words. */
export function buildTargetRequest(config: RecorderConfig, target: RecordTarget): BuiltRequest {
  const op = config.definition.operation(target.operationId);
  if (!op) {
    throw new RecorderError(`Unknown operation ${target.operationId}. Known: ${[...config.definition.operations.keys()].sort().join(', ')}`);
  }
  const { request, problems } = buildRequest(config.definition, op, target.inputs as { [key: string]: Json }, {
    apiKey: normaliseApiKey(config.apiKey),
    callbackUrl: config.callbackUrl,
  });
  if (problems.length > 0) {
    throw new RecorderError(`${target.operationId}: ${problems.map((p) => `${p.message} (expected ${p.expected})`).join('; ')}. Pass inputs as --input name=value.`);
  }
  if (op.trigger === 'single' && !config.callbackUrl) {
    throw new RecorderError(`${target.operationId} registers a webhook on the live PBX: pass --callback-url <your test endpoint> (and delete the webhook afterwards).`);
  }
  return request;
}

function describeNetworkError(e: unknown, url: string, timeoutMs: number): string {
  const err = e as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  const origin = new URL(url).origin;
  if (err.name === 'TimeoutError' || err.name === 'AbortError') {
    return `No answer from ${origin} within ${timeoutMs} ms: check --base-url and your network, or raise --timeout. Nothing was written.`;
  }
  const code = err.cause?.code ?? err.cause?.message ?? err.message ?? String(e);
  return `Cannot reach ${origin} (${code}): check --base-url, your network or VPN, and that the host is up. Nothing was written.`;
}

async function readBody(response: Response): Promise<JsonValue> {
  const text = await response.text();
  if (text === '') return null;
  const type = response.headers.get('content-type') ?? '';
  if (/json/i.test(type)) {
    try {
      const parsed = JSON.parse(text) as JsonValue;
      // A top-level JSON string is kept as raw text (the scenario format's rule for strings).
      return typeof parsed === 'string' ? text : parsed;
    } catch {
      return text; // declared JSON but is not: recorded verbatim, as observed
    }
  }
  return text;
}

/** Sends one request and captures the answer, whatever its status. Network failures throw RecorderError. */
export async function captureExchange(config: RecorderConfig, target: RecordTarget): Promise<RawExchange> {
  const request = buildTargetRequest(config, target);
  const url = requestUrl(config.definition, request, config.baseUrl);
  const timeoutMs = config.timeoutMs ?? 15_000;
  const doFetch = config.fetchImpl ?? fetch;
  let response: Response;
  try {
    response = await doFetch(url, {
      method: request.method,
      headers: request.headers,
      body: request.body === null ? undefined : JSON.stringify(request.body),
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (e) {
    throw new RecorderError(describeNetworkError(e, url, timeoutMs));
  }
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    headers[name.toLowerCase()] = value;
  });
  let body: JsonValue;
  try {
    body = await readBody(response);
  } catch (e) {
    throw new RecorderError(`${target.operationId}: the connection to ${new URL(url).origin} broke while reading the answer (${(e as Error).message}). Nothing was written.`);
  }
  return { target, request, url, response: { status: response.status, headers, body } };
}

function kindOf(status: number, body: JsonValue): Exclude<ScenarioKind, 'event'> {
  if (status < 200 || status >= 300) return 'error';
  const data = typeof body === 'object' && body !== null && !Array.isArray(body) ? body.data : undefined;
  return Array.isArray(data) && data.length === 0 ? 'empty' : 'success';
}

function describeOutcome(status: number, body: JsonValue): string {
  if (status === 429) return 'was rate limited (429)';
  if (typeof body === 'string' && /<html/i.test(body)) return `answered ${status} with an HTML page`;
  if (typeof body === 'string' && status >= 200 && status < 300) return `answered ${status} with a non-JSON body`;
  return `answered ${status}`;
}

/**
 * Turns a captured exchange into a scrubbed scenario (pure given the scrubber). The scrubber must
 * already have learned the names of every exchange of the run (see `recordScenarios`).
 */
export function toScenario(raw: RawExchange, scrubber: Scrubber, name: string, today: Date, callbackUrl?: string): ExchangeScenario {
  const request = {
    method: raw.request.method,
    path: scrubber.scrubPath(raw.request.path),
    query: scrubber.scrubQuery(raw.request.query),
    headers: scrubber.scrubRequestHeaders(raw.request.headers),
    body: raw.request.body === null ? null : scrubber.scrubJson(raw.request.body as JsonValue),
  };
  const status = raw.response.status;
  const body = raw.response.body === null ? null : scrubber.scrubJson(raw.response.body);
  return {
    operationId: raw.target.operationId,
    name,
    kind: kindOf(status, body),
    source: 'recorded',
    description: `Recorded on ${today.toISOString().slice(0, 10)}: ${request.method} ${request.path} ${describeOutcome(status, body)}.`,
    inputs: scrubber.scrubJson(raw.target.inputs) as JsonObject,
    ...(callbackUrl !== undefined && raw.request.body !== null ? { callbackUrl: scrubber.scrubUrl(callbackUrl) } : {}),
    steps: [{ request, response: { status, headers: scrubber.scrubResponseHeaders(raw.response.headers), body } }],
  };
}

function chooseName(outDir: string, operationId: string, wanted: string, overwrite: boolean, taken: Set<string>): string {
  for (let n = 1; ; n++) {
    const name = n === 1 ? wanted : `${wanted}-${n}`;
    const key = `${operationId}/${name}`;
    if (taken.has(key)) continue;
    if (overwrite || !fs.existsSync(path.join(outDir, operationId, `${name}.yaml`))) {
      taken.add(key);
      return name;
    }
  }
}

export interface RecordResult {
  files: string[];
  scenarios: ExchangeScenario[];
}

/** Records every target, then writes them all (or nothing). Returns the written files. */
export async function recordScenarios(config: RecorderConfig, targets: RecordTarget[]): Promise<RecordResult> {
  if (targets.length === 0) throw new RecorderError('Name at least one operationId to record, e.g. npm run record -- GetCallHistory');
  if (config.name !== undefined && !NAME_PATTERN.test(config.name)) {
    throw new RecorderError(`--name must be kebab-case (a-z, 0-9, dashes), got ${JSON.stringify(config.name)}`);
  }
  // Check every target's inputs before calling anything.
  targets.forEach((t) => buildTargetRequest(config, t));

  const raws: RawExchange[] = [];
  for (const target of targets) raws.push(await captureExchange(config, target));

  for (const raw of raws) {
    config.scrubber.learnNames(raw.request.body as JsonValue);
    config.scrubber.learnNames(raw.response.body);
  }
  const today = (config.today ?? (() => new Date()))();
  const taken = new Set<string>();
  const planned = raws.map((raw) => {
    const wanted = config.name ?? `recorded-${raw.response.status}`;
    const name = chooseName(config.outDir, raw.target.operationId, wanted, config.overwrite ?? false, taken);
    const scenario = toScenario(raw, config.scrubber, name, today, config.callbackUrl);
    const text = serializeScenario(scenario);
    const leaks = scanScenarioText(text, `${scenario.operationId}/${name}.yaml`);
    if (leaks.length > 0) {
      throw new RecorderError(`The scrubbed recording still holds something that looks secret or personal; nothing was written:\n${formatScanFindings(leaks)}`);
    }
    return { scenario, text, file: path.join(config.outDir, scenario.operationId, `${name}.yaml`) };
  });

  for (const p of planned) writeFileAtomically(p.file, p.text);
  return { files: planned.map((p) => p.file), scenarios: planned.map((p) => p.scenario) };
}
