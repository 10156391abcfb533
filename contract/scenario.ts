/**
 * Scenarios: PBX exchanges kept as data (one YAML file each under test/scenarios/<operationId>/<name>.yaml).
 * Shared by the contract replay, the recorder, the script tests and the sandbox mock PBX.
 *
 * This file owns the types, a structural validator that explains what is wrong and where
 * (file + JSON pointer, never a bare stack trace), a loader and a deterministic serializer.
 * The format itself is described in contract/README.md.
 */
import * as fs from 'fs';
import * as path from 'path';
import YAML from 'yaml';
import { pointer as toPointer } from '../lib/finding';
import { parsePointer } from '../lib/json-pointer';
import type { Severity } from '../lib/finding';
import type { JsonObject, JsonValue } from '../lib/json';

export type { JsonObject, JsonValue };

export const SCENARIO_KINDS = ['success', 'empty', 'error', 'event'] as const;
export type ScenarioKind = (typeof SCENARIO_KINDS)[number];
export const SCENARIO_SOURCES = ['hand-written', 'recorded'] as const;
export type ScenarioSource = (typeof SCENARIO_SOURCES)[number];

/** The redacted form every stored Authorization header takes; the key itself is never stored. */
export const REDACTED_AUTHORIZATION = 'Bearer <redacted>';

export interface ScenarioRequest {
  /**
   * Where the request goes when it is not the PBX's API host: the origin of a recording file link
   * (`https://files.example.invalid`) that GetRecordingFile follows. Absent: the definition's host.
   */
  origin?: string;
  method: string;
  /** Full path including the base path, percent-encoded as sent (e.g. `/api/v2/contacts/12`). */
  path: string;
  /** Query parameters as sent; values are strings. */
  query: Record<string, string>;
  /**
   * Request headers (lower-case names); `authorization` is matched by presence only, and its absence
   * means the request must carry none (a file link on another host gets no API key).
   */
  headers: Record<string, string>;
  /** JSON body, or null when there is none. A string is the raw (non-JSON) body text. */
  body: JsonValue;
}

export interface ScenarioResponse {
  status: number;
  /** Response headers (lower-case names), e.g. content-type, retry-after. */
  headers: Record<string, string>;
  /**
   * The body: any JSON value is sent as JSON; a string is sent verbatim as the raw body text
   * (HTML error pages, truncated JSON...). A JSON document whose top level is a string is
   * therefore written as its raw text, quotes included.
   */
  body: JsonValue;
  /** A body that is bytes (an audio file), base64; `body` is then null. */
  bodyBase64?: string;
}

export interface ExpectedFinding {
  rule: string;
  severity: Severity;
  /** Optional: JSON pointer into the scenario the finding must point at. */
  pointer?: string;
}

export interface StepExpectation {
  /** Polling triggers: the value the pollingtrigger state expression must yield on this response. */
  cursor?: string;
  /** The findings this step must produce (nothing else). Absent = none. */
  findings?: ExpectedFinding[];
  /**
   * Pageable operations, through script.csx: the query of the `nextLink` the connector answers
   * after this exchange (same operation path on the connector); `null` = no link (last page).
   */
  nextLink?: Record<string, string> | null;
  /** Through script.csx: the `data` the connector answers when it is not the PBX's (e.g. dropdown items). */
  data?: JsonValue;
  /** Through script.csx: the status the connector answers after this exchange, when it is not the PBX's (a file too large: 413). */
  status?: number;
}

export interface ScenarioStep {
  /** Inputs for this step, merged over the scenario's `inputs` (e.g. the next page's offset). */
  inputs?: JsonObject;
  request: ScenarioRequest;
  response: ScenarioResponse;
  expect?: StepExpectation;
}

export interface ScenarioBase {
  operationId: string;
  name: string;
  kind: ScenarioKind;
  source: ScenarioSource;
  description: string;
}

/** An exchange (or a sequence of them) between the connector and the PBX. */
export interface ExchangeScenario extends ScenarioBase {
  kind: 'success' | 'empty' | 'error';
  /**
   * What a flow author / the platform passes to the operation, by parameter name
   * (body parameters as `body: {...}`). Internal parameters with defaults may be omitted.
   */
  inputs: JsonObject;
  /** Webhook subscriptions: the callback URL the platform puts in the notification-url property. */
  callbackUrl?: string;
  /**
   * The PBX path script.csx sends this operation to, when it is not the operation's own path (list
   * actions and dropdowns read `/trigger/<collection>`). The steps are then the PBX exchanges of ONE
   * call of the connector, in order, and the last one's answer is the operation's.
   */
  routedTo?: string;
  steps: ScenarioStep[];
}

