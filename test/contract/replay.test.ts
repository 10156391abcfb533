/** Replay behaviour on purpose-made inputs (mini definition): bad bodies become findings, never crashes. */
import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { findingDifferences, replayScenario } from '../../contract/replay';
import type { ExchangeScenario, LoadedScenario, Scenario, ScenarioStep } from '../../contract/scenario';
import { miniDefinition, miniDoc } from './fixtures/mini-definition';

const def = miniDefinition();
const AUTH = { authorization: 'Bearer <redacted>' };
const JSON_CT = { 'content-type': 'application/json' };

function loaded(scenario: Scenario): LoadedScenario {
  return { file: 'mem.yaml', scenario, lineOf: () => undefined };
}
function getItem(response: ScenarioStep['response'], extra: Partial<ScenarioStep> = {}): ExchangeScenario {
  return {
    operationId: 'GetItem', name: 'x', kind: 'success', source: 'hand-written', description: 'x', inputs: { item_key: 'a b' },
    steps: [{ request: { method: 'GET', path: '/api/v2/items/a%20b', query: {}, headers: AUTH, body: null }, response, ...extra }],
  };
}
const rules = async (s: Scenario) => (await replayScenario(def, loaded(s))).map((f) => `${f.severity} ${f.rule} ${f.pointer}`);

describe('replay: responses', () => {
  it('passes a matching exchange with no findings and leaves nock clean', async () => {
    expect(await rules(getItem({ status: 200, headers: JSON_CT, body: { id: 7, note: null } }))).toEqual([]);
    expect(nock.pendingMocks()).toEqual([]);
    expect(nock.isActive()).toBe(true);
  });

  it.each([
    ['an HTML page', '<!DOCTYPE html><html><body>Kļūda</body></html>', /an HTML\/XML page/],
    ['truncated JSON', '{"id": 7, "no', /not valid JSON/],
    ['an empty body', null, /is empty/],
  ])('a declared 200 with %s is a not-JSON finding', async (_what, body, message) => {
    const findings = await replayScenario(def, loaded(getItem({ status: 200, headers: { 'content-type': 'text/html' }, body })));
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ rule: 'contract-response-not-json', severity: 'error', pointer: '/steps/0/response/body', direction: 'response', operationId: 'GetItem' });
    expect(findings[0].message).toMatch(message);
  });

  it('an undeclared status is a warning naming it (default without schema covers it, body unchecked)', async () => {
    const findings = await replayScenario(def, loaded(getItem({ status: 503, headers: {}, body: '<html>down</html>' })));
    expect(findings.map((f) => [f.rule, f.severity, f.actual])).toEqual([['contract-undeclared-status', 'warn', '503']]);
    expect(findings[0].message).toMatch(/status 503 is not declared by GetItem \(only `default`, without schema, covers it\)/);
  });

  it('checks Retry-After against the declared header', async () => {
    const body = { message: 'slow' };
    expect(await rules(getItem({ status: 429, headers: { ...JSON_CT, 'retry-after': '30' }, body }))).toEqual([]);
    expect(await rules(getItem({ status: 429, headers: { ...JSON_CT, 'retry-after': 'Wed, 21 Oct 2015 07:28:00 GMT' }, body }))).toEqual(['warn contract-response-header /steps/0/response/headers/retry-after']);
  });

  it('reports drift once per field and schema, with the count', async () => {
    const findings = await replayScenario(def, loaded({
      ...getItem({ status: 200, headers: JSON_CT, body: { data: [{ id: 3, queue: 'a' }, { id: 2, queue: 'b' }] } }),
      operationId: 'GetItems', inputs: {},
      steps: [{ request: { method: 'GET', path: '/api/v2/trigger/items', query: { initial_item_id: '0' }, headers: AUTH, body: null }, response: { status: 200, headers: JSON_CT, body: { data: [{ id: 3, queue: 'a' }, { id: 2, queue: 'b' }] } } }],
    }));
    expect(findings.map((f) => [f.rule, f.pointer, f.schemaPath])).toEqual([['contract-drift', '/steps/0/response/body/data/0/queue', '/definitions/Item/properties']]);
    expect(findings[0].message).toContain('"queue"');
    expect(findings[0].message).toContain('2 times');
  });
});

