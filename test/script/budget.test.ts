// The time budget outside polling: every PBX request is raced against the budget, so the budget holds even on a
// platform whose SendAsync ignores its cancellation token. Idempotent operations then answer 504 (try again); Dial
// and webhook registrations answer a status the platform's default retry policy does not resend (it resends 408,
// 429 and 5xx), saying the action may have happened. The budget is shortened (a variant of script.csx) and the PBX
// is far slower than it, so nothing here depends on the machine's speed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScriptHost, type ScriptRequest } from '../../script-host/host';
import { envelope, scriptRequest } from './helpers';
import { scriptWithBudget } from './poll-loop';

const BUDGET_MS = 200;
const host = new ScriptHost({ scriptPath: scriptWithBudget(BUDGET_MS) });
// SendAsync that ignores its token, and no platform time limit: only the script's own deadline can end a wait.
const deaf = new ScriptHost({ scriptPath: scriptWithBudget(BUDGET_MS), sendIgnoresToken: true, timeLimitMs: 0 });
beforeAll(async () => {
  await Promise.all([host.start(), deaf.start()]);
  // The first execution of a Mono host compiles the script's code paths; it must not eat a shortened budget.
  for (const h of [host, deaf]) await h.execute(scriptRequest({ operationId: 'GetContactsByID', path: '/contacts/1' }), () => ({ status: 200, body: envelope({}) }));
});
afterAll(() => Promise.all([host.stop(), deaf.stop()]));

const slow = (ms: number, body: unknown = envelope({})) => () => new Promise<{ status: number; body: unknown }>((resolve) => setTimeout(() => resolve({ status: 200, body }), ms));
const never = () => new Promise<{ status: number }>(() => undefined);
const dial = () => scriptRequest({ operationId: 'Dial', method: 'POST', path: '/dial', body: { destination: '+3710000001', contactID: 1 } });
const registration = () => scriptRequest({ operationId: 'CallStarted', method: 'POST', path: '/webhooks/CallStarted', body: { endpoint: 'https://example.invalid/cb' } });
const RESENT = (status: number) => status === 408 || status === 429 || status >= 500;

describe('the time budget', () => {
  it('cuts an idempotent action whose PBX request outlives it: 504 with the envelope, try again', async () => {
    const result = await host.execute(scriptRequest({ operationId: 'GetContactsByID', path: '/contacts/1' }), slow(BUDGET_MS * 15));
    expect(result.status).toBe(504);
    // Far below the PBX's 15 × budget, with room for a loaded machine: the request was cut, not awaited.
    expect(result.wallMs).toBeLessThan(BUDGET_MS * 10);
    expect(JSON.parse(result.body)).toMatchObject({ version: '2', status: 'error', statusCode: 504 });
    expect(JSON.parse(result.body).message).toMatch(/did not answer within the connector's time limit.*Try again/);
  });

  it('Dial and a webhook registration answered within the budget succeed as usual', async () => {
    const dialled = await host.execute(dial(), slow(BUDGET_MS / 4));
    expect(dialled.status).toBe(200);
    const registered = await host.execute(registration(), slow(BUDGET_MS / 4, envelope('57')));
    expect(registered.status).toBe(201);
  });

  it('Dial on a PBX far slower than the budget: a status the platform does not resend, "may have been placed", Retry Policy None', async () => {
    const result = await host.execute(dial(), slow(BUDGET_MS * 30));
    expect(result.status).toBe(424);
    expect(RESENT(result.status)).toBe(false);
    expect(result.wallMs).toBeLessThan(BUDGET_MS * 10);
    expect(JSON.parse(result.body)).toMatchObject({ status: 'error', statusCode: 424 });
    expect(JSON.parse(result.body).message).toMatch(/did not answer within.*call may have been placed.*Retry Policy to None/);
  });

  it('a registration on a PBX far slower than the budget: not resent, a webhook may exist, how to remove it in the portal', async () => {
    const result = await host.execute(registration(), slow(BUDGET_MS * 30, envelope('57')));
    expect(result.status).toBe(424);
    expect(result.headers.location).toBeUndefined();
    expect(JSON.parse(result.body).message).toMatch(/webhook may have been registered.*admin portal \(API → Web hooks\), delete the webhooks that point to this flow/);
  });

  it('when the platform cancels Dial, the answer says the call may have been placed and advises Retry Policy None', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const result = await host.execute(dial(), slow(BUDGET_MS * 2), { signal: controller.signal });
    expect(result.status).toBe(424);
    expect(JSON.parse(result.body).message).toMatch(/call may have been placed.*Retry Policy to None/);
  });

  it('a registration whose connection drops (the PBX may have acted): not resent, a webhook may exist', async () => {
    const result = await host.execute(registration(), () => {
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
    const result = await host.execute(request, () => ({ status, body: '<html><body>Upstream error</body></html>' }));
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
    ['Dial', 424, dial()],
    ['a webhook registration', 424, registration()],
  ];
  it.each(cases)('%s on a PBX that never answers still answers %i at the budget', async (_name, status, request) => {
    // Without the race against the budget this execution would wait for the PBX forever (the test's timeout).
    const result = await deaf.execute(request, never);
    expect(result.status).toBe(status);
    expect(result.outbound).toHaveLength(1);
  }, 20_000);
});