/** A webhook event body the PBX POSTs to the callback URL. */
export interface EventScenario extends ScenarioBase {
  kind: 'event';
  event: JsonValue;
  expect?: { findings?: ExpectedFinding[] };
}

export type Scenario = ExchangeScenario | EventScenario;

/** A scenario together with where it came from. */
export interface LoadedScenario {
  /** Path as given to the loader (relative paths stay relative: used in findings). */
  file: string;
  scenario: Scenario;
  /** Line number (1-based) of a JSON pointer inside the file, when known. */
  lineOf(pointer: string): number | undefined;
}

/** A malformed scenario: names the file, the JSON pointer and what was expected. */
export class ScenarioError extends Error {
  constructor(
    readonly file: string,
    readonly pointer: string,
    readonly problem: string,
    readonly line?: number,
  ) {
    super(`${file}${line ? `:${line}` : ''}: ${pointer || '(document)'}: ${problem}`);
    this.name = 'ScenarioError';
  }
}

// ---------------------------------------------------------------------------------------------
// Structural validation (hand-written so that every message says what was expected, in words).

interface Problem {
  pointer: string;
  problem: string;
}

const NAME_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const OPERATION_ID_PATTERN = /^[A-Z][A-Za-z0-9_]*$/;
const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return value.length === 0 ? 'an empty list' : 'a list';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? value.slice(0, 40) + '…' : value)}`;
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${JSON.stringify(value)}`;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isJsonValue(value: unknown): value is JsonValue {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (Array.isArray(value)) return value.every(isJsonValue);
  if (isPlainObject(value)) return Object.values(value).every(isJsonValue);
  return false;
}

class Checker {
  readonly problems: Problem[] = [];

  fail(ptr: string, problem: string): void {
    this.problems.push({ pointer: ptr, problem });
  }

  object(value: unknown, ptr: string, what: string): value is Record<string, unknown> {
    if (isPlainObject(value)) return true;
    this.fail(ptr, `expected ${what} (a mapping), got ${describe(value)}`);
    return false;
  }

  string(value: unknown, ptr: string, what: string): value is string {
    if (typeof value === 'string') return true;
    this.fail(ptr, `expected ${what} (a string), got ${value === undefined ? 'nothing' : describe(value)}`);
    return false;
  }

  oneOf<T extends string>(value: unknown, ptr: string, allowed: readonly T[]): value is T {
    if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return true;
    this.fail(ptr, `expected one of ${allowed.join(' | ')}, got ${value === undefined ? 'nothing' : describe(value)}`);
    return false;
  }

  onlyKeys(value: Record<string, unknown>, ptr: string, allowed: string[]): void {
    for (const key of Object.keys(value)) {
      if (!allowed.includes(key)) this.fail(toPointerAppend(ptr, key), `unknown key "${key}" (allowed: ${allowed.join(', ')})`);
    }
  }

  stringMap(value: unknown, ptr: string, what: string, lowerCaseKeys: boolean): void {
    if (!this.object(value, ptr, what)) return;
    for (const [key, v] of Object.entries(value)) {
      const p = toPointerAppend(ptr, key);
      if (typeof v !== 'string') this.fail(p, `expected a string value (quote numbers, e.g. "2"), got ${describe(v)}`);
      if (lowerCaseKeys && key !== key.toLowerCase()) this.fail(p, `header names are stored in lower case: write "${key.toLowerCase()}"`);
    }
  }

  json(value: unknown, ptr: string): void {
    if (!isJsonValue(value)) this.fail(ptr, 'expected plain JSON data (no dates, anchors to non-JSON values or special numbers)');
  }

