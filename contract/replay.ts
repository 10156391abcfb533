/**
 * Replays a scenario against the definition.
 *
 * Exchanges: for each step the request is built from the definition + inputs exactly as the
 * platform would (see request.ts), compared with the scenario's request, and sent over HTTP to nock,
 * which answers with the scenario's response only if method, path, query, body and the presence of
 * the API key header match. The response is then checked against the declared response: status
 * declared or not, JSON or not, schema (Ajv, strict), drift (undeclared fields), headers the
 * platform relies on. Polling triggers also evaluate the `pollingtrigger` state expression on each
 * response; the next step's request must carry that cursor.
 * Events: the body is validated against the trigger's `x-ms-notification-content` schema.
 *
 * Everything ends as a ContractFinding; nothing the scenario holds can make the replay throw.
 */
import nock from 'nock';
import { pointer as toPointer } from '../lib/finding';
import type { ContractDefinition, DeclaredResponse, Json, OperationInfo } from '../lib/definition';
import { evaluateTriggerExpression, ExpressionError } from '../lib/expression';
import { drift } from './drift';
import { contractFinding, show, type ContractFinding, type Direction } from './findings';
import { deepEqual, parseJson } from '../lib/json';
import { apiKeyHeader, buildRequest, notificationUrlProperty, type BuiltRequest } from '../lib/request';
import { escapeRegExp } from '../lib/key-pattern';
import { isTextualMediaType } from '../lib/media-type';
import type { ExchangeScenario, EventScenario, ExpectedFinding, LoadedScenario, Scenario, ScenarioRequest, ScenarioStep } from './scenario';

type JsonMap = { [key: string]: Json };

interface Context {
  def: ContractDefinition;
  op: OperationInfo;
  file: string;
  findings: ContractFinding[];
}

function add(
  ctx: Context,
  rule: Parameters<typeof contractFinding>[0],
  direction: Direction,
  pointer: string,
  message: string,
  extra: { schemaPath?: string; dataPath?: string; expected?: string; actual?: string } = {},
): void {
  ctx.findings.push(contractFinding(rule, { file: ctx.file, pointer, operationId: ctx.op.operationId, direction, message, ...extra }));
}

export interface ReplayOptions {
  /** The key the replay client sends (never stored; nock matches the header by presence). */
  apiKey?: string;
}

/** Replays one loaded scenario and returns every finding (empty = the scenario agrees with the definition). */
export async function replayScenario(def: ContractDefinition, loaded: LoadedScenario, options: ReplayOptions = {}): Promise<ContractFinding[]> {
  const { scenario, file } = loaded;
  const op = def.operation(scenario.operationId);
  if (!op) {
    return [
      contractFinding('contract-unknown-operation', {
        file,
        pointer: '/operationId',
        operationId: scenario.operationId,
        direction: scenario.kind === 'event' ? 'event' : 'request',
        message: `the definition has no operation "${scenario.operationId}"`,
        expected: 'an operationId of the definition',
        actual: scenario.operationId,
      }),
    ];
  }
  const ctx: Context = { def, op, file, findings: [] };
  if (scenario.kind === 'event') checkEvent(ctx, scenario);
  else await replayExchange(ctx, scenario, options);
  return ctx.findings;
}

// ---------------------------------------------------------------------------------------------
// Events

function checkEvent(ctx: Context, scenario: EventScenario): void {
  const { op } = ctx;
  if (op.trigger !== 'single' || !op.notificationSchemaPointer) {
    add(ctx, 'contract-webhook', 'event', '/operationId', `${op.operationId} is not a webhook trigger with an x-ms-notification-content schema`, {
      schemaPath: op.pointer,
      expected: 'x-ms-trigger: single and x-ms-notification-content on the path item',
      actual: op.trigger ?? 'no x-ms-trigger',
    });
    return;
  }
  checkBody(ctx, 'event', op.notificationSchemaPointer, scenario.event, '/event', 'contract-event-schema');
}

