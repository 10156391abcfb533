import { describe, expect, it } from 'vitest';
import { deepEqual, parseJson, quoteUnsafeIntegers } from '../../lib/json';
import { buildRequest, DEFAULT_CALLBACK_URL, notificationUrlProperty } from '../../lib/request';
import { miniDefinition, miniDoc } from '../contract/fixtures/mini-definition';

const def = miniDefinition();
const op = (id: string) => {
  const o = def.operation(id);
  if (!o) throw new Error(`no ${id}`);
  return o;
};

describe('request builder (what the platform sends)', () => {
  it('joins host, base path and path, and URL-encodes path parameters once (single)', () => {
    const { request, problems } = buildRequest(def, op('GetItem'), { item_key: 'Bērziņš a/b?' });
    expect(problems).toEqual([]);
    expect(request.method).toBe('GET');
    expect(request.path).toBe('/api/v2/items/B%C4%93rzi%C5%86%C5%A1%20a%2Fb%3F');
    expect(def.origin).toBe('https://pbx.example.invalid');
  });

  it('encodes twice when x-ms-url-encoding is double', () => {
    expect(buildRequest(def, op('GetDouble'), { key: 'a b' }).request.path).toBe('/api/v2/double/a%2520b');
  });

  it('sends internal parameters with their default, omits absent optional ones, stringifies values', () => {
    const { request } = buildRequest(def, op('GetItems'), { limit: 5, archived: false, 'x-trace': 't1' });
    expect(request.query).toEqual({ limit: '5', initial_item_id: '0', archived: 'false' });
    expect(request.headers['x-trace']).toBe('t1');
    expect(buildRequest(def, op('GetItems'), {}).request.query).toEqual({ initial_item_id: '0' });
    expect(buildRequest(def, op('GetItems'), { initial_item_id: 77 }).request.query).toEqual({ initial_item_id: '77' });
  });

  it('puts the API key in the header named by the security definition', () => {
    expect(buildRequest(def, op('GetItems'), {}).request.headers.authorization).toMatch(/^Bearer \S+/);
    expect(buildRequest(def, op('GetItems'), {}, { apiKey: 'Bearer k' }).request.headers.authorization).toBe('Bearer k');
  });

  it('reports missing required inputs, wrong types, int32 overflow and unknown inputs', () => {
    const missing = buildRequest(def, op('GetItem'), {}).problems;
    expect(missing).toEqual([expect.objectContaining({ input: 'item_key', message: 'required input "item_key" is missing' })]);
    const wrong = buildRequest(def, op('GetItems'), { limit: 'ten', archived: 'maybe', page: 2 }).problems.map((p) => p.message);
    expect(wrong).toEqual(['input "limit" must be an integer (int32)', 'input "archived" must be a boolean', 'input "page" is not a parameter of GetItems']);
    expect(buildRequest(def, op('GetItems'), { limit: 2 ** 31 }).problems.map((p) => p.expected)).toEqual(['an int32 integer']);
  });

  it('puts the callback URL in the x-ms-notification-url property of a webhook registration', () => {
    const { request } = buildRequest(def, op('ItemCreated'), {}, { callbackUrl: 'https://cb.example.invalid/run' });
    expect(request).toMatchObject({ method: 'POST', path: '/api/v2/hooks/ItemCreated', body: { url: 'https://cb.example.invalid/run' } });
    expect(request.headers['content-type']).toBe('application/json');
    expect(buildRequest(def, op('ItemCreated'), { body: { label: 'x' } }).request.body).toEqual({ label: 'x', url: DEFAULT_CALLBACK_URL });
  });

  it('finds the notification URL at any depth, through $refs and allOf, and ends on recursive or cyclic schemas', () => {
    const doc = miniDoc();
    const defs = doc.definitions as Record<string, unknown>;
    defs.Node = { type: 'object', properties: { child: { $ref: '#/definitions/Node' }, name: { type: 'string' } } };
    defs.Loop = { $ref: '#/definitions/Loop' };
    defs.Target = { type: 'object', properties: { url: { type: 'string', 'x-ms-notification-url': true } } };
    defs.Subscription = { type: 'object', properties: { tree: { $ref: '#/definitions/Node' }, loop: { $ref: '#/definitions/Loop' }, target: { allOf: [{ $ref: '#/definitions/Target' }] } } };
    const hook = (doc.paths as Record<string, Record<string, { parameters: Array<{ schema: unknown }> }>>)['/hooks/ItemCreated'].post;
    hook.parameters[0].schema = { $ref: '#/definitions/Subscription' };
    const nested = miniDefinition(doc);
    const created = nested.operation('ItemCreated')!;
    expect(notificationUrlProperty(nested, created)).toEqual({ property: 'target.url', path: ['target', 'url'], pointer: '/definitions/Target/properties/url' });
    expect(buildRequest(nested, created, {}, { callbackUrl: 'https://cb.example.invalid/run' }).request.body).toEqual({ target: { url: 'https://cb.example.invalid/run' } });
    defs.Target = { type: 'object', properties: { other: { type: 'string' } } };
    expect(notificationUrlProperty(miniDefinition(doc), created)).toBeUndefined();
  });

  it('leaves out omitted parameters, defaults included (the first poll of a polling trigger)', () => {
    expect(buildRequest(def, op('GetItems'), { limit: 5 }, { omit: ['initial_item_id'] }).request.query).toEqual({ limit: '5' });
    expect(buildRequest(def, op('GetItems'), { initial_item_id: 9 }, { omit: ['initial_item_id'] }).problems).toEqual([]);
  });
});

describe('JSON helpers', () => {
  it('deepEqual ignores key order, not array order', () => {
    expect(deepEqual({ a: [1, { b: null }], c: 'x' }, { c: 'x', a: [1, { b: null }] })).toBe(true);
    expect(deepEqual([1, 2], [2, 1])).toBe(false);
    expect(deepEqual({ a: undefined }, { b: undefined })).toBe(false);
  });

  it('parseJson keeps integers beyond 2^53 whole as their digits when asked (exactIntegers), strings untouched', () => {
    const text = '{"a":100000000000000000041,"b":[-9007199254740993,12,1.5e300],"c":"x:12345678901234567890,","d":9007199254740991}';
    expect(parseJson(text, { exactIntegers: true })).toEqual({ ok: true, value: { a: '100000000000000000041', b: ['-9007199254740993', 12, 1.5e300], c: 'x:12345678901234567890,', d: 9007199254740991 } });
    expect(quoteUnsafeIntegers('{"a":"\\"12345678901234567890"}')).toBe('{"a":"\\"12345678901234567890"}');
    expect(parseJson(text)).toMatchObject({ ok: true, value: { a: 1e20 } }); // without: rounded
  });

  it('parseJson says why a body is not JSON', () => {
    expect(parseJson('{"a":1}')).toEqual({ ok: true, value: { a: 1 } });
    expect(parseJson('  ')).toEqual({ ok: false, why: 'empty' });
    expect(parseJson('<html></html>')).toEqual({ ok: false, why: 'an HTML/XML page, not JSON' });
    expect(parseJson('{"a":')).toMatchObject({ ok: false, why: expect.stringMatching(/^not valid JSON \(/) });
  });
});