  findings(value: unknown, ptr: string): void {
    if (!Array.isArray(value)) {
      this.fail(ptr, `expected a list of {rule, severity}, got ${describe(value)}`);
      return;
    }
    value.forEach((f, i) => {
      const p = toPointerAppend(ptr, i);
      if (!this.object(f, p, 'an expected finding {rule, severity, pointer?}')) return;
      this.onlyKeys(f, p, ['rule', 'severity', 'pointer']);
      this.string(f.rule, toPointerAppend(p, 'rule'), 'a rule id');
      this.oneOf(f.severity, toPointerAppend(p, 'severity'), ['error', 'warn'] as const);
      if (f.pointer !== undefined) this.string(f.pointer, toPointerAppend(p, 'pointer'), 'a JSON pointer');
    });
  }
}

function toPointerAppend(base: string, token: string | number): string {
  return base + toPointer(token);
}

function checkRequest(c: Checker, value: unknown, ptr: string): void {
  if (!c.object(value, ptr, 'a request {origin?, method, path, query, headers, body}')) return;
  c.onlyKeys(value, ptr, ['origin', 'method', 'path', 'query', 'headers', 'body']);
  if (value.origin !== undefined && c.string(value.origin, ptr + '/origin', 'an origin') && !/^https?:\/\/[^/?#\s]+$/.test(value.origin)) {
    c.fail(ptr + '/origin', `expected scheme and host only (e.g. https://files.example.invalid), got ${describe(value.origin)}`);
  }
  if (c.string(value.method, ptr + '/method', 'an HTTP method') && !HTTP_METHODS.includes(value.method)) {
    c.fail(ptr + '/method', `expected an upper-case HTTP method (${HTTP_METHODS.join(', ')}), got ${describe(value.method)}`);
  }
  if (c.string(value.path, ptr + '/path', 'the request path') && !value.path.startsWith('/')) {
    c.fail(ptr + '/path', `expected an absolute path starting with "/" (including the base path), got ${describe(value.path)}`);
  }
  if (c.string(value.path, ptr + '/path', 'the request path') && value.path.includes('?')) {
    c.fail(ptr + '/path', 'the path must not carry a query string: put parameters under `query`');
  }
  c.stringMap(value.query ?? {}, ptr + '/query', 'query parameters', false);
  c.stringMap(value.headers ?? {}, ptr + '/headers', 'request headers', true);
  if (isPlainObject(value.headers)) {
    const auth = value.headers.authorization;
    if (typeof auth === 'string' && auth !== REDACTED_AUTHORIZATION) {
      c.fail(ptr + '/headers/authorization', `an API key must never be stored: write "${REDACTED_AUTHORIZATION}"`);
    }
  }
  if (!('body' in value)) c.fail(ptr + '/body', 'expected `body` (write `body: null` when there is none)');
  else c.json(value.body, ptr + '/body');
}

function checkResponse(c: Checker, value: unknown, ptr: string): void {
  if (!c.object(value, ptr, 'a response {status, headers, body, bodyBase64?}')) return;
  c.onlyKeys(value, ptr, ['status', 'headers', 'body', 'bodyBase64']);
  if (value.bodyBase64 !== undefined) {
    if (c.string(value.bodyBase64, ptr + '/bodyBase64', 'the body\'s bytes in base64') && !/^[A-Za-z0-9+/]*={0,2}$/.test(value.bodyBase64)) {
      c.fail(ptr + '/bodyBase64', 'expected base64 (A-Z, a-z, 0-9, +, / and = padding)');
    }
    if (value.body !== null && value.body !== undefined) c.fail(ptr + '/body', 'a response with bodyBase64 has `body: null`');
  }
  const status = value.status;
  if (typeof status !== 'number' || !Number.isInteger(status) || status < 200 || status > 599) {
    c.fail(ptr + '/status', `expected a final HTTP status code (an integer 200-599), got ${status === undefined ? 'nothing' : describe(status)}`);
  }
  c.stringMap(value.headers ?? {}, ptr + '/headers', 'response headers', true);
  if (!('body' in value)) c.fail(ptr + '/body', 'expected `body` (write `body: null` for an empty body)');
  else c.json(value.body, ptr + '/body');
}

function checkStep(c: Checker, value: unknown, ptr: string): void {
  if (!c.object(value, ptr, 'a step {request, response, expect?}')) return;
  c.onlyKeys(value, ptr, ['inputs', 'request', 'response', 'expect']);
  if (value.inputs !== undefined && c.object(value.inputs, ptr + '/inputs', 'step inputs')) c.json(value.inputs, ptr + '/inputs');
  checkRequest(c, value.request, ptr + '/request');
  checkResponse(c, value.response, ptr + '/response');
  if (value.expect !== undefined && c.object(value.expect, ptr + '/expect', 'step expectations {cursor?, findings?, nextLink?, data?, status?}')) {
    c.onlyKeys(value.expect, ptr + '/expect', ['cursor', 'findings', 'nextLink', 'data', 'status']);
    const status = value.expect.status;
    if (status !== undefined && (typeof status !== 'number' || !Number.isInteger(status) || status < 200 || status > 599)) {
      c.fail(ptr + '/expect/status', `expected the connector's HTTP status (an integer 200-599), got ${describe(status)}`);
    }
    if (value.expect.cursor !== undefined) c.string(value.expect.cursor, ptr + '/expect/cursor', 'the expected cursor');
    if (value.expect.findings !== undefined) c.findings(value.expect.findings, ptr + '/expect/findings');
    if (value.expect.nextLink !== undefined && value.expect.nextLink !== null) c.stringMap(value.expect.nextLink, ptr + '/expect/nextLink', 'the next link\'s query (or null for none)', false);
    if (value.expect.data !== undefined) c.json(value.expect.data, ptr + '/expect/data');
  }
}

/**
 * Checks the structure of a parsed scenario document. Returns the problems found (empty = valid).
 * `expected` (optional) is the operationId/name implied by the file location.
 */
export function validateScenarioStructure(doc: unknown, expected?: { operationId?: string; name?: string }): Problem[] {
  const c = new Checker();
  if (!c.object(doc, '', 'a scenario document')) return c.problems;
  const kind = doc.kind;
  const common = ['operationId', 'name', 'kind', 'source', 'description'];
  if (c.string(doc.operationId, '/operationId', 'an operationId')) {
    if (!OPERATION_ID_PATTERN.test(doc.operationId)) c.fail('/operationId', `expected a PascalCase operationId, got ${describe(doc.operationId)}`);
    else if (expected?.operationId && doc.operationId !== expected.operationId) {
      c.fail('/operationId', `the file lives in folder "${expected.operationId}" but declares operationId "${doc.operationId}"`);
    }
  }
  if (c.string(doc.name, '/name', 'a scenario name')) {
    if (!NAME_PATTERN.test(doc.name)) c.fail('/name', `expected a kebab-case name, got ${describe(doc.name)}`);
    else if (expected?.name && doc.name !== expected.name) c.fail('/name', `the file is named "${expected.name}.yaml" but declares name "${doc.name}"`);
  }
  c.oneOf(kind, '/kind', SCENARIO_KINDS);
  c.oneOf(doc.source, '/source', SCENARIO_SOURCES);
  c.string(doc.description, '/description', 'a one-line description');
  if (kind === 'event') {
    c.onlyKeys(doc, '', [...common, 'event', 'expect']);
    if (!('event' in doc)) c.fail('/event', 'an event scenario needs `event`: the body the PBX POSTs to the callback URL');
    else c.json(doc.event, '/event');
    if (doc.expect !== undefined && c.object(doc.expect, '/expect', 'expectations {findings?}')) {
      c.onlyKeys(doc.expect, '/expect', ['findings']);
      if (doc.expect.findings !== undefined) c.findings(doc.expect.findings, '/expect/findings');
    }
  } else {
    c.onlyKeys(doc, '', [...common, 'inputs', 'callbackUrl', 'routedTo', 'steps']);
    if (doc.inputs !== undefined && c.object(doc.inputs, '/inputs', 'operation inputs by parameter name')) c.json(doc.inputs, '/inputs');
    if (doc.callbackUrl !== undefined) c.string(doc.callbackUrl, '/callbackUrl', 'a callback URL');
    if (doc.routedTo !== undefined && c.string(doc.routedTo, '/routedTo', 'the PBX path the script sends the call to') && !doc.routedTo.startsWith('/')) {
      c.fail('/routedTo', `expected an absolute path starting with "/" (including the base path), got ${describe(doc.routedTo)}`);
    }
    if (!Array.isArray(doc.steps) || doc.steps.length === 0) {
      c.fail('/steps', `expected a non-empty list of steps, got ${doc.steps === undefined ? 'nothing' : describe(doc.steps)}`);
    } else {
      doc.steps.forEach((s, i) => checkStep(c, s, `/steps/${i}`));
    }
  }
  return c.problems;
}

/** Fills defaults (empty query/headers/inputs) so that consumers see one shape. */
function normalise(doc: Record<string, unknown>): Scenario {
  if (doc.kind === 'event') return doc as unknown as EventScenario;
  const steps = (doc.steps as Array<Record<string, Record<string, unknown>>>).map((s) => ({
    ...s,
    request: { ...s.request, query: s.request.query ?? {}, headers: s.request.headers ?? {} },
    response: { ...s.response, headers: s.response.headers ?? {} },
  }));
  return { ...doc, inputs: (doc.inputs as JsonObject | undefined) ?? {}, steps } as unknown as ExchangeScenario;
}

// ---------------------------------------------------------------------------------------------
// Parsing and loading.

/**
 * Parses scenario YAML text. Throws a ScenarioError (file, pointer, line) on a YAML syntax error
 * or a structural problem; the message lists every problem found, not only the first.
 */
export function parseScenario(text: string, file: string, expected?: { operationId?: string; name?: string }): LoadedScenario {
  const doc = YAML.parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const err = doc.errors[0];
    const line = err.linePos?.[0]?.line;
    throw new ScenarioError(file, '', `not valid YAML: ${err.message.split('\n')[0]}`, line);
  }
  const data: unknown = doc.toJS({ maxAliasCount: 100 });
  const lineOf = (ptr: string): number | undefined => lineOfPointer(doc, text, ptr);
  const problems = validateScenarioStructure(data, expected);
  if (problems.length > 0) {
    const first = problems[0];
    const err = new ScenarioError(file, first.pointer, first.problem, lineOf(first.pointer));
    if (problems.length > 1) {
      err.message += problems
        .slice(1)
        .map((p) => `\n  ${file}${lineOf(p.pointer) ? `:${lineOf(p.pointer)}` : ''}: ${p.pointer || '(document)'}: ${p.problem}`)
        .join('');
    }
    throw err;
  }
  return { file, scenario: normalise(data as Record<string, unknown>), lineOf };
}