// ---------------------------------------------------------------------------------------------
// Exchanges

async function replayExchange(ctx: Context, scenario: ExchangeScenario, options: ReplayOptions): Promise<void> {
  if (ctx.op.answersFile) return replayFile(ctx, scenario, options);
  if (scenario.routedTo !== undefined) return replayRouted(ctx, scenario, scenario.routedTo, options);
  const { def, op } = ctx;
  if (op.trigger === 'single' && !notificationUrlProperty(def, op)) {
    add(ctx, 'contract-webhook', 'request', '/operationId', `${op.operationId} has no body property marked x-ms-notification-url: the platform cannot register the callback`, {
      schemaPath: op.pointer,
      expected: 'a body property with x-ms-notification-url: true',
      actual: 'none',
    });
  }
  let cursor: string | undefined;
  nock.disableNetConnect();
  try {
    for (let i = 0; i < scenario.steps.length; i++) {
      const step = scenario.steps[i];
      const inputs: JsonMap = { ...scenario.inputs, ...(step.inputs ?? {}) };
      // Later polls carry the state the previous response produced (the platform keeps it).
      if (op.polling && i > 0 && cursor !== undefined) inputs[op.polling.parameter] = cursor;
      const { request, problems } = buildRequest(def, op, inputs, { callbackUrl: scenario.callbackUrl, apiKey: options.apiKey });
      for (const p of problems) {
        add(ctx, 'contract-input', 'request', step.inputs && p.input in step.inputs ? `/steps/${i}/inputs${toPointer(p.input)}` : `/inputs${p.input in scenario.inputs ? toPointer(p.input) : ''}`, p.message, {
          schemaPath: p.schemaPath,
          dataPath: toPointer(p.input),
          expected: p.expected,
          actual: show(p.actual),
        });
      }
      const mismatches = compareRequest(ctx, i, request, step.request);
      // A reported mismatch is the cause; the scenario's own request is then sent so that its
      // response is still checked and later steps (cursors) are not failed by the same cause.
      const response = await send(def, mismatches === 0 ? request : asBuilt(step.request, request), step);
      if (response.error) {
        if (mismatches === 0) {
          add(ctx, 'contract-request-mismatch', 'request', `/steps/${i}/request`, `nock did not answer the built request: ${response.error}`, {
            expected: describeRequest(step.request),
            actual: describeRequest(request),
          });
        }
        continue;
      }
      checkResponse(ctx, i, step, response);
      // The state this poll was made with (the default on the first poll) is kept when nothing is new.
      if (op.polling) cursor = checkCursor(ctx, i, step, response, request.query[op.polling.parameter] ?? cursor ?? '');
    }
  } finally {
    nock.cleanAll();
    nock.enableNetConnect();
  }
}

/** Inputs a routed list call owns: the script turns them into the PBX's limit, offset and cursor. */
const ROUTED_PAGING = new Set(['limit', 'offset', 'snapshot_id', 'after_id']);

/**
 * A call script.csx sends to another PBX path (list actions, dropdowns): the steps are the PBX
 * exchanges of one call. Without the script, what can be checked is that each exchange is on the
 * named route with every filter the definition builds forwarded unchanged, and that the PBX's
 * answer is what the definition declares for that route (the polling trigger's list); the
 * connector's own answer (`expect.data`, `nextLink`) is checked through the script (test/script).
 */