describe('replay: polling triggers', () => {
  const poll = (query: Record<string, string>, body: unknown, cursor?: string): ScenarioStep => ({
    request: { method: 'GET', path: '/api/v2/trigger/items', query, headers: AUTH, body: null },
    response: { status: 200, headers: JSON_CT, body: body as never },
    ...(cursor ? { expect: { cursor } } : {}),
  });
  const base = { operationId: 'GetItems', name: 'p', kind: 'success' as const, source: 'hand-written' as const, description: 'p', inputs: {} };

  it('carries the cursor from each response into the next request', async () => {
    const s: ExchangeScenario = { ...base, steps: [poll({ initial_item_id: '0' }, { data: [{ id: 9 }, { id: 8 }] }, '9'), poll({ initial_item_id: '9' }, { data: [] }, '9'), poll({ initial_item_id: '9' }, { data: [{ id: 12 }] }, '12')] };
    expect(await rules(s)).toEqual([]);
  });

  it('flags a next request that ignores the cursor and an expected cursor that the expression does not yield', async () => {
    const s: ExchangeScenario = { ...base, steps: [poll({ initial_item_id: '0' }, { data: [{ id: 9 }] }, '8'), poll({ initial_item_id: '0' }, { data: [] })] };
    expect(await rules(s)).toEqual(['error contract-cursor /steps/0/expect/cursor', 'error contract-cursor /steps/1/request/query/initial_item_id']);
  });

  it('flags a response whose split-on path is not an array', async () => {
    const s: ExchangeScenario = { ...base, steps: [poll({ initial_item_id: '0' }, { data: { id: 9 } })] };
    expect(await rules(s)).toEqual(['error contract-response-schema /steps/0/response/body/data', 'error contract-cursor /steps/0/response/body']);
  });
});

describe('replay: webhooks', () => {
  it('validates events against x-ms-notification-content and refuses events for other operations', async () => {
    const event = (operationId: string, data: unknown): Scenario => ({ operationId, name: 'e', kind: 'event', source: 'hand-written', description: 'e', event: { data: data as never } });
    expect(await rules(event('ItemCreated', { id: 1 }))).toEqual([]);
    expect(await rules(event('ItemCreated', { id: '1' }))).toEqual(['error contract-event-schema /event/data/id']);
    expect(await rules(event('GetItem', { id: 1 }))).toEqual(['error contract-webhook /operationId']);
  });

  it('reports a webhook trigger whose body has no notification-url property', async () => {
    const doc = miniDoc();
    const hook = (doc.paths as Record<string, Record<string, { parameters: Array<{ schema: { properties: Record<string, Record<string, unknown>> } }> }>>)['/hooks/ItemCreated'].post;
    delete hook.parameters[0].schema.properties.url['x-ms-notification-url'];
    const broken = miniDefinition(doc);
    const s: ExchangeScenario = {
      operationId: 'ItemCreated', name: 's', kind: 'success', source: 'hand-written', description: 's', inputs: {},
      steps: [{ request: { method: 'POST', path: '/api/v2/hooks/ItemCreated', query: {}, headers: AUTH, body: null }, response: { status: 200, headers: JSON_CT, body: { data: '57' } } }],
    };
    expect((await replayScenario(broken, loaded(s))).map((f) => f.rule)).toEqual(['contract-webhook']);
  });
});

describe('expected findings', () => {
  it('matches rule + severity (+ pointer when given) as a multiset and explains the differences', () => {
    const s = getItem({ status: 200, headers: {}, body: null }, { expect: { findings: [{ rule: 'contract-drift', severity: 'warn', pointer: '/a' }] } });
    const f = { file: 'f', pointer: '/b', rule: 'contract-drift', severity: 'warn' as const, message: 'm', operationId: 'GetItem', direction: 'response' as const, schemaPath: '', dataPath: '', expected: '', actual: '' };
    expect(findingDifferences([{ ...f, pointer: '/a' }], s)).toEqual([]);
    expect(findingDifferences([f], s)).toEqual(['missing expected finding contract-drift (warn) at /a', 'unexpected warn contract-drift at /b: m']);
  });
});

describe('replay: recorded framing', () => {
  it('ignores recorded content-encoding/length headers and bodies on bodiless statuses', async () => {
    const gz = getItem({ status: 200, headers: { ...JSON_CT, 'content-encoding': 'gzip', 'content-length': '999' }, body: { id: 1 } });
    expect(await rules(gz)).toEqual([]);
    const noContent = getItem({ status: 204, headers: {}, body: { id: 1 } });
    expect(await rules(noContent)).toEqual(['warn contract-undeclared-status /steps/0/response/status']);
  });
});