function lineOfPointer(doc: YAML.Document, text: string, ptr: string): number | undefined {
  const tokens = parsePointer(ptr);
  // Walk down to the deepest existing node so that a missing key still points near its parent.
  for (let n = tokens.length; n >= 0; n--) {
    const node = doc.getIn(tokens.slice(0, n).map((t) => (/^\d+$/.test(t) ? Number(t) : t)), true) as
      | { range?: [number, number, number] }
      | undefined;
    const offset = node?.range?.[0];
    if (offset !== undefined) return text.slice(0, offset).split('\n').length;
  }
  return undefined;
}

/** Reads and validates one scenario file; the operationId/name must match its folder/file name. */
export function readScenarioFile(file: string): LoadedScenario {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new ScenarioError(file, '', `cannot read the file: ${(e as Error).message}`);
  }
  const name = path.basename(file).replace(/\.ya?ml$/, '');
  const operationId = path.basename(path.dirname(file));
  return parseScenario(text, file, { operationId, name });
}

/** The repository's scenario folder. */
export const SCENARIO_ROOT = path.resolve(__dirname, '..', 'test', 'scenarios');

/** All scenario file paths under `root`, sorted (operationId folder, then file name). */
export function listScenarioFiles(root: string = SCENARIO_ROOT): string[] {
  if (!fs.existsSync(root)) return [];
  const files: string[] = [];
  for (const dir of fs.readdirSync(root, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort()) {
    for (const f of fs.readdirSync(path.join(root, dir)).sort()) {
      if (/\.ya?ml$/.test(f)) files.push(path.join(root, dir, f));
    }
  }
  return files;
}

/** Loads every scenario under `root` (throws the first ScenarioError met). */
export function listScenarios(root: string = SCENARIO_ROOT): LoadedScenario[] {
  return listScenarioFiles(root).map(readScenarioFile);
}

/** Loads one scenario by operationId and name, e.g. `loadScenario('GetCallHistory', 'two-pages')`. */
export function loadScenario(operationId: string, name: string, root: string = SCENARIO_ROOT): Scenario {
  const file = path.join(root, operationId, `${name}.yaml`);
  if (!fs.existsSync(file)) {
    const known = fs.existsSync(path.join(root, operationId))
      ? fs.readdirSync(path.join(root, operationId)).map((f) => f.replace(/\.ya?ml$/, ''))
      : [];
    throw new ScenarioError(file, '', `no scenario "${name}" for ${operationId}${known.length ? ` (known: ${known.join(', ')})` : ' (no scenarios for this operation)'}`);
  }
  return readScenarioFile(file).scenario;
}

// ---------------------------------------------------------------------------------------------
// Serializing (deterministic: fixed key order for the scenario's own keys, sorted query/header/
// input names; bodies keep the key order the API sent, which is part of what was observed).

function sortedKeys<T>(map: Record<string, T> | undefined): Record<string, T> {
  const out: Record<string, T> = {};
  for (const key of Object.keys(map ?? {}).sort()) out[key] = (map as Record<string, T>)[key];
  return out;
}

function orderedFindings(findings: ExpectedFinding[]): ExpectedFinding[] {
  return findings.map((f) => ({ rule: f.rule, severity: f.severity, ...(f.pointer !== undefined ? { pointer: f.pointer } : {}) }));
}

/** Puts a scenario's keys in the canonical order (pure; used by the serializer). */
export function canonicalScenario(s: Scenario): Record<string, unknown> {
  const head = { operationId: s.operationId, name: s.name, kind: s.kind, source: s.source, description: s.description };
  if (s.kind === 'event') {
    return {
      ...head,
      event: s.event,
      ...(s.expect?.findings ? { expect: { findings: orderedFindings(s.expect.findings) } } : {}),
    };
  }
  return {
    ...head,
    inputs: sortedKeys(s.inputs),
    ...(s.callbackUrl !== undefined ? { callbackUrl: s.callbackUrl } : {}),
    ...(s.routedTo !== undefined ? { routedTo: s.routedTo } : {}),
    steps: s.steps.map((step) => ({
      ...(step.inputs !== undefined ? { inputs: sortedKeys(step.inputs) } : {}),
      request: {
        ...(step.request.origin !== undefined ? { origin: step.request.origin } : {}),
        method: step.request.method,
        path: step.request.path,
        query: sortedKeys(step.request.query),
        headers: sortedKeys(step.request.headers),
        body: step.request.body ?? null,
      },
      response: {
        status: step.response.status,
        headers: sortedKeys(step.response.headers),
        body: step.response.body ?? null,
        ...(step.response.bodyBase64 !== undefined ? { bodyBase64: step.response.bodyBase64 } : {}),
      },
      ...(step.expect && (step.expect.cursor !== undefined || step.expect.findings || step.expect.nextLink !== undefined || step.expect.data !== undefined || step.expect.status !== undefined)
        ? {
            expect: {
              ...(step.expect.cursor !== undefined ? { cursor: step.expect.cursor } : {}),
              ...(step.expect.findings ? { findings: orderedFindings(step.expect.findings) } : {}),
              ...(step.expect.nextLink !== undefined ? { nextLink: step.expect.nextLink === null ? null : sortedKeys(step.expect.nextLink) } : {}),
              ...(step.expect.data !== undefined ? { data: step.expect.data } : {}),
              ...(step.expect.status !== undefined ? { status: step.expect.status } : {}),
            },
          }
        : {}),
    })),
  };
}

/**
 * Serializes a scenario to YAML: canonical key order, no line folding, LF, trailing newline.
 * Throws a ScenarioError if the scenario would not load back (so nothing malformed is written).
 */
export function serializeScenario(s: Scenario): string {
  const canonical = canonicalScenario(s);
  const problems = validateScenarioStructure(canonical);
  if (problems.length > 0) {
    throw new ScenarioError(`${s.operationId}/${s.name}.yaml`, problems[0].pointer, problems[0].problem);
  }
  const text = new YAML.Document(canonical, { aliasDuplicateObjects: false }).toString({ lineWidth: 0, indent: 2 });
  return text.endsWith('\n') ? text : text + '\n';
}

/** Writes `<root>/<operationId>/<name>.yaml` and returns its path. */
export function writeScenario(s: Scenario, root: string = SCENARIO_ROOT): string {
  const text = serializeScenario(s);
  const file = path.join(root, s.operationId, `${s.name}.yaml`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text, 'utf8');
  return file;
}