async function replayRouted(ctx: Context, scenario: ExchangeScenario, routedTo: string, options: ReplayOptions): Promise<void> {
  const { def, op } = ctx;
  const { request, problems } = buildRequest(def, op, scenario.inputs, { apiKey: options.apiKey });
  for (const p of problems) {
    add(ctx, 'contract-input', 'request', `/inputs${p.input in scenario.inputs ? toPointer(p.input) : ''}`, p.message, {
      schemaPath: p.schemaPath,
      dataPath: toPointer(p.input),
      expected: p.expected,
      actual: show(p.actual),
    });
  }
  const route = [...def.operations.values()].find((o) => o.method.toLowerCase() === 'get' && def.fullPath(o.pathTemplate) === routedTo);
  if (!route) {
    add(ctx, 'contract-request-mismatch', 'request', '/routedTo', `no GET operation of the definition is on ${routedTo}, so the PBX's answer there has no declared shape`, {
      expected: 'the path of a GET operation (e.g. a polling trigger\'s /trigger/<collection>)',
      actual: routedTo,
    });
  }
  nock.disableNetConnect();
  try {
    for (let i = 0; i < scenario.steps.length; i++) {
      const step = scenario.steps[i];
      const at = `/steps/${i}/request`;
      if (step.inputs !== undefined) {
        add(ctx, 'contract-input', 'request', `/steps/${i}/inputs`, 'a routed scenario is one call of the connector: give its inputs once, at the top', { expected: 'no step inputs', actual: show(step.inputs) });
      }
      if (step.request.path !== routedTo) {
        add(ctx, 'contract-request-mismatch', 'request', `${at}/path`, `the script sends ${op.operationId} to ${routedTo}, the step has ${step.request.path}`, { expected: routedTo, actual: step.request.path });
      }
      if (step.request.method !== request.method) {
        add(ctx, 'contract-request-mismatch', 'request', `${at}/method`, `the definition sends ${request.method}, the step has ${step.request.method}`, { schemaPath: op.pointer, expected: request.method, actual: step.request.method });
      }
      for (const [name, value] of Object.entries(request.query)) {
        if (ROUTED_PAGING.has(name) || step.request.query[name] === value) continue;
        const param = op.parameters.find((p) => p.parameter.in === 'query' && p.parameter.name === name);
        add(ctx, 'contract-request-mismatch', 'request', `${at}/query${toPointer(name)}`, `the filter "${name}" must reach the PBX unchanged: the definition sends ${show(value)}, the step has ${show(step.request.query[name])}`, {
          schemaPath: param?.pointer ?? op.pointer + '/parameters',
          dataPath: `/query${toPointer(name)}`,
          expected: show(value),
          actual: show(step.request.query[name]),
        });
      }
      const response = await send(def, asBuilt(step.request, request), step);
      if (response.error) {
        add(ctx, 'contract-request-mismatch', 'request', at, `nock did not answer the step's own request: ${response.error}`, { actual: describeRequest(step.request) });
        continue;
      }
      checkResponse({ ...ctx, op: route ?? op }, i, step, response);
      if (step.expect?.data !== undefined) {
        const answer = { version: '2', status: 'success', statusCode: 200, message: '', data: step.expect.data } as Json;
        const ok = declaredFor(op, 200)?.schemaPointer;
        if (ok) checkBody(ctx, 'response', ok, answer, `/steps/${i}/expect`, 'contract-response-schema');
      }
    }
  } finally {
    nock.cleanAll();
    nock.enableNetConnect();
  }
}

/** The GET operation of the definition whose path template `path` (base path included) is an instance of. */
function getRouteOf(def: ContractDefinition, path: string): OperationInfo | undefined {
  return [...def.operations.values()].find((o) => {
    if (o.method.toLowerCase() !== 'get') return false;
    const source = def.fullPath(o.pathTemplate).split(/\{[^}]+\}/).map(escapeRegExp).join('[^/]+');
    return new RegExp(`^${source}$`).test(path);
  });
}

/** The URL a step is sent to: its origin (the definition's host when it names none), path and query. */
function stepUrl(def: ContractDefinition, r: ScenarioRequest): URL {
  const url = new URL(r.path, r.origin ?? def.origin);
  for (const [name, value] of Object.entries(r.query)) url.searchParams.append(name, value);
  return url;
}

