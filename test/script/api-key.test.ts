// The API key reaches the PBX as "Bearer <key>" on every operation, whatever form the connection holds.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ContractDefinition, type Json } from '../../lib/definition';
import { buildRequest } from '../../lib/request';
import type { OutboundRequest } from '../../script-host/host';
import { connector } from '../../connector/model/connector';
import { CONNECTOR, envelope, KEY, PBX, useScriptHost } from './helpers';

const host = useScriptHost();
const root = path.resolve(__dirname, '../..');
const definition = ContractDefinition.load(path.join(root, 'apiDefinition.swagger.json'), path.join(root, 'apiProperties.json'));
const scriptOperations = (JSON.parse(fs.readFileSync(path.join(root, 'apiProperties.json'), 'utf8')) as { properties: { scriptOperations?: string[] } }).properties.scriptOperations ?? [];

/** Answers like a healthy PBX for any operation. */
function healthyPbx(request: OutboundRequest) {
  const url = new URL(request.url);
  if (request.method === 'POST' && url.pathname.includes('/webhooks/')) return { status: 200, body: envelope('57') };
  if (url.pathname.includes('/trigger/')) return { status: 200, body: envelope([]) };
  // A recording whose file lies on the PBX's own host (GetRecordingFile fetches it with the key).
  if (url.pathname.endsWith('/call_records/12')) return { status: 200, body: envelope({ recordingID: 12, recordingURL: `${PBX}/recordings/12/audio` }) };
  if (url.pathname.includes('/recordings/')) return { status: 200, headers: { 'content-type': 'audio/wav' }, body: Buffer.from('RIFF-audio') };
  return { status: 200, body: envelope({}) };
}

function requestFor(operationId: string, authorization: string | null) {
  const op = definition.operation(operationId);
  if (!op) throw new Error(`no operation ${operationId} in the definition`);
  const inputs: { [name: string]: Json } = {};
  for (const { parameter } of op.parameters) if (parameter.in === 'path') inputs[parameter.name] = 12;
  if (operationId === 'Dial') inputs.body = { destination: '+3710000002' };
  const { request } = buildRequest(definition, op, inputs);
  const url = new URL(`${PBX.replace(/\/api\/v2$/, '')}${request.path}`);
  for (const [name, value] of Object.entries(request.query)) url.searchParams.set(name, value);
  const headers: Record<string, string> = { ...request.headers };
  delete headers.authorization;
  if (authorization !== null) headers.Authorization = authorization;
  return {
    operationId,
    method: op.method.toUpperCase(),
    url: url.toString(),
    headers,
    body: request.body === null ? null : JSON.stringify(request.body),
    originalRequestUri: `${CONNECTOR}${request.path.replace(/^\/api\/v2/, '')}`,
  };
}

const forms: Array<[string, string]> = [
  ['the bare key', KEY],
  ['Bearer <key>', `Bearer ${KEY}`],
  ['bearer <key>', `bearer ${KEY}`],
  ['BEARER <key>', `BEARER ${KEY}`],
  ['stray spaces', `   Bearer    ${KEY}   `],
  ['a bare key with spaces around', `  ${KEY}\t`],
  ['a space inside the pasted key', `Bearer ${KEY.slice(0, 5)} ${KEY.slice(5)}`],
  ['Bearer typed twice', `Bearer Bearer ${KEY}`],
  ['Bearer with a colon', `Bearer: ${KEY}`],
];

describe('key forms', () => {
  it.each(forms)('%s reaches the PBX as Bearer <key>', async (_name, value) => {
    const result = await host().execute(requestFor('GetCallHistory', value), healthyPbx);
    expect(result.outbound).toHaveLength(1);
    expect(result.outbound[0].headers.authorization).toBe(`Bearer ${KEY}`);
  });

  it('a key that merely starts with "bearer" is kept whole', async () => {
    const result = await host().execute(requestFor('GetContactsByID', 'bearerish-key-123'), healthyPbx);
    expect(result.outbound[0].headers.authorization).toBe('Bearer bearerish-key-123');
  });
});

describe('every operation', () => {
  const operationIds = [...definition.operations.keys()];

  it('the definition has every operation of the model, all listed in scriptOperations', () => {
    expect(operationIds).toHaveLength(connector.operations.length);
    expect([...scriptOperations].sort()).toEqual([...operationIds].sort());
  });

  it.each(operationIds)('%s: "bearer  <key> " reaches the PBX as Bearer <key>, and the script handles it', async (operationId) => {
    const result = await host().execute(requestFor(operationId, ` bearer  ${KEY} `), healthyPbx);
    expect(result.outbound.length).toBeGreaterThan(0);
    for (const sent of result.outbound) expect(sent.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(result.logs.filter((l) => /no custom handling/.test(l.message))).toEqual([]);
    expect(result.status).toBeLessThan(300);
  });

  it.each(operationIds)('%s: an empty key answers 401 with how to fix it, without calling the PBX', async (operationId) => {
    const result = await host().execute(requestFor(operationId, '  '), healthyPbx);
    expect(result.status).toBe(401);
    expect(result.outbound).toEqual([]);
  });
});

describe('missing key', () => {
  it.each([
    ['no Authorization header', null],
    ['an empty value', ''],
    ['only spaces', '   '],
    ['only "Bearer"', 'Bearer'],
    ['"Bearer " with spaces', ' Bearer    '],
  ] as Array<[string, string | null]>)('%s: 401 in the envelope, saying how to fix it', async (_name, value) => {
    const result = await host().execute(requestFor('CallConnected', value), healthyPbx);
    expect(result.status).toBe(401);
    expect(result.outbound).toEqual([]);
    const body = JSON.parse(result.body) as Record<string, unknown>;
    expect(body).toMatchObject({ version: '2', status: 'error', statusCode: 401 });
    expect(body.message).toMatch(/no API key/);
    expect(body.message).toMatch(/Edit the connection/);
    expect(body.message).toMatch(/Zvanu Parvaldnieks admin portal/);
    expect(body.message).toMatch(/with or without "Bearer "/);
    expect(result.headers['content-type']).toMatch(/^application\/json/);
  });
});
