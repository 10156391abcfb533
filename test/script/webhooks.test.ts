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

  const noId: Array<[string, unknown, RegExp]> = [
    ['data missing', { version: '2', status: 'success', statusCode: 200, message: '' }, /no data/],
    ['data null', envelope(null), /no data/],
    ['data not an integer', envelope('abc'), /no integer id/],
    ['data a negative number', envelope(-3), /no integer id/],
    ['data a fraction', envelope(5.5), /no integer id/],
    ['data an array', envelope(['57']), /no integer id/],
    ['data an object without id', envelope({ name: 'x' }), /without an id/],
    ['a JSON array body', [1, 2], /not a JSON object/],
  ];
  it.each(noId)('%s: passes the response through unchanged, no Location, and logs why', async (_name, body, why) => {
    const result = await register('CallRecorded', registration('CallRecorded', 200, body));
    expect(result.status).toBe(200);
    expect(result.headers.location).toBeUndefined();
    expect(JSON.parse(result.body)).toEqual(body);
    expect(result.logs.some((l) => l.level === 'Warning' && why.test(l.message))).toBe(true);
  });

  it('passes a non-JSON success body through unchanged', async () => {
    const result = await register('CallRecorded', registration('CallRecorded', 200, 'OK', { 'content-type': 'text/plain' }));
    expect(result.status).toBe(200);
    expect(result.body).toBe('OK');
    expect(result.headers['content-type']).toMatch(/^text\/plain/);
    expect(result.headers.location).toBeUndefined();
  });

  it('passes an empty or truncated success body through unchanged', async () => {
    const empty = await register('CallRecorded', registration('CallRecorded', 200, ''));
    expect([empty.status, empty.body, empty.headers.location]).toEqual([200, '', undefined]);
    const truncated = await register('CallRecorded', registration('CallRecorded', 200, '{"version":"2","data":"5'));
    expect([truncated.status, truncated.body, truncated.headers.location]).toEqual([200, '{"version":"2","data":"5', undefined]);
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