/** Every string value of a JSON value (the fields of the item the read answered). */
function strings(value: Json | undefined): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value !== null && typeof value === 'object') return Object.values(value).flatMap(strings);
  return [];
}

/**
 * An operation that answers a file (GetRecordingFile): script.csx reads the item on `routedTo` (an instance of
 * a GET route of the definition), then fetches the link the item holds, following redirects hop by hop. Step 0
 * is the read: on the route, with the key, its answer checked as that route declares. Each later step is one
 * fetch: of a link the read answered (step 1) or of the previous step's Location, carrying the API key exactly
 * when its URL is on the definition's host over HTTPS (no other host ever gets it). A redirect must say where;
 * a 2xx answer must be a file, not a page. The connector's own answer is checked through the script
 * (test/script/scenarios.test.ts); no step here goes over the network.
 */
async function replayFile(ctx: Context, scenario: ExchangeScenario, options: ReplayOptions): Promise<void> {
  const { def, op } = ctx;
  const { request, problems } = buildRequest(def, op, scenario.inputs, { apiKey: options.apiKey });
  for (const p of problems) {
    add(ctx, 'contract-input', 'request', `/inputs${p.input in scenario.inputs ? toPointer(p.input) : ''}`, p.message, { schemaPath: p.schemaPath, dataPath: toPointer(p.input), expected: p.expected, actual: show(p.actual) });
  }
  const routedTo = scenario.routedTo;
  const route = routedTo === undefined ? undefined : getRouteOf(def, routedTo);
  if (!route) {
    add(ctx, 'contract-file', 'request', '/routedTo', `${op.operationId} answers a file: the scenario's routedTo must name the read of the item (an instance of a GET route of the definition), got ${show(routedTo)}`, {
      expected: 'e.g. /api/v2/call_records/7002',
      actual: show(routedTo),
    });
    return;
  }
  const key = apiKeyHeader(def);
  const hasKey = (r: ScenarioRequest): boolean => key !== undefined && key in r.headers;
  const [first, ...fetches] = scenario.steps;
  if (first.request.origin !== undefined || first.request.path !== routedTo || first.request.method !== 'GET') {
    add(ctx, 'contract-file', 'request', '/steps/0/request', `the first step is the read of the item: GET ${routedTo} on the PBX`, { expected: `GET ${routedTo}`, actual: describeRequest(first.request) });
  }
  if (key && !hasKey(first.request)) add(ctx, 'contract-file', 'request', '/steps/0/request/headers', `the read of the item goes to the PBX with the ${key} header`, { expected: `${key} present`, actual: `no ${key}` });
  // The read's answer is the route's: checked as that route declares it (nock answers the step's own request).
  nock.disableNetConnect();
  try {
    const response = await send(def, asBuilt(first.request, request), first);
    if (response.error) add(ctx, 'contract-request-mismatch', 'request', '/steps/0/request', `nock did not answer the step's own request: ${response.error}`, { actual: describeRequest(first.request) });
    else checkResponse({ ...ctx, op: route }, 0, first, response);
  } finally {
    nock.cleanAll();
    nock.enableNetConnect();
  }
  const read = first.response.status < 300 && first.response.body !== null && typeof first.response.body === 'object' ? first.response.body : undefined;
  const links = strings(read);
  let expected: URL | undefined;
  fetches.forEach((step, n) => {
    const i = n + 1;
    const at = `/steps/${i}/request`;
    const url = stepUrl(def, step.request);
    if (n === 0 && !links.includes(url.toString()) && !links.includes(decodeURI(url.toString()))) {
      add(ctx, 'contract-file', 'request', at, `the first fetch must be of a link the read answered (${links.filter((l) => /^https?:/.test(l)).join(', ') || 'none'})`, { expected: 'a URL of the read\'s answer', actual: url.toString() });
    } else if (n > 0 && expected !== undefined && url.toString() !== expected.toString()) {
      add(ctx, 'contract-file', 'request', at, `a fetch after a redirect goes to its Location (${expected.toString()})`, { expected: expected.toString(), actual: url.toString() });
    }
    const pbx = url.protocol === 'https:' && url.host === def.host && url.username === '' && url.password === '';
    if (key && hasKey(step.request) !== pbx) {
      add(ctx, 'contract-file', 'request', `${at}/headers`, pbx ? `${url.host} over HTTPS is the PBX's own host: its file link gets the ${key} header` : `the API key must never go to ${url.protocol}//${url.host}: only to ${def.host} over HTTPS`, {
        expected: pbx ? `${key} present` : `no ${key}`,
        actual: hasKey(step.request) ? `${key} present` : `no ${key}`,
      });
    }
    if (step.request.method !== 'GET') add(ctx, 'contract-file', 'request', `${at}/method`, 'a file link is fetched with GET', { expected: 'GET', actual: step.request.method });
    const r = step.response;
    const status = r.status;
    if (status >= 300 && status < 400) {
      const location = r.headers.location;
      if (location === undefined) add(ctx, 'contract-file', 'response', `/steps/${i}/response/headers`, `a redirect (${status}) without a Location: the script cannot follow it`, { expected: 'a location header', actual: '(absent)' });
      expected = location === undefined ? undefined : new URL(location, url);
      return;
    }
    expected = undefined;
    if (status < 300 && i === scenario.steps.length - 1 && isTextualMediaType(r.headers['content-type'])) {
      add(ctx, 'contract-file', 'response', `/steps/${i}/response/headers`, `the file link answered ${status} with ${r.headers['content-type'] ?? 'no content type'}: a page, not a file (give the file's type, e.g. audio/mpeg, and its bytes in bodyBase64)`, {
        expected: 'a content type that is not text, JSON or XML',
        actual: r.headers['content-type'] ?? '(absent)',
      });
    }
  });
}

