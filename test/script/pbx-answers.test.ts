// What script.csx makes of PBX answers the evidence allows but the happy path never shows (issue 18): "no items
// found" (404) on list routes and on reads by ID, ids beyond Int64 or malformed, headers chosen by the PBX (its
// Location above all), redirects, and a PBX that echoes the key in its error pages.
import { describe, expect, it } from 'vitest';
import type { JsonValue } from '../../contract/scenario';
import { NO_ITEMS_MESSAGE } from '../../sandbox/pbx/api';
import type { Backend, ScriptRequest } from '../../script-host/host';
import { calls, CONNECTOR, envelope, errorEnvelope, get, range, run, scriptRequest, useScriptHost } from './helpers';

const host = useScriptHost();
const PBX_LOCATION = 'https://zvanuparvaldnieks.lmt.lv/api/v2/elsewhere/1';
const EXTRA = { location: PBX_LOCATION, 'set-cookie': 'session=abc; HttpOnly', 'x-powered-by': 'PHP/8.1', 'retry-after': '120' };

describe('"no items found" (404) on a list route is an empty list; any other 404 stays an error', () => {
  const noItems = errorEnvelope(404, NO_ITEMS_MESSAGE);

  it('a list page: an empty page, no next link', async () => {
    const result = await run(host(), { operationId: 'ListCalls', path: '/list/call_history' }, [get('/trigger/call_history', { initial_call_id: '0', limit: '52', offset: '0' }, 404, noItems)]);
    expect(result.status).toBe(200);
    expect(result.json).toEqual({ value: [] });
    expect(result.json).not.toHaveProperty('nextLink');
  });

  it('GetLostCalls: an empty page in the success envelope', async () => {
    const result = await run(host(), { operationId: 'GetLostCalls', path: '/lost_calls', query: { limit: '10' } }, [get('/lost_calls', { limit: '10' }, 404, noItems)]);
    expect(result.status).toBe(200);
    expect(result.json).toEqual({ version: '2', status: 'success', statusCode: 200, message: '', data: [] });
  });

  it.each([100, 200])('a dropdown of exactly %i items: every item, the page after the last being 404', async (count) => {
    const items = range(count, 1).map((id) => ({ groupID: id, name: `Grupa ${id}` }));
    const pages = [0, 100, 200].filter((o) => o <= count).map((offset) => {
      const page = items.slice(offset, offset + 100);
      return get('/trigger/groups', { initial_group_id: '0', limit: '100', offset: String(offset) }, page.length > 0 ? 200 : 404, page.length > 0 ? envelope(page) : noItems);
    });
    const result = await run(host(), { operationId: 'ListGroupChoices', path: '/choices/groups' }, pages);
    expect(result.status).toBe(200);
    expect((result.json?.data as unknown[]).length).toBe(count);
    expect(result.logs.some((l) => /offers the first/.test(l.message))).toBe(false);
  });

  it('an empty dropdown: no choices, no error', async () => {
    const result = await run(host(), { operationId: 'ListContactChoices', path: '/choices/contacts' }, [get('/trigger/contacts', { initial_contact_id: '0', limit: '100', offset: '0' }, 404, noItems)]);
    expect(result.status).toBe(200);
    expect(result.json?.data).toEqual([]);
  });

  it.each([
    ['an HTML page', '<html><body><h1>404 Not Found</h1></body></html>'],
    ['a JSON "Not Found"', errorEnvelope(404, 'Not Found')],
    ['an empty body', ''],
  ])('a 404 on a list route that is not "no items found" (%s) is an error with advice for lists', async (_name, body) => {
    const result = await run(host(), { operationId: 'ListCalls', path: '/list/call_history' }, [get('/trigger/call_history', { initial_call_id: '0', limit: '52', offset: '0' }, 404, body)]);
    expect(result.status).toBe(404);
    expect(String(result.json?.message)).toMatch(/does not know this list \(HTTP 404\).*route may have changed/);
    expect(String(result.json?.message)).not.toMatch(/Check the ID/);
    const trigger = await run(host(), { operationId: 'GetCallHistory', path: '/trigger/call_history', query: { initial_call_id: '9', poll_v: '1' } }, [get('/trigger/call_history', { initial_call_id: '9', limit: '100' }, 404, body)]);
    expect(trigger.status).toBe(404);
    expect(trigger.headers.location).toBeUndefined();
    expect(String(trigger.json?.message)).toMatch(/does not know this list/);
  });

  it('a 404 on a read by ID stays an error with advice for IDs, even in the words of "no items found"', async () => {
    for (const body of [errorEnvelope(404, 'Contact not found'), noItems]) {
      const result = await run(host(), { operationId: 'GetContactsByID', path: '/contacts/12' }, [get('/contacts/12', {}, 404, body)]);
      expect(result.status).toBe(404);
      expect(String(result.json?.message)).toMatch(/has no item with this ID \(HTTP 404\)\. Check the ID/);
    }
  });
});

