// Logs never hold the API key or a phone number (digits masked), whatever the PBX echoes.
import { describe, expect, it } from 'vitest';
import type { ScriptLog } from '../../script-host/host';
import { LV_MOBILE, PLANTED } from '../support/planted-numbers';
import { calls, envelope, errorEnvelope, get, KEY, run, useScriptHost } from './helpers';

const host = useScriptHost();
const PHONE = '+37100000123';
// A real-format number the PBX might echo: +371 NNNN NNNN.
const SPACED = PLANTED.find((p) => p.label === 'Latvian, international, spaced' && p.national === LV_MOBILE)!.text;

function assertClean(logs: ScriptLog[]): void {
  for (const log of logs) {
    expect(log.message).not.toContain(KEY);
    expect(log.message).not.toMatch(/\d[\d -]{5,}\d/); // no run of 7+ digits, spaced or not
  }
}

describe('logging', () => {
  it('an error message that echoes the key and a phone number is logged masked', async () => {
    const result = await run(host(), { operationId: 'Dial', method: 'POST', path: '/dial', body: { destination: PHONE } }, [
      {
        request: { method: 'POST', path: '/api/v2/dial', query: {}, headers: { authorization: 'Bearer <redacted>' }, body: { destination: PHONE } },
        response: { status: 422, headers: { 'content-type': 'application/json' }, body: errorEnvelope(422, `Destination ${PHONE} (also ${SPACED}) refused for key ${KEY}`) },
      },
    ]);
    expect(result.logs.length).toBeGreaterThan(0);
    assertClean(result.logs);
    expect(result.logs.some((l) => l.message.includes('+***********') && l.message.includes('+*** **** ****') && l.message.includes('[key]'))).toBe(true);
  });

  it('an HTML error page quoting a phone number is logged masked', async () => {
    const result = await run(host(), { operationId: 'GetLostCalls', path: '/lost_calls', query: { destination: PHONE } }, [
      get('/lost_calls', { destination: PHONE }, 500, `<html><body>Error for ${PHONE}</body></html>`),
    ]);
    assertClean(result.logs);
    expect(result.logs.some((l) => /\+\*{11}/.test(l.message))).toBe(true);
  });

  it('a poll filtered by a phone number, with a warning, logs no number', async () => {
    const query = { initial_call_id: '5', limit: '1', source: PHONE };
    // The PBX repeats the page (it ignores offset): the script warns and stops reading.
    const steps = [get('/trigger/call_history', query, 200, envelope(calls([6]))), get('/trigger/call_history', { ...query, offset: '1' }, 200, envelope(calls([6])))];
    const result = await run(host(), { operationId: 'GetCallHistory', path: '/trigger/call_history', query: { ...query, poll_v: '1' } }, steps);
    expect(result.logs.some((l) => l.level === 'Warning')).toBe(true);
    assertClean(result.logs);
  });

  it('a webhook registration logs neither the key nor the callback URL', async () => {
    const callback = 'https://prod-00.westeurope.logic.azure.com/workflows/abc/triggers/manual/paths/invoke?sig=secret-signature';
    const result = await run(host(), { operationId: 'CallStarted', method: 'POST', path: '/webhooks/CallStarted', body: { endpoint: callback } }, [
      {
        request: { method: 'POST', path: '/api/v2/webhooks/CallStarted', query: {}, headers: { authorization: 'Bearer <redacted>' }, body: { endpoint: callback } },
        response: { status: 200, headers: { 'content-type': 'application/json' }, body: envelope('57') },
      },
    ]);
    assertClean(result.logs);
    expect(result.logs.map((l) => l.message).join('\n')).not.toContain('secret-signature');
  });

  it('the key is masked in logs even when it is all digits', async () => {
    const digitsKey = '12345678901234';
    const result = await host().execute(
      { operationId: 'GetContactsByID', method: 'GET', url: 'https://zvanuparvaldnieks.lmt.lv/api/v2/contacts/1', headers: { Authorization: digitsKey } },
      () => ({ status: 401, body: errorEnvelope(401, `Key ${digitsKey} unknown`) }),
    );
    for (const log of result.logs) expect(log.message).not.toContain(digitsKey);
    expect(result.body).not.toContain(digitsKey);
  });
});