/** The scenario's request in sendable form (the API key header kept from the built one). */
function asBuilt(r: ScenarioRequest, built: BuiltRequest): BuiltRequest {
  const headers: Record<string, string> = { ...r.headers };
  for (const [k, v] of Object.entries(built.headers)) if (k in headers) headers[k] = v;
  return { method: r.method, path: r.path, query: r.query, headers, body: r.body };
}

function describeRequest(r: ScenarioRequest | BuiltRequest): string {
  const q = new URLSearchParams(r.query).toString();
  return `${r.method} ${r.path}${q ? '?' + q : ''}${r.body !== null ? ' ' + show(r.body) : ''}`;
}

/** Compares the built request with the scenario's; returns how many differences were reported. */
function compareRequest(ctx: Context, i: number, built: BuiltRequest, expected: ScenarioRequest): number {
  const before = ctx.findings.length;
  const at = `/steps/${i}/request`;
  const { op } = ctx;
  if (built.method !== expected.method) {
    add(ctx, 'contract-request-mismatch', 'request', `${at}/method`, `the definition sends ${built.method}, the scenario has ${expected.method}`, {
      schemaPath: op.pointer,
      expected: built.method,
      actual: expected.method,
    });
  }
  if (built.path !== expected.path) {
    add(ctx, 'contract-request-mismatch', 'request', `${at}/path`, `the definition builds path ${built.path}, the scenario has ${expected.path}`, {
      schemaPath: op.pointer.replace(/\/[a-z]+$/, ''),
      expected: built.path,
      actual: expected.path,
    });
  }
  const names = new Set([...Object.keys(built.query), ...Object.keys(expected.query)]);
  for (const name of [...names].sort()) {
    const b = built.query[name];
    const e = expected.query[name];
    if (b === e) continue;
    const param = op.parameters.find((p) => p.parameter.in === 'query' && p.parameter.name === name);
    const isCursor = op.polling?.parameter === name && i > 0;
    add(
      ctx,
      isCursor ? 'contract-cursor' : 'contract-request-mismatch',
      'request',
      `${at}/query${toPointer(name)}`,
      isCursor
        ? `poll ${i} must carry the cursor the previous response yielded (${name}=${b ?? '(absent)'}), the scenario sends ${e ?? 'nothing'}`
        : b === undefined
          ? `the scenario sends query parameter "${name}", which the definition ${param ? 'does not send for these inputs' : 'does not declare'}`
          : `query parameter "${name}": the definition sends ${show(b)}, the scenario has ${show(e)}`,
      { schemaPath: param?.pointer ?? op.pointer + '/parameters', dataPath: `/query${toPointer(name)}`, expected: show(b), actual: show(e) },
    );
  }
  if (!deepEqual(built.body, expected.body)) {
    add(ctx, 'contract-request-mismatch', 'request', `${at}/body`, 'the request body built from the inputs differs from the scenario', {
      schemaPath: op.parameters.find((p) => p.parameter.in === 'body')?.pointer ?? op.pointer,
      dataPath: '',
      expected: show(built.body),
      actual: show(expected.body),
    });
  }
  const key = apiKeyHeader(ctx.def);
  if (key && (key in built.headers) !== (key in expected.headers)) {
    add(ctx, 'contract-request-mismatch', 'request', `${at}/headers`, `the ${key} header is ${key in built.headers ? 'sent by the platform but absent from the scenario' : 'in the scenario but not sent'}`, {
      schemaPath: '/securityDefinitions',
      expected: key in built.headers ? `${key} present` : `no ${key}`,
      actual: key in expected.headers ? `${key} present` : `no ${key}`,
    });
  }
  return ctx.findings.length - before;
}

