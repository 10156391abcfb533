import { describe, expect, it } from 'vitest';
import { buildRequest, DEFAULT_CALLBACK_URL } from '../../contract/request';
import { miniDefinition } from './fixtures/mini-definition';

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
});
