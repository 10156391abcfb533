// Webhook registration answers 201 + Location through the connector; unsubscribe tolerates "already gone".
import { describe, expect, it } from 'vitest';
import type { ScenarioStep } from '../../contract/scenario';
import { CONNECTOR, envelope, errorEnvelope, KEY, run, useScriptHost, WEBHOOK_TRIGGERS } from './helpers';

const host = useScriptHost();
const CALLBACK = 'https://prod-00.westeurope.logic.azure.com/workflows/0/triggers/manual/paths/invoke';

// From the model (operationId, connector route, PBX event), so that a webhook trigger added there is covered here.
const WEBHOOKS = WEBHOOK_TRIGGERS.map((op): [string, string, string] => [op.operationId, op.path, op.event.name]);

/** The PBX exchange of a registration; `route` is the connector's path, forwarded as is. */
function registration(event: string, status: number, body: unknown, headers: Record<string, string> = { 'content-type': 'application/json' }, route = `/webhooks/${event}`): ScenarioStep {
  return {
    request: { method: 'POST', path: `/api/v2${route}`, query: {}, headers: { authorization: 'Bearer <redacted>' }, body: { endpoint: CALLBACK } },
    response: { status, headers, body: body as ScenarioStep['response']['body'] },
  };
}

const register = (event: string, step: ScenarioStep, originalRequestUri?: string | null, route = `/webhooks/${event}`) =>
  run(host(), { operationId: event, method: 'POST', path: route, body: { endpoint: CALLBACK }, originalRequestUri }, [step]);