interface ReceivedResponse {
  status: number;
  headers: Record<string, string>;
  text: string;
  error?: string;
}

/** Sends the built request over HTTP; nock answers with the step's response only if it matches. */
async function send(def: ContractDefinition, request: BuiltRequest, step: ScenarioStep): Promise<ReceivedResponse> {
  const expected = step.request;
  const key = apiKeyHeader(def);
  const scope = nock(def.origin)
    .intercept(expected.path, expected.method, (body: unknown) => {
      if (expected.body === null) return body === undefined || body === '' || body === null;
      return deepEqual(body, expected.body);
    })
    .query((q: Record<string, unknown>) => deepEqual(q, expected.query));
  if (key && key in expected.headers) scope.matchHeader(key, (v: string | undefined) => typeof v === 'string' && v.trim().length > 0);
  const r = step.response;
  // Statuses that carry no body by definition; a stored body for them would make fetch throw.
  const bodiless = r.status === 204 || r.status === 205 || r.status === 304;
  const raw = bodiless || r.body === null ? '' : typeof r.body === 'string' ? r.body : JSON.stringify(r.body);
  scope.reply(r.status, raw, replayableHeaders(r.headers));
  const url = def.origin + request.path + (Object.keys(request.query).length ? '?' + new URLSearchParams(request.query).toString() : '');
  try {
    const res = await fetch(url, {
      method: request.method,
      headers: request.headers,
      body: request.body === null ? undefined : typeof request.body === 'string' ? request.body : JSON.stringify(request.body),
    });
    const headers: Record<string, string> = {};
    res.headers.forEach((v, k) => (headers[k.toLowerCase()] = v));
    return { status: res.status, headers, text: await res.text() };
  } catch (e) {
    const cause = (e as { cause?: Error }).cause;
    return { status: 0, headers: {}, text: '', error: (cause?.message ?? (e as Error).message).split('\n')[0] };
  } finally {
    nock.cleanAll();
  }
}

/** Recorded framing headers describe the original bytes, not the replayed body: drop them. */
const FRAMING_HEADERS = new Set(['content-length', 'content-encoding', 'transfer-encoding', 'connection', 'keep-alive']);
function replayableHeaders(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([k]) => !FRAMING_HEADERS.has(k)));
}

