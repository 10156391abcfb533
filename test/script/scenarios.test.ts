// The contract harness's scenarios, run through script.csx: each step is one call of the connector
// (later polls carry the state the policy derives from the script's answer), each SendAsync is
// served by that step. What the script must make of each PBX answer is asserted per kind.
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadProjectContract } from '../../contract/project';
import { parseJson } from '../../lib/json';
import { buildRequest } from '../../lib/request';
import { listScenarios, type ExchangeScenario, type JsonObject, type JsonValue } from '../../contract/scenario';
import type { Backend } from '../../script-host/host';
import { StepServer } from '../../script-host/step-server';
import { CONNECTOR, KEY, useScriptHost } from './helpers';
import { connector } from '../../connector/model/connector';

const host = useScriptHost();
const root = path.resolve(__dirname, '../..');
// With the 1.0 cursor of each polling trigger, which script.csx keeps in the Locations it writes.
const definition = loadProjectContract(root);
const exchanges = listScenarios()
  .map((loaded) => loaded.scenario)
  .filter((s): s is ExchangeScenario => s.kind !== 'event');

const isMap = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

/** JSON text parsed with integers too long for a JS number kept as their digits (ids beyond Int64), or undefined. */
function parseExact(text: string): JsonValue | undefined {
  const parsed = parseJson(text, { exactIntegers: true });
  return parsed.ok ? parsed.value : undefined;
}

/** A step's PBX body as JSON: a raw string body (HTML, truncated or big-number JSON) parsed exactly when it is JSON. */
const bodyOf = (body: JsonValue): JsonValue | undefined => (typeof body === 'string' ? parseExact(body) : body);

/** An id as an exact number, whatever its length or JSON type. */
const idOf = (item: JsonValue | undefined, field: string): bigint => BigInt(String(isMap(item) ? item[field] : ''));
const byIdDescending = (field: string) => (a: JsonValue, b: JsonValue) => (idOf(b, field) > idOf(a, field) ? 1 : idOf(b, field) < idOf(a, field) ? -1 : 0);

/** The reference page's message for an empty list: script.csx answers it as an empty list on list routes. */
const isNoItems = (status: number, body: JsonValue | undefined) => status === 404 && isMap(body) && /\bno items\b/i.test(String(body.message));

/** No header the PBX chose reaches the platform: a Location only the script's own (on the connector), no cookie. */
function checkNoPbxHeaders(headers: Record<string, string>, at: string): void {
  if (headers.location !== undefined) expect(headers.location.startsWith(CONNECTOR), at).toBe(true);
  expect(headers['set-cookie'], at).toBeUndefined();
  expect(headers['x-powered-by'], at).toBeUndefined();
}

/** The answer links the next page on the connector (same operation path) with exactly this query, or has no link. */
function checkNextLink(answer: JsonObject | undefined, expected: Record<string, string> | null | undefined, operationPath: string): void {
  if (!expected) {
    expect(answer).not.toHaveProperty('nextLink');
    return;
  }
  const link = new URL(String(answer?.nextLink));
  expect(`${link.origin}${link.pathname}`).toBe(`${CONNECTOR}${operationPath}`);
  expect(Object.fromEntries(link.searchParams)).toEqual(expected);
}

