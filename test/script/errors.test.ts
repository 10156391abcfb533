// PBX errors keep their status and envelope and get a message a flow author can act on.
import { describe, expect, it } from 'vitest';
import type { JsonValue, ScenarioStep } from '../../contract/scenario';
import { envelope, errorEnvelope, get, KEY, run, useScriptHost } from './helpers';

const host = useScriptHost();

const read = (status: number, body: JsonValue, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
  run(host(), { operationId: 'GetContactsByID', path: '/contacts/12' }, [get('/contacts/12', {}, status, body, headers)]);

const message = (json: Record<string, unknown> | undefined) => String(json?.message);

describe('actionable messages', () => {
  it('401: key rejected, how to fix it, the envelope and the PBX words kept', async () => {
    const result = await read(401, { version: '2.1', status: 'error', statusCode: 401, message: 'Unauthenticated.', data: null });
    expect(result.status).toBe(401);
    expect(result.json).toMatchObject({ version: '2.1', status: 'error', statusCode: 401, data: null });
    expect(message(result.json)).toMatch(/rejected the API key.*Edit the connection.*admin portal/);
    expect(message(result.json)).toContain('"Unauthenticated."');
  });

  it('403 naming the IP: the IP address is not allowed', async () => {
    const result = await read(403, errorEnvelope(403, 'Access from IP 198.51.100.7 is not allowed'));
    expect(result.status).toBe(403);
    expect(message(result.json)).toMatch(/does not accept requests from this IP address/);
  });

  it('403 naming the key: key rejected', async () => {
    const result = await read(403, errorEnvelope(403, 'Invalid token'));
    expect(message(result.json)).toMatch(/rejected the API key \(HTTP 403\)/);
  });

  it('403 without a reason: both causes named', async () => {
    const result = await read(403, errorEnvelope(403, 'Forbidden'));
    expect(message(result.json)).toMatch(/API key may be wrong or this IP address may not be allowed/);
  });

  it('429: the wait from Retry-After (seconds), header kept', async () => {
    const result = await read(429, errorEnvelope(429, 'Too Many Attempts.'), { 'content-type': 'application/json', 'retry-after': '17' });
    expect(result.status).toBe(429);
    expect(result.headers['retry-after']).toBe('17');
    expect(message(result.json)).toMatch(/rate limit.*Wait 17 seconds/);
  });

  it('429: the wait from a Retry-After date', async () => {
    const at = new Date(Date.now() + 120_000).toUTCString();
    const result = await read(429, errorEnvelope(429, 'Slow down'), { 'content-type': 'application/json', 'retry-after': at });
    const seconds = Number(/Wait (\d+) seconds/.exec(message(result.json))?.[1]);
    expect(seconds).toBeGreaterThan(100);
    expect(seconds).toBeLessThanOrEqual(121);
  });

  it('429 without Retry-After: wait a minute', async () => {
    const result = await read(429, errorEnvelope(429, 'Slow down'));
    expect(message(result.json)).toMatch(/Wait a minute/);
  });

  it('404 and 422 say what to check', async () => {
    expect(message((await read(404, errorEnvelope(404, 'Contact not found'))).json)).toMatch(/Check the ID.*"Contact not found"/);
    expect(message((await read(422, errorEnvelope(422, 'limit must be an integer'))).json)).toMatch(/Check the operation's parameters.*"limit must be an integer"/);
  });

  it('a JSON error without envelope fields gets status and statusCode, its own fields kept', async () => {
    const result = await read(400, { error: 'bad_request' });
    expect(result.status).toBe(400);
    expect(result.json).toMatchObject({ error: 'bad_request', status: 'error', statusCode: 400 });
    expect(message(result.json)).toMatch(/HTTP 400/);
  });
});

describe('non-JSON error pages become the JSON envelope', () => {
  it('HTML: tags, scripts and styles stripped, status kept', async () => {
    const page = '<!DOCTYPE html><html><head><title>502 Bad Gateway</title><style>body{color:red}</style><script>var x = 1;</script></head><body><h1>Bad&nbsp;Gateway</h1><p>nginx</p></body></html>';
    const result = await read(502, page, { 'content-type': 'text/html' });
    expect(result.status).toBe(502);
    expect(result.headers['content-type']).toMatch(/^application\/json/);
    expect(result.json).toMatchObject({ version: '2', status: 'error', statusCode: 502 });
    expect(message(result.json)).toContain('"502 Bad Gateway Bad Gateway nginx"');
    expect(message(result.json)).not.toMatch(/[<>]|color:red|var x/);
    expect(message(result.json)).toMatch(/failed to answer \(HTTP 502\)/);
  });

  it('a long page is cut to a short excerpt', async () => {
    const result = await read(500, `<html><body>${'word '.repeat(400)}</body></html>`);
    const excerpt = /not JSON: "([^"]*)"/.exec(message(result.json))?.[1] ?? '';
    expect(excerpt.length).toBeLessThanOrEqual(203);
    expect(excerpt.endsWith('...')).toBe(true);
  });

  it('an empty body', async () => {
    const result = await read(503, '');
    expect(result.status).toBe(503);
    expect(result.json).toMatchObject({ status: 'error', statusCode: 503 });
    expect(message(result.json)).toMatch(/empty body/);
  });

  it('a truncated JSON body is quoted as text', async () => {
    const result = await read(500, '{"version":"2","status":"error","mess');
    expect(result.json).toMatchObject({ status: 'error', statusCode: 500 });
    expect(message(result.json)).toContain('{"version":"2","status":"error","mess');
  });

  it('a PBX that echoes the key does not put it in the message', async () => {
    const result = await read(401, errorEnvelope(401, `Key ${KEY} is invalid`));
    expect(result.body).not.toContain(KEY);
    expect(message(result.json)).toContain('Key [key] is invalid');
  });
});