function declaredFor(op: OperationInfo, status: number): DeclaredResponse | undefined {
  return op.responses.find((r) => r.status === String(status));
}

function checkResponse(ctx: Context, i: number, step: ScenarioStep, res: ReceivedResponse): void {
  const { op } = ctx;
  const at = `/steps/${i}/response`;
  const declared = declaredFor(op, res.status);
  if (!declared) {
    const fallback = op.responses.find((r) => r.status === 'default');
    add(
      ctx,
      'contract-undeclared-status',
      'response',
      `${at}/status`,
      `status ${res.status} is not declared by ${op.operationId}${fallback ? ` (only \`default\`${fallback.schemaPointer ? '' : ', without schema,'} covers it)` : ''}; declared: ${op.responses.map((r) => r.status).join(', ')}`,
      { schemaPath: `${op.pointer}/responses`, expected: `one of ${op.responses.map((r) => r.status).join(', ')}`, actual: String(res.status) },
    );
  }
  checkHeaders(ctx, i, declared, res);
  if (!declared?.schemaPointer) return;
  const parsed = parseJson(res.text);
  if (!parsed.ok) {
    add(ctx, 'contract-response-not-json', 'response', `${at}/body`, `status ${res.status} declares a JSON schema but the body is ${parsed.why} (content-type: ${res.headers['content-type'] ?? 'none'})`, {
      schemaPath: declared.schemaPointer,
      expected: 'a JSON body',
      actual: show(res.text),
    });
    return;
  }
  checkBody(ctx, 'response', declared.schemaPointer, parsed.value, `${at}/body`, 'contract-response-schema');
}

/** Headers the platform acts on: Retry-After (429/503) and Location (201/202). */
const PLATFORM_HEADERS = ['retry-after', 'location'];

function checkHeaders(ctx: Context, i: number, declared: DeclaredResponse | undefined, res: ReceivedResponse): void {
  for (const name of PLATFORM_HEADERS) {
    const value = res.headers[name];
    if (value === undefined || !declared) continue;
    const def = declared.headers[name];
    const pointer = `/steps/${i}/response/headers${toPointer(name)}`;
    if (!def) {
      add(ctx, 'contract-response-header', 'response', pointer, `the PBX sends ${name} with status ${res.status} but the definition does not declare it`, {
        schemaPath: `${declared.pointer}/headers`,
        expected: `${name} declared under responses/${declared.status}/headers`,
        actual: value,
      });
    } else if (def.type === 'integer' && !/^\d+$/.test(value.trim())) {
      add(ctx, 'contract-response-header', 'response', pointer, `${name} is declared as an integer but the PBX sends ${JSON.stringify(value)}`, {
        schemaPath: `${declared.pointer}/headers/${name}`,
        expected: 'integer',
        actual: value,
      });
    }
  }
}

function checkBody(
  ctx: Context,
  direction: Direction,
  schemaPointer: string,
  value: Json,
  at: string,
  rule: 'contract-response-schema' | 'contract-event-schema',
): void {
  const { def, op } = ctx;
  for (const issue of def.validate(schemaPointer, value)) {
    add(ctx, rule, direction, at + issue.dataPath, `${op.operationId} ${direction}${issue.dataPath || ' body'}: expected ${issue.expected}, got ${show(issue.actual)}`, {
      schemaPath: issue.schemaPath,
      dataPath: issue.dataPath,
      expected: issue.expected,
      actual: show(issue.actual),
    });
  }
  // One drift finding per undeclared field and schema (a list of 50 items shows it once).
  const seen = new Map<string, { first: string; count: number; value: Json }>();
  for (const d of drift(def, schemaPointer, value)) {
    const key = `${d.schemaPath}|${d.field}`;
    const entry = seen.get(key);
    if (entry) entry.count++;
    else seen.set(key, { first: d.dataPath, count: 1, value: d.value });
  }
  for (const [key, { first, count, value: v }] of seen) {
    const [schemaPath, field] = key.split('|');
    add(ctx, 'contract-drift', direction, at + first, `${op.operationId} ${direction} has field "${field}" that the definition does not declare (${count === 1 ? 'at ' + first : `${count} times, first at ${first}`})`, {
      schemaPath,
      dataPath: first,
      expected: 'only declared properties',
      actual: `${field}: ${show(v)}`,
    });
  }
}

/** Evaluates the polling state expression; returns the cursor for the next poll. */
function checkCursor(ctx: Context, i: number, step: ScenarioStep, res: ReceivedResponse, previous: string): string {
  const polling = ctx.op.polling;
  if (!polling) return previous;
  let next = previous;
  const parsed = parseJson(res.text);
  if (res.status === 200 && parsed.ok) {
    try {
      if (polling.dataPath) {
        const items = evaluateTriggerExpression(polling.dataPath, parsed.value);
        if (!Array.isArray(items)) {
          add(ctx, 'contract-cursor', 'response', `/steps/${i}/response/body`, `the trigger's data path ${polling.dataPath} does not yield an array (split-on needs one)`, {
            schemaPath: polling.pointer.replace(/triggerConfig\/.*$/, 'triggerDataPath'),
            expected: 'an array',
            actual: show(items),
          });
        }
      }
      const value = evaluateTriggerExpression(polling.expression, parsed.value);
      // Nothing new (empty page): the platform keeps the previous state (assumption: the policy
      // answers 202 and does not store an empty value).
      if (value !== undefined && value !== null) next = String(value);
    } catch (e) {
      const message = e instanceof ExpressionError ? e.message : String(e);
      add(ctx, 'contract-cursor', 'response', `/steps/${i}/response/body`, message, { schemaPath: polling.pointer, expected: 'an evaluable state expression', actual: polling.expression });
    }
  }
  if (step.expect?.cursor !== undefined && step.expect.cursor !== next) {
    add(ctx, 'contract-cursor', 'response', `/steps/${i}/expect/cursor`, `the state expression ${polling.expression} yields ${JSON.stringify(next)} after this response, the scenario expects ${JSON.stringify(step.expect.cursor)}`, {
      schemaPath: polling.pointer,
      expected: step.expect.cursor,
      actual: next,
    });
  }
  return next;
}

