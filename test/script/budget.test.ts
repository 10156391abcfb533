// The time budget outside polling: every PBX request is raced against the budget, so the budget holds even on a
// platform whose SendAsync ignores its cancellation token. Idempotent operations then answer 504 (try again); Dial
// and webhook registrations answer a status the platform's default retry policy does not resend (it resends 408,
// 429 and 5xx), saying the action may have happened. The shipped script runs in virtual time (its real 3.5 s
// budget, the platform's 5 s limit): only the PBX's declared latencies move its clock, so the answers do not
// depend on the machine's speed.
import { describe, expect, it } from 'vitest';
import type { ScriptRequest } from '../../script-host/host';
import { documentedLimits } from '../../connector/model/limits';
import { envelope, scriptRequest, useScriptHost } from './helpers';

const host = useScriptHost();
// SendAsync that ignores its token: only the script's own race against its deadline can end a wait before the
// platform's 5 s limit fails the call.
const deaf = useScriptHost({ sendIgnoresToken: true });

/** The script's budget (script.csx BudgetMs) and the share of it PBX requests may use (RequestShareOfBudget). */
const BUDGET_MS = documentedLimits.scriptBudgetMs;
const REQUEST_DEADLINE_MS = BUDGET_MS * 0.9;
/** A PBX that never answers, as far as any limit goes (in virtual time every answer declares its latency). */
const AN_HOUR_MS = 3_600_000;

const slow = (ms: number, body: unknown = envelope({})) => () => ({ status: 200, body, latencyMs: ms });
const dial = () => scriptRequest({ operationId: 'Dial', method: 'POST', path: '/dial', body: { destination: '+3710000001', contactID: 1 } });
const registration = () => scriptRequest({ operationId: 'CallStarted', method: 'POST', path: '/webhooks/CallStarted', body: { endpoint: 'https://example.invalid/cb' } });
const RESENT = (status: number) => status === 408 || status === 429 || status >= 500;