describe('webhook registration', () => {
  it('covers the webhook triggers of the model', () => {
    expect(WEBHOOKS.map(([, , event]) => event)).toContain('CallStarted');
  });

  it.each(WEBHOOKS)('%s (%s, event %s): {"data":"57"} answers 201 with Location on the connector, last segment = the id', async (operationId, route) => {
    const result = await register(operationId, registration(operationId, 200, envelope('57'), undefined, route), undefined, route);
    expect(result.status).toBe(201);
    expect(result.headers.location).toBe(`${CONNECTOR}/webhooks/57`);
    expect(result.json).toEqual(envelope('57')); // the body is the PBX's, unchanged
  });

  it('drops the query string of the connector URL and keeps its host, port and prefix', async () => {
    const original = 'https://europe-002.azure-apim.net:8443/apim/zp/abc/webhooks/CallConnected?api-version=2016-06-01&x=1';
    const result = await register('CallConnected', registration('CallConnected', 200, envelope('57')), original);
    expect(result.headers.location).toBe('https://europe-002.azure-apim.net:8443/apim/zp/abc/webhooks/57');
  });

  it('accepts the id as a number or as an object with an id', async () => {
    const asNumber = await register('CallStarted', registration('CallStarted', 200, envelope(58)));
    expect(asNumber.headers.location).toBe(`${CONNECTOR}/webhooks/58`);
    const asObject = await register('CallStarted', registration('CallStarted', 200, envelope({ id: '59', event: 'CallStarted' })));
    expect(asObject.headers.location).toBe(`${CONNECTOR}/webhooks/59`);
    const asWebhookId = await register('CallStarted', registration('CallStarted', 201, envelope({ webhookID: 60 })));
    expect(asWebhookId.headers.location).toBe(`${CONNECTOR}/webhooks/60`);
  });

  it('without OriginalRequestUri uses the request URL the same way and warns', async () => {
    const result = await register('CallCompleted', registration('CallCompleted', 200, envelope('61')), null);
    expect(result.status).toBe(201);
    expect(result.headers.location).toBe('https://zvanuparvaldnieks.lmt.lv/api/v2/webhooks/61');
    expect(result.logs.some((l) => l.level === 'Warning' && /OriginalRequestUri/.test(l.message))).toBe(true);
  });

  // 2xx without a readable webhook id: the PBX may have registered one, and without its id the platform has nothing to
  // DELETE later. A failed registration (a status the platform does not resend), never a success without Location.
  const noId: Array<[string, unknown, Record<string, string> | undefined, RegExp]> = [
    ['data missing', { version: '2', status: 'success', statusCode: 200, message: '' }, undefined, /no data/],
    ['data null', envelope(null), undefined, /no data/],
    ['data not an integer', envelope('abc'), undefined, /no integer id \(a string\)/],
    ['data a negative number', envelope(-3), undefined, /no integer id/],
    ['data a fraction', envelope(5.5), undefined, /no integer id/],
    ['data an array', envelope(['57']), undefined, /no integer id/],
    ['data an object without id', envelope({ name: 'x' }), undefined, /without an id/],
    ['a JSON array body', [1, 2], undefined, /not a JSON object/],
    ['an HTML page with 200', '<html><body>Welcome</body></html>', { 'content-type': 'text/html' }, /not a JSON object/],
    ['a plain-text body', 'OK', { 'content-type': 'text/plain' }, /not a JSON object/],
    ['an empty body', '', undefined, /empty body/],
    ['a truncated body', '{"version":"2","data":"5', undefined, /not a JSON object/],
  ];
  it.each(noId)('%s: a failed registration (424, no Location) that says a webhook may exist and how to remove it', async (_name, body, headers, why) => {
    const result = await register('CallRecorded', registration('CallRecorded', 200, body, headers));
    expect(result.status).toBe(424);
    expect(result.headers.location).toBeUndefined();
    expect(result.json).toMatchObject({ version: '2', status: 'error', statusCode: 424 });
    const message = String(result.json?.message);
    expect(message).toMatch(why);
    expect(message).toMatch(/answered the registration with HTTP 200/);
    expect(message).toMatch(/webhook may have been registered.*admin portal \(API → Web hooks\), delete the webhooks that point to this flow/);
    expect(result.logs.some((l) => l.level === 'Error' && why.test(l.message))).toBe(true);
  });

  it('an id of any length, as a number or a string, is the Location\'s last segment', async () => {
    const digits = '123456789012345678901234567890';
    const asNumber = await register('CallStarted', registration('CallStarted', 200, `{"version":"2","status":"success","statusCode":200,"message":"","data":${digits}}`));
    expect(asNumber.headers.location).toBe(`${CONNECTOR}/webhooks/${digits}`);
    const asString = await register('CallStarted', registration('CallStarted', 200, envelope(digits)));
    expect(asString.headers.location).toBe(`${CONNECTOR}/webhooks/${digits}`);
  });

  it('the PBX\'s own Location never reaches the platform: the script writes it', async () => {
    const result = await register('CallStarted', registration('CallStarted', 201, envelope('63'), { 'content-type': 'application/json', location: 'https://zvanuparvaldnieks.lmt.lv/api/v2/webhooks/63', 'set-cookie': 'session=abc' }));
    expect(result.headers.location).toBe(`${CONNECTOR}/webhooks/63`);
    expect(result.headers['set-cookie']).toBeUndefined();
  });

  it('the 20-webhook limit: status kept, message says how to free one', async () => {
    const result = await register('LostCallerAdded', registration('LostCallerAdded', 422, errorEnvelope(422, 'Webhook limit reached (max 20)')));
    expect(result.status).toBe(422);
    const message = String(result.json?.message);
    expect(message).toMatch(/all 20 webhooks of the account are in use/);
    expect(message).not.toMatch(/If the account already has/);
    expect(message).toMatch(/delete or turn off flows/);
    expect(message).toMatch(/1\.0/);
    expect(message).toMatch(/admin portal/);
    expect(message).toContain('Webhook limit reached (max 20)');
    expect(result.json).toMatchObject({ version: '2', status: 'error', statusCode: 422 });
  });

  it('another refused registration mentions the limit as a possible cause', async () => {
    const result = await register('LostCallerAdded', registration('LostCallerAdded', 400, errorEnvelope(400, 'Bad endpoint')));
    expect(result.status).toBe(400);
    expect(String(result.json?.message)).toMatch(/If the account already has 20 webhooks/);
  });

  it('sends the key as Bearer and the callback body unchanged', async () => {
    const result = await register('VoicemailCreated', registration('VoicemailCreated', 200, envelope('62')));
    expect(result.outbound).toHaveLength(1);
    expect(result.outbound[0].headers.authorization).toBe(`Bearer ${KEY}`);
    expect(JSON.parse(result.outbound[0].body ?? 'null')).toEqual({ endpoint: CALLBACK });
  });
});

describe('DeleteWebhookByID', () => {
  const del = (status: number, body: unknown) =>
    run(host(), { operationId: 'DeleteWebhookByID', method: 'DELETE', path: '/webhooks/57' }, [
      { request: { method: 'DELETE', path: '/api/v2/webhooks/57', query: {}, headers: { authorization: 'Bearer <redacted>' }, body: null }, response: { status, headers: { 'content-type': 'application/json' }, body: body as ScenarioStep['response']['body'] } },
    ]);

  it('a 404 from the PBX (already gone) answers 200 success', async () => {
    const result = await del(404, errorEnvelope(404, 'Webhook not found'));
    expect(result.status).toBe(200);
    expect(result.json).toMatchObject({ status: 'success', statusCode: 200, data: {} });
  });

  it('a 404 with an HTML page answers 200 success too', async () => {
    const result = await del(404, '<html><body>Not Found</body></html>');
    expect(result.status).toBe(200);
  });

  it('a success passes through unchanged', async () => {
    const result = await del(200, envelope({}, { message: 'Deleted' }));
    expect(result.status).toBe(200);
    expect(result.json).toEqual(envelope({}, { message: 'Deleted' }));
  });

  it('other errors keep their status (the platform retries)', async () => {
    const result = await del(503, '<html><body><h1>Service Unavailable</h1></body></html>');
    expect(result.status).toBe(503);
    expect(result.json).toMatchObject({ status: 'error', statusCode: 503 });
  });
});