// ---------------------------------------------------------------------------------------------
// Expected findings

/** Every finding a scenario declares it must produce (steps' and top-level), with their location. */
export function expectedFindings(s: Scenario): ExpectedFinding[] {
  if (s.kind === 'event') return s.expect?.findings ?? [];
  return s.steps.flatMap((step) => step.expect?.findings ?? []);
}

/**
 * Compares produced findings with the expected ones (rule + severity, and pointer when given; as a
 * multiset). Returns human-readable differences; empty = exactly as expected.
 */
export function findingDifferences(actual: ContractFinding[], s: Scenario, lineOf?: (pointer: string) => number | undefined): string[] {
  const at = (ptr: string): string => {
    const line = lineOf?.(ptr);
    return line ? `${ptr} (line ${line})` : ptr;
  };
  const expected = expectedFindings(s);
  const remaining = [...actual];
  const missing: ExpectedFinding[] = [];
  for (const e of expected) {
    const idx = remaining.findIndex((f) => f.rule === e.rule && f.severity === e.severity && (e.pointer === undefined || f.pointer === e.pointer));
    if (idx >= 0) remaining.splice(idx, 1);
    else missing.push(e);
  }
  return [
    ...missing.map((e) => `missing expected finding ${e.rule} (${e.severity})${e.pointer ? ' at ' + e.pointer : ''}`),
    ...remaining.map((f) => `unexpected ${f.severity} ${f.rule} at ${at(f.pointer)}: ${f.message}${f.schemaPath ? ` [schema ${f.schemaPath}]` : ''}`),
  ];
}