describe('the time budget', () => {
  it('cuts an idempotent action whose PBX request outlives it at the deadline: 504 with the envelope, try again', async () => {
    const result = await host().execute(scriptRequest({ operationId: 'GetContactsByID', path: '/contacts/1' }), slow(60_000));
    expect(result.status).toBe(504);
    // Cut at the deadline, not when the PBX would have answered.
    expect(result.wallMs).toBe(REQUEST_DEADLINE_MS);
    expect(JSON.parse(result.body)).toMatchObject({ version: '2', status: 'error', statusCode: 504 });
    expect(JSON.parse(result.body).message).toMatch(/did not answer within the connector's time limit.*Try again/);
  });

  it('answers an idempotent action the PBX answers just before the deadline', async () => {
    const result = await host().execute(scriptRequest({ operationId: 'GetContactsByID', path: '/contacts/1' }), slow(REQUEST_DEADLINE_MS - 50));
    expect(result.status).toBe(200);
    expect(result.wallMs).toBe(REQUEST_DEADLINE_MS - 50);
  });

  it('Dial and a webhook registration answered within the budget succeed as usual', async () => {
    const dialled = await host().execute(dial(), slow(REQUEST_DEADLINE_MS - 50));
    expect(dialled.status).toBe(200);
    expect(dialled.wallMs).toBe(REQUEST_DEADLINE_MS - 50);
    const registered = await host().execute(registration(), slow(REQUEST_DEADLINE_MS - 50, envelope('57')));
    expect(registered.status).toBe(201);
  });

  it('Dial on a PBX far slower than the budget: a status the platform does not resend, "may have been placed", Retry Policy None', async () => {
    const result = await host().execute(dial(), slow(BUDGET_MS * 30));
    expect(result.status).toBe(424);
    expect(RESENT(result.status)).toBe(false);
    // At the deadline, well before the platform's 5 s limit would fail the call.
    expect(result.wallMs).toBe(REQUEST_DEADLINE_MS);
    expect(JSON.parse(result.body)).toMatchObject({ status: 'error', statusCode: 424 });
    expect(JSON.parse(result.body).message).toMatch(/did not answer within.*call may have been placed.*Retry Policy to None/);
  });

  it('a registration on a PBX far slower than the budget: not resent, a webhook may exist, how to remove it in the portal', async () => {
    const result = await host().execute(registration(), slow(BUDGET_MS * 30, envelope('57')));
    expect(result.status).toBe(424);
    expect(result.wallMs).toBe(REQUEST_DEADLINE_MS);
    expect(result.headers.location).toBeUndefined();
    expect(JSON.parse(result.body).message).toMatch(/webhook may have been registered.*admin portal \(API → Web hooks\), delete the webhooks that point to this flow/);
  });

  it('when the platform cancels Dial, the answer says the call may have been placed and advises Retry Policy None', async () => {
    const controller = new AbortController();
    // The flow is cancelled while the PBX is still dialling.
    const dialling = () => {
      controller.abort();
      return new Promise<never>(() => undefined);
    };
    const result = await host().execute(dial(), dialling, { signal: controller.signal });
    expect(result.status).toBe(424);
    expect(JSON.parse(result.body).message).toMatch(/call may have been placed.*Retry Policy to None/);
  });

  it('a registration whose connection drops (the PBX may have acted): not resent, a webhook may exist', async () => {
    const result = await host().execute(registration(), () => {
      throw new Error('connection reset');
    });
    expect(result.status).toBe(424);
    expect(JSON.parse(result.body).message).toMatch(/connection reset.*webhook may have been registered/);
  });

  it.each([
    ['Dial', 500],
    ['Dial', 503],
    ['CallStarted', 502],
    ['CallStarted', 408],
  ])('%s answered %i by the PBX (it may have acted): 424, not a status the platform resends', async (operationId, status) => {
    const request = operationId === 'Dial' ? dial() : registration();
    const result = await host().execute(request, () => ({ status, body: '<html><body>Upstream error</body></html>' }));
    expect(result.status).toBe(424);
    expect(JSON.parse(result.body).message).toContain(`HTTP ${status}`);
    expect(JSON.parse(result.body).message).toMatch(/may have been (placed|registered)/);
  });
});

describe('a platform whose SendAsync ignores the cancellation token', () => {
  const cases: Array<[string, number, ScriptRequest]> = [
    ['a read by ID', 504, scriptRequest({ operationId: 'GetContactsByID', path: '/contacts/1' })],
    ['a list page', 504, scriptRequest({ operationId: 'ListCalls', path: '/list/call_history' })],
    ['a polling check', 504, scriptRequest({ operationId: 'GetCallHistory', path: '/trigger/call_history', query: { initial_call_id: '5', poll_v: '1' } })],
    ['a dropdown', 504, scriptRequest({ operationId: 'ListContactChoices', path: '/choices/contacts' })],
    ['the read of a recording file', 504, scriptRequest({ operationId: 'GetRecordingFile', path: '/call_records/7/file' })],
    ['Dial', 424, dial()],
    ['a webhook registration', 424, registration()],
  ];
  it.each(cases)('%s on a PBX that takes an hour still answers %i at the deadline, within the platform\'s limit', async (_name, status, request) => {
    // The token fires at the deadline and SendAsync keeps waiting: without the race against the budget this
    // execution would wait for the PBX, and the platform's 5 s limit would fail the call (execute() rejects).
    const result = await deaf().execute(request, slow(AN_HOUR_MS));
    expect(result.status).toBe(status);
    expect(result.wallMs).toBe(REQUEST_DEADLINE_MS);
    expect(result.outbound).toHaveLength(1);
  });

  it('a recording file whose host takes an hour to send it still answers 504 at the deadline, saying what to do', async () => {
    const link = 'https://files.example.invalid/rec/7.wav';
    const result = await deaf().execute(scriptRequest({ operationId: 'GetRecordingFile', path: '/call_records/7/file' }), (_request, index) =>
      index === 0 ? { status: 200, body: envelope({ recordingID: 7, recordingURL: link }), latencyMs: 100 } : { status: 200, headers: { 'content-type': 'audio/wav' }, body: Buffer.from('RIFF'), latencyMs: AN_HOUR_MS },
    );
    expect(result.status).toBe(504);
    expect(result.wallMs).toBe(REQUEST_DEADLINE_MS);
    expect(result.outbound.map((o) => o.url)).toEqual(['https://zvanuparvaldnieks.lmt.lv/api/v2/call_records/7', link]);
    expect(JSON.parse(result.body).message).toContain('did not arrive within the connector\'s time limit');
  });
});