describe('ids of any length, as JSON numbers or strings', () => {
  const big = (n: number) => `98765432109876543210${String(n).padStart(4, '0')}`;
  const bigPage = (ids: number[]) =>
    `{"version":"2","status":"success","statusCode":200,"message":"","data":[${ids.map((n) => (n % 2 ? `{"callID":${big(n)}}` : `{"callID":"${big(n)}"}`)).join(',')}]}`;

  it('a polling check orders ids beyond Int64 by number and writes the next cursor without overflow', async () => {
    const result = await run(host(), { operationId: 'GetCallHistory', path: '/trigger/call_history', query: { initial_call_id: big(1), poll_v: '1', poll_cap: '100' } }, [
      get('/trigger/call_history', { initial_call_id: big(1), limit: '100' }, 200, bigPage([3, 12, 2])),
    ]);
    expect(result.status).toBe(200);
    expect([...result.body.matchAll(/"callID":"?(\d+)/g)].map((m) => m[1])).toEqual([big(12), big(3), big(2)]);
    expect(new URL(result.headers.location!).searchParams.get('initial_call_id')).toBe(big(12));
  });

  it('a list page pins its snapshot and links the next page with ids beyond Int64', async () => {
    const ids = range(60, 1);
    const result = await run(host(), { operationId: 'ListCalls', path: '/list/call_history', query: { limit: '50' } }, [
      get('/trigger/call_history', { initial_call_id: '0', limit: '52', offset: '0' }, 200, bigPage(ids.slice(0, 52))),
      get('/trigger/call_history', { initial_call_id: '0', limit: '52', offset: '52' }, 200, bigPage(ids.slice(52))),
    ]);
    expect(result.status).toBe(200);
    expect(result.body).toContain(`"snapshotId":${big(60)}`);
    const link = new URL(String(result.json?.nextLink));
    expect(link.searchParams.get('snapshot_id')).toBe(big(60));
    expect(link.searchParams.get('after_id')).toBe(big(11));
  });

  it('a dropdown offers ids beyond Int64 as numbers', async () => {
    const result = await run(host(), { operationId: 'ListGroupChoices', path: '/choices/groups' }, [
      get('/trigger/groups', { initial_group_id: '0', limit: '100', offset: '0' }, 200, `{"version":"2","data":[{"groupID":${big(7)},"name":"Zeta"},{"groupID":"${big(8)}","name":"Alfa"}]}`),
    ]);
    expect(result.body).toBe(`{"version":"2","status":"success","statusCode":200,"message":"","data":[{"id":${big(8)},"title":"Alfa"},{"id":${big(7)},"title":"Zeta"}]}`);
  });

  it.each([
    ['a word', '"abc"', /callID is "abc" \(a string\)/],
    ['a negative number', '-4', /callID is -4 \(an integer\)/],
    ['a fraction', '4.5', /callID is 4\.5 \(a float\)/],
    ['an object', '{"n":4}', /callID is \{"n":4\} \(an object\)/],
    ['null', 'null', /callID is null/],
  ])('a malformed id (%s) is a 502 naming the field, never an unhandled exception', async (_name, value, named) => {
    const body = `{"version":"2","status":"success","statusCode":200,"message":"","data":[{"callID":7},{"callID":${value}}]}`;
    const trigger = await run(host(), { operationId: 'GetCallHistory', path: '/trigger/call_history', query: { initial_call_id: '5', poll_v: '1' } }, [get('/trigger/call_history', { initial_call_id: '5', limit: '100' }, 200, body)]);
    expect(trigger.status).toBe(502);
    expect(trigger.json).toMatchObject({ status: 'error', statusCode: 502 });
    expect(String(trigger.json?.message)).toMatch(named);
    expect(String(trigger.json?.message)).toMatch(/keeps its position/);
    const list = await run(host(), { operationId: 'ListCalls', path: '/list/call_history' }, [get('/trigger/call_history', { initial_call_id: '0', limit: '52', offset: '0' }, 200, body)]);
    expect(list.status).toBe(502);
    expect(String(list.json?.message)).toMatch(named);
  });

  it('an item without its id field is a 502 naming the field', async () => {
    const result = await run(host(), { operationId: 'GetCallHistory', path: '/trigger/call_history', query: { initial_call_id: '5', poll_v: '1' } }, [
      get('/trigger/call_history', { initial_call_id: '5', limit: '100' }, 200, envelope([{ callID: 9 }, { caller: '+3710000001' }])),
    ]);
    expect(result.status).toBe(502);
    expect(String(result.json?.message)).toMatch(/callID is missing/);
  });

  it('Snapshot ID and After ID inputs of any length are accepted', async () => {
    const result = await run(host(), { operationId: 'ListCalls', path: '/list/call_history', query: { limit: '2', offset: '2', snapshot_id: big(99), after_id: big(50) } }, [
      get('/trigger/call_history', { initial_call_id: '0', limit: '4', offset: '2' }, 200, bigPage([49, 48])),
    ]);
    expect(result.status).toBe(200);
    expect([...result.body.matchAll(/"callID":"?(\d+)/g)].map((m) => m[1])).toEqual([big(49), big(48)]);
  });
});

describe('headers chosen by the PBX never reach the platform', () => {
  const noPbxHeaders = (headers: Record<string, string>) => {
    expect(headers.location === undefined || headers.location.startsWith(CONNECTOR)).toBe(true);
    expect(headers['set-cookie']).toBeUndefined();
    expect(headers['x-powered-by']).toBeUndefined();
  };

  it.each([
    ['a read by ID (200)', { operationId: 'GetContactsByID', path: '/contacts/3' }, get('/contacts/3', {}, 200, envelope({ contactID: 3 }), { 'content-type': 'application/json', ...EXTRA }), 200],
    ['Dial answered 202', { operationId: 'Dial', method: 'POST', path: '/dial', body: { destination: '+3710000001' } }, { request: { method: 'POST', path: '/api/v2/dial', query: {}, headers: { authorization: 'Bearer <redacted>' }, body: { destination: '+3710000001' } }, response: { status: 202, headers: { 'content-type': 'application/json', ...EXTRA }, body: envelope({}) } }, 202],
    ['GetLostCalls', { operationId: 'GetLostCalls', path: '/lost_calls' }, get('/lost_calls', {}, 200, envelope([]), { 'content-type': 'application/json', ...EXTRA }), 200],
    ['a list page', { operationId: 'ListCalls', path: '/list/call_history' }, get('/trigger/call_history', { initial_call_id: '0', limit: '52', offset: '0' }, 200, envelope(calls([3, 2])), { 'content-type': 'application/json', ...EXTRA }), 200],
    ['a polling check with items', { operationId: 'GetCallHistory', path: '/trigger/call_history', query: { initial_call_id: '1', poll_v: '1', poll_cap: '100' } }, get('/trigger/call_history', { initial_call_id: '1', limit: '100' }, 200, envelope(calls([3, 2])), { 'content-type': 'application/json', ...EXTRA }), 200],
    ['a 404 on a read by ID', { operationId: 'GetContactsByID', path: '/contacts/3' }, get('/contacts/3', {}, 404, errorEnvelope(404, 'nope'), { 'content-type': 'application/json', ...EXTRA }), 404],
    ['a 500 on a list page', { operationId: 'ListCalls', path: '/list/call_history' }, get('/trigger/call_history', { initial_call_id: '0', limit: '52', offset: '0' }, 500, 'down', { 'content-type': 'text/plain', ...EXTRA }), 500],
    ['DeleteWebhookByID (200)', { operationId: 'DeleteWebhookByID', method: 'DELETE', path: '/webhooks/5' }, { request: { method: 'DELETE', path: '/api/v2/webhooks/5', query: {}, headers: { authorization: 'Bearer <redacted>' }, body: null }, response: { status: 200, headers: { 'content-type': 'application/json', ...EXTRA }, body: envelope({}) } }, 200],
  ] as const)('%s: no PBX Location, cookie or other header, and no Retry-After that does not mean throttling', async (_name, call, step, status) => {
    const result = await run(host(), call as Parameters<typeof run>[1], [step as Parameters<typeof run>[2][number]]);
    expect(result.status).toBe(status);
    noPbxHeaders(result.headers);
    expect(result.headers['retry-after']).toBeUndefined();
    expect(result.headers['content-type']).toMatch(/^(application\/json|text\/plain)/);
  });

  it('a polling check keeps its own Location and Retry-After, never the PBX\'s', async () => {
    const result = await run(host(), { operationId: 'GetCallHistory', path: '/trigger/call_history', query: { initial_call_id: '1', poll_v: '1' } }, [
      get('/trigger/call_history', { initial_call_id: '1', limit: '100' }, 200, envelope([]), { 'content-type': 'application/json', ...EXTRA }),
    ]);
    expect(result.status).toBe(202);
    expect(result.headers.location).toMatch(new RegExp(`^${CONNECTOR}/trigger/call_history\\?`));
    expect(result.headers['retry-after']).toBeUndefined();
  });

  it('Retry-After passes where it means throttling (429, 503)', async () => {
    for (const status of [429, 503]) {
      const result = await run(host(), { operationId: 'GetContactsByID', path: '/contacts/3' }, [get('/contacts/3', {}, status, errorEnvelope(status, 'busy'), { 'content-type': 'application/json', ...EXTRA })]);
      expect(result.status).toBe(status);
      expect(result.headers['retry-after']).toBe('120');
      noPbxHeaders(result.headers);
    }
  });

  it('a redirect is not passed on: a read answers 502 without the PBX\'s Location, Dial 424 (it may have been placed)', async () => {
    const read = await run(host(), { operationId: 'GetContactsByID', path: '/contacts/3' }, [get('/contacts/3', {}, 302, '', { location: PBX_LOCATION })]);
    expect(read.status).toBe(502);
    expect(read.headers.location).toBeUndefined();
    expect(String(read.json?.message)).toMatch(/HTTP 302 \(a redirect\)/);
    const dial = await host().execute(scriptRequest({ operationId: 'Dial', method: 'POST', path: '/dial', body: { destination: '+3710000001' } }), () => ({ status: 302, headers: { location: PBX_LOCATION } }));
    expect(dial.status).toBe(424);
    expect(dial.headers.location).toBeUndefined();
  });
});

describe('a Content-Type whose charset .NET does not know (a PBX typo) is read as UTF-8, never an unhandled exception', () => {
  const bogus = { 'content-type': 'application/json; charset=utf-8x' };
  const requests: Array<[string, ScriptRequest]> = [
    ['a read by ID', scriptRequest({ operationId: 'GetContactsByID', path: '/contacts/3' })],
    ['a list page', scriptRequest({ operationId: 'ListCalls', path: '/list/call_history' })],
    ['a polling check', scriptRequest({ operationId: 'GetCallHistory', path: '/trigger/call_history', query: { initial_call_id: '1', poll_v: '1', poll_cap: '100' } })],
    ['a dropdown', scriptRequest({ operationId: 'ListContactChoices', path: '/choices/contacts' })],
    ['GetLostCalls', scriptRequest({ operationId: 'GetLostCalls', path: '/lost_calls', query: { limit: '10' } })],
    ['Dial', scriptRequest({ operationId: 'Dial', method: 'POST', path: '/dial', body: { destination: '+3710000001' } })],
    ['a webhook registration', scriptRequest({ operationId: 'CallStarted', method: 'POST', path: '/webhooks/CallStarted', body: { endpoint: 'https://example.invalid/cb' } })],
    ['DeleteWebhookByID', scriptRequest({ operationId: 'DeleteWebhookByID', method: 'DELETE', path: '/webhooks/5' })],
  ];

  it.each(requests)('%s answered 200 with it: the answer is read, and what is passed on says utf-8', async (_name, request) => {
    // One body every operation reads: the webhook id, a contact, or a page whose items carry every id field the lists read.
    const items = calls([3, 2]).map((call, i) => ({ ...(call as Record<string, JsonValue>), contactID: i + 1, firstname: 'Ērika', callerid: `+37100040${i}` }));
    const body = request.operationId === 'CallStarted' ? envelope('57') : request.operationId === 'GetContactsByID' ? envelope(items[0]) : envelope(items);
    const result = await host().execute(request, () => ({ status: 200, headers: bogus, body: JSON.stringify(body) }));
    expect([200, 201]).toContain(result.status);
    expect(result.headers['content-type'] ?? 'application/json; charset=utf-8').toMatch(/^application\/json(; charset=utf-8)?$/);
  });

  it.each(requests)('%s answered 500 with it: the error is explained', async (_name, request) => {
    const result = await host().execute(request, () => ({ status: 500, headers: { 'content-type': 'text/html; charset=nope' }, body: '<html><body>Upstream failed</body></html>' }));
    expect([500, 424]).toContain(result.status);
    expect(String(JSON.parse(result.body).message)).toMatch(/Upstream failed/);
  });

  it('a read in ISO-8859-1 is passed on in UTF-8, and says so', async () => {
    const result = await host().execute(requests[0][1], () => ({ status: 200, headers: { 'content-type': 'application/json; charset=iso-8859-1' }, body: Buffer.from('{"version":"2","status":"success","statusCode":200,"message":"","data":{"contactID":3,"firstname":"Caf\u00e9"}}', 'latin1') }));
    expect(result.status).toBe(200);
    expect(result.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(JSON.parse(result.body).data.firstname).toBe('Caf\u00e9');
  });
});

describe('the key never appears in an answer or a log', () => {
  // Characters that change when percent-encoded, as keys generated with base64 have.
  const key = 'Zp+Kx/9q=Lm4+Rt/Ew==';
  const encoded = encodeURIComponent(key);
  const request: ScriptRequest = { ...scriptRequest({ operationId: 'GetContactsByID', path: '/contacts/3' }), headers: { Authorization: `Bearer ${key}` } };
  const answer = (status: number, body: string, type = 'text/html'): Backend => () => ({ status, headers: { 'content-type': type }, body });
  // Any stretch of 6 characters of the key, in any form it was planted in (its escapes undone).
  const pieces = (text: string) => {
    const plain = decodeURIComponent(text.replace(/\\\//g, '/').replace(/\\u([0-9a-f]{4})/gi, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16))).replace(/%(?![0-9a-f]{2})/gi, '%25'));
    return [key, encoded, encoded.toLowerCase(), key.slice(0, 8), encoded.slice(0, 10), key.slice(-8), ...Array.from({ length: key.length - 5 }, (_, i) => key.slice(i, i + 6))].filter((p) => text.includes(p) || plain.includes(p));
  };

  it.each([
    ['raw, across the 200-character cut', `<html><body>${'x'.repeat(190)} ${key} denied</body></html>`],
    ['after "Bearer ", across the cut', `<html><body>${'y'.repeat(170)} Authorization: Bearer ${key}</body></html>`],
    ['percent-encoded, across the cut', `<html><body>${'z'.repeat(188)} ?key=${encoded}&x=1</body></html>`],
    ['percent-encoded in lower case', `<html><body>denied for ${encoded.toLowerCase()}</body></html>`],
    // JSON text that does not parse as an envelope (cut off, or inside a page) is quoted as it is, its escapes too.
    ['JSON-escaped as PHP writes it (\\/), across the cut, in a body cut off', `{"status":"error","message":"${'p'.repeat(160)} key ${key.replace(/\//g, '\\/')} refused`],
    ['JSON-escaped as \\u002B, in a page', `<html><body><script>var sent = "${key.replace(/\+/g, '\\u002B')}";</script>denied ${'q'.repeat(10)} ${key.replace(/\+/g, '\\u002b').replace(/\//g, '\\/')}</body></html>`],
    ['mixing percent and raw, as a half-encoded URL', `<html><body>GET /x?key=${key.replace(/\//g, '%2F')} denied</body></html>`],
  ])('an HTML error page echoing the key %s', async (_name, page) => {
    const result = await host().execute(request, answer(500, page));
    expect(result.status).toBe(500);
    expect(pieces(result.body)).toEqual([]);
    for (const log of result.logs) expect(pieces(log.message)).toEqual([]);
    expect(result.body).toContain('[key]');
  });

  it('a JSON error whose message and data echo the key, raw and encoded', async () => {
    const body = JSON.stringify({ version: '2', status: 'error', statusCode: 401, message: `Key ${key} unknown (${encoded})`, data: { sent: `Bearer ${key}` } });
    const result = await host().execute(request, answer(401, body, 'application/json'));
    expect(result.status).toBe(401);
    expect(pieces(result.body)).toEqual([]);
    for (const log of result.logs) expect(pieces(log.message)).toEqual([]);
  });

  it('a malformed id that echoes the key across the 40 characters of it quoted', async () => {
    const list = { ...request, operationId: 'ListCalls', url: 'https://zvanuparvaldnieks.lmt.lv/api/v2/list/call_history', originalRequestUri: `${CONNECTOR}/list/call_history` };
    const body = JSON.stringify({ version: '2', status: 'success', statusCode: 200, message: '', data: [{ callID: 7 }, { callID: `${'v'.repeat(30)} ${key}` }] });
    const result = await host().execute(list, answer(200, body, 'application/json'));
    expect(result.status).toBe(502);
    expect(String(JSON.parse(result.body).message)).toMatch(/callID is "v+ \[key\]/);
    expect(pieces(result.body)).toEqual([]);
    for (const log of result.logs) expect(pieces(log.message)).toEqual([]);
  });

  it('a list page that is not JSON, quoting the key across the cut', async () => {
    const list = { ...request, operationId: 'ListCalls', url: 'https://zvanuparvaldnieks.lmt.lv/api/v2/list/call_history', originalRequestUri: `${CONNECTOR}/list/call_history` };
    const result = await host().execute(list, answer(200, `<html>${'w'.repeat(180)} key=${encoded} ${key}</html>`));
    expect(result.status).toBe(502);
    expect(pieces(result.body)).toEqual([]);
    for (const log of result.logs) expect(pieces(log.message)).toEqual([]);
  });
});