describe('contract scenarios through the script', () => {
  it('there are scenarios for every operation the script handles', () => {
    expect(new Set(exchanges.map((s) => s.operationId)).size).toBeGreaterThanOrEqual(20);
  });

  const answersFile = (s: ExchangeScenario): boolean => definition.operation(s.operationId)?.answersFile === true;

  it.each(exchanges.filter(answersFile).map((s) => [`${s.operationId}/${s.name} (one call: the read, then the file's link)`, s] as const))('%s', async (_name, scenario) => {
    const op = definition.operation(scenario.operationId)!;
    const { request } = buildRequest(definition, op, scenario.inputs as { [key: string]: JsonValue }, { apiKey: KEY });
    // Every step is served at its own origin, with the key exactly where the step records it.
    const server = new StepServer(scenario.steps, { authorization: `Bearer ${KEY}`, pbxOrigin: definition.origin });
    const result = await host().execute(
      { operationId: scenario.operationId, method: 'GET', url: definition.origin + request.path, headers: request.headers, body: null, originalRequestUri: `${CONNECTOR}${request.path.replace(/^\/api\/v2/, '')}` },
      server.backend,
    );
    server.assertComplete();
    const last = scenario.steps[scenario.steps.length - 1];
    const status = last.expect?.status ?? (last.response.status < 300 ? 200 : last.response.status);
    expect(result.status).toBe(status);
    if (status === 200) {
      expect(result.bodyBytes.toString('base64')).toBe(last.response.bodyBase64);
      expect(result.headers['content-type']).toBe(last.response.headers['content-type']);
      return;
    }
    const answer = JSON.parse(result.body) as JsonObject;
    expect(answer).toMatchObject({ status: 'error', statusCode: status });
    expect(String(answer.message).length).toBeGreaterThan(40);
  });

  it.each(exchanges.filter((s) => s.routedTo !== undefined && !answersFile(s)).map((s) => [`${s.operationId}/${s.name} (one call, routed)`, s] as const))('%s', async (_name, scenario) => {
    const op = definition.operation(scenario.operationId);
    const model = connector.operations.find((o) => o.operationId === scenario.operationId);
    if (!op || model?.kind !== 'action' || !model.route) throw new Error(`${scenario.operationId} is not a routed action of the model`);
    const { request } = buildRequest(definition, op, scenario.inputs as { [key: string]: JsonValue }, { apiKey: KEY });
    const url = new URL(definition.origin + request.path);
    for (const [name, value] of Object.entries(request.query)) url.searchParams.set(name, value);
    const server = new StepServer(scenario.steps, { authorization: `Bearer ${KEY}` });
    const result = await host().execute(
      { operationId: scenario.operationId, method: 'GET', url: url.toString(), headers: request.headers, body: null, originalRequestUri: `${CONNECTOR}${request.path.replace(/^\/api\/v2/, '')}` },
      server.backend,
    );
    server.assertComplete();
    checkNoPbxHeaders(result.headers, scenario.name);
    const last = scenario.steps[scenario.steps.length - 1];
    const answer = parseExact(result.body) as JsonObject;
    if (last.response.status >= 400 && !isNoItems(last.response.status, bodyOf(last.response.body))) {
      expect(result.status).toBe(last.response.status);
      expect(answer).toMatchObject({ status: 'error', statusCode: last.response.status });
      return;
    }
    expect(result.status).toBe(200);
    const idField = model.route.idField;
    // The page is cut by id (newest first): the Page Size highest ids read that are neither above the snapshot (on a
    // first page, the highest id read) nor at or above the last id already delivered. Unless the last PBX page was
    // short (the end), the two lowest of them (and one more for each item a page held beyond what was asked) wait
    // for the next page: they may sit before an item not read yet.
    const size = Number(scenario.inputs.limit ?? 50);
    const ask = Math.min(size + 2, 100);
    const pageOf = (st: (typeof scenario.steps)[number]): JsonValue[] => {
      const body = bodyOf(st.response.body);
      return isMap(body) && Array.isArray(body.data) ? body.data : [];
    };
    const read = [...new Map(scenario.steps.flatMap(pageOf).map((item) => [idOf(item, idField), item] as const)).entries()];
    const snapshot = scenario.inputs.snapshot_id ? BigInt(String(scenario.inputs.snapshot_id)) : read.reduce((max, [id]) => (id > max ? id : max), 0n);
    const after = scenario.inputs.after_id ? BigInt(String(scenario.inputs.after_id)) : undefined;
    const owed = read.filter(([id]) => id <= snapshot && (after === undefined || id < after)).map(([, item]) => item).sort(byIdDescending(idField));
    const ended = pageOf(last).length < ask;
    const overrun = scenario.steps.reduce((sum, st) => sum + Math.max(0, pageOf(st).length - ask), 0);
    const certain = ended ? owed : owed.slice(0, Math.max(Math.min(owed.length, 1), owed.length - 2 - overrun));
    const newestFirst = certain.slice(0, size);
    // List actions answer the platform's paging shape (items in value); dropdowns the PBX envelope (data).
    expect(model.payload.kind === 'page' ? answer.value : answer.data).toEqual(last.expect?.data ?? newestFirst);
    checkNextLink(answer, last.expect?.nextLink, model.path);
  });

  it.each(exchanges.filter((s) => s.routedTo === undefined).map((s) => [`${s.operationId}/${s.name}`, s] as const))('%s', async (_name, scenario) => {
    const op = definition.operation(scenario.operationId);
    if (!op) throw new Error(`the definition has no ${scenario.operationId}`);
    let cursor: string | undefined;
    for (const [i, step] of scenario.steps.entries()) {
      const inputs = { ...scenario.inputs, ...(step.inputs ?? {}) } as Parameters<typeof buildRequest>[2];
      if (op.polling && i > 0 && cursor !== undefined) inputs[op.polling.parameter] = cursor;
      const { request } = buildRequest(definition, op, inputs, { callbackUrl: scenario.callbackUrl, apiKey: KEY });
      const url = new URL(definition.origin + request.path);
      for (const [name, value] of Object.entries(request.query)) url.searchParams.set(name, value);
      // The script sends the page size explicitly when the flow author set none.
      const addedQuery: Record<string, string> = op.polling && request.query.limit === undefined ? { limit: '100' } : {};
      const server = new StepServer([step], { addedQuery, authorization: `Bearer ${KEY}` });
      // A scenario records one page per poll. A page that is not empty may not be the last (the PBX may cap
      // pages silently), so the script asks for the next one (offset + items received), which the scenario
      // does not hold: it is served empty here.
      const pbxBody = bodyOf(step.response.body);
      const stepData = isMap(pbxBody) ? pbxBody.data : undefined;
      const pageItems = Array.isArray(stepData) ? stepData.length : isMap(stepData) ? 1 : 0;
      const followUp = Boolean(op.polling) && step.response.status === 200 && pageItems > 0;
      // A page longer than asked is taken to cover only the places asked for: the next one starts there.
      const covered = Math.min(pageItems, Number(request.query.limit ?? addedQuery.limit ?? Infinity));
      const followUps: string[] = [];
      const backend: Backend = (sent, index) => {
        if (index === 0 || !followUp) return server.backend(sent, index);
        followUps.push(new URL(sent.url).searchParams.get('offset') ?? '(none)');
        return { status: 200, body: { version: '2', status: 'success', statusCode: 200, message: '', data: [] } };
      };
      // Polls carry the marker of a flow that has checked before (its first check is polling.test.ts's).
      const connectorPath = request.path.replace(/^\/api\/v2/, '');
      const connectorUrl = new URL(`${CONNECTOR}${connectorPath}`);
      for (const [name, value] of Object.entries(request.query)) connectorUrl.searchParams.set(name, value);
      if (op.polling) connectorUrl.searchParams.set('poll_v', '1');
      const result = await host().execute(
        {
          operationId: scenario.operationId,
          method: request.method.toUpperCase(),
          url: url.toString(),
          headers: request.headers,
          body: request.body === null ? null : JSON.stringify(request.body),
          originalRequestUri: connectorUrl.toString(),
        },
        backend,
      );
      server.assertComplete();
      expect(followUps, `step ${i + 1}: pages asked after a page that was not empty`).toEqual(followUp ? [String(Number(request.query.offset ?? '0') + covered)] : []);

      const pbx = step.response;
      const pbxData = stepData;
      const parsedAnswer = parseExact(result.body);
      const answer = isMap(parsedAnswer) ? parsedAnswer : undefined;
      const at = `step ${i + 1}`;
      checkNoPbxHeaders(result.headers, at);

      if (isNoItems(pbx.status, pbxBody) && (op.polling || scenario.operationId === 'GetLostCalls')) {
        // "No items found" on a list route: an empty list, not an error.
        expect(result.status, at).toBe(op.polling ? 202 : 200);
        if (!op.polling) expect(answer, at).toMatchObject({ status: 'success', data: [] });
        if (op.polling) cursor = new URL(result.headers.location ?? '', CONNECTOR).searchParams.get(op.polling.parameter) ?? undefined;
        if (step.expect?.cursor !== undefined) expect(cursor, at).toBe(step.expect.cursor);
      } else if (pbx.status >= 400) {
        const expectedStatus = scenario.operationId === 'DeleteWebhookByID' && pbx.status === 404 ? 200 : pbx.status;
        expect(result.status, at).toBe(expectedStatus);
        expect(answer, at).toBeDefined();
        if (expectedStatus >= 400) {
          expect(answer, at).toMatchObject({ status: 'error', statusCode: pbx.status });
          expect(String(answer?.message).length, at).toBeGreaterThan(40);
        }
      } else if (op.trigger === 'single') {
        const id = typeof pbxData === 'string' && /^\d+$/.test(pbxData) ? pbxData : undefined;
        expect(result.status, at).toBe(id ? 201 : pbx.status);
        expect(result.headers.location, at).toBe(id ? `${CONNECTOR}/webhooks/${id}` : undefined);
        expect(answer, at).toEqual(pbx.body);
      } else if (op.polling) {
        const idField = /data\[0\]\.(\w+)/.exec(op.polling.expression)?.[1] ?? '';
        const after = BigInt(request.query[op.polling.parameter] ?? '0');
        const listed = Array.isArray(pbxData) ? pbxData : isMap(pbxData) ? [pbxData] : [];
        const fresh = [...new Map(listed.filter((item) => idOf(item, idField) > after).map((item) => [idOf(item, idField), item] as const)).values()];
        const newestFirst = [...fresh].sort(byIdDescending(idField));
        expect(result.status, at).toBe(newestFirst.length > 0 ? 200 : 202);
        if (newestFirst.length > 0) expect(answer?.data, at).toEqual(newestFirst);
        const location = new URL(result.headers.location ?? '', CONNECTOR);
        expect(location.pathname, at).toBe(new URL(`${CONNECTOR}${connectorPath}`).pathname);
        cursor = location.searchParams.get(op.polling.parameter) ?? undefined;
        if (step.expect?.cursor !== undefined) expect(cursor, at).toBe(step.expect.cursor);
      } else {
        expect(result.status, at).toBe(pbx.status);
        if (typeof pbx.body === 'string') expect(result.body, at).toBe(pbx.body);
        else {
          const { nextLink: _link, ...rest } = answer ?? {};
          expect(rest, at).toEqual(pbx.body);
          checkNextLink(answer, step.expect?.nextLink, op.pathTemplate);
        }
      }
    }
  });
});