describe('pass-through', () => {
  it('a success is returned unchanged', async () => {
    const body = '{"version":"2","status":"success","statusCode":200,"message":"","data":{"contactID":12,"created":"2024-03-01T10:00:00.000000Z"}}';
    const result = await read(200, body);
    expect(result.status).toBe(200);
    expect(result.body).toBe(body);
  });

  it('an unknown operationId is forwarded and answered unchanged, even an error page', async () => {
    const page = '<html><body>Oops</body></html>';
    const step: ScenarioStep = get('/something/new', {}, 500, page, { 'content-type': 'text/html' });
    const result = await run(host(), { operationId: 'SomethingNew', path: '/something/new', authorization: KEY }, [step]);
    expect(result.status).toBe(500);
    expect(result.body).toBe(page);
    expect(result.logs.some((l) => /SomethingNew has no custom handling/.test(l.message))).toBe(true);
  });

  it('a PBX that cannot be reached answers 502 in the envelope', async () => {
    const result = await host().execute({ operationId: 'GetContactsByID', method: 'GET', url: 'https://zvanuparvaldnieks.lmt.lv/api/v2/contacts/12', headers: { Authorization: KEY } }, () => {
      throw new Error('connect ECONNREFUSED');
    });
    expect(result.status).toBe(502);
    expect(JSON.parse(result.body)).toMatchObject({ version: '2', status: 'error', statusCode: 502 });
    expect(JSON.parse(result.body).message).toMatch(/could not reach the PBX \(connect ECONNREFUSED\)/);
  });

  it('Dial: the body reaches the PBX unchanged', async () => {
    const dial = { destination: '+3710000002', contactID: 4 };
    const result = await run(host(), { operationId: 'Dial', method: 'POST', path: '/dial', body: dial }, [
      { request: { method: 'POST', path: '/api/v2/dial', query: {}, headers: { authorization: 'Bearer <redacted>' }, body: dial }, response: { status: 200, headers: { 'content-type': 'application/json' }, body: envelope({}) } },
    ]);
    expect(result.status).toBe(200);
  });
});
