// The time budget outside polling: idempotent operations are cut at the budget (504, try again); Dial and
// webhook registrations never are, and when the platform does cancel them the answer says the action may
// have happened. The budget is shortened (a variant of script.csx) to keep the test fast.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScriptHost } from '../../script-host/host';
import { envelope, scriptRequest } from './helpers';
import { scriptWithBudget } from './poll-loop';

const BUDGET_MS = 200;
const host = new ScriptHost({ scriptPath: scriptWithBudget(BUDGET_MS) });
beforeAll(() => host.start());
afterAll(() => host.stop());

const slow = (ms: number, body: unknown = envelope({})) => () => new Promise<{ status: number; body: unknown }>((resolve) => setTimeout(() => resolve({ status: 200, body }), ms));
const dial = () => scriptRequest({ operationId: 'Dial', method: 'POST', path: '/dial', body: { destination: '+3710000001', contactID: 1 } });

describe('the time budget', () => {
  it('cuts an idempotent action whose PBX request outlives it: 504 with the envelope, try again', async () => {
    const result = await host.execute(scriptRequest({ operationId: 'GetContactsByID', path: '/contacts/1' }), slow(BUDGET_MS * 15));
    expect(result.status).toBe(504);
    // Far below the PBX's 15 × budget, with room for a loaded machine: the request was cut, not awaited.
    expect(result.wallMs).toBeLessThan(BUDGET_MS * 10);
    expect(JSON.parse(result.body)).toMatchObject({ version: '2', status: 'error', statusCode: 504 });
    expect(JSON.parse(result.body).message).toMatch(/did not answer within the connector's time limit.*Try again/);
  });

  it('never cuts Dial or a webhook registration short: they wait for the PBX', async () => {
    const dialled = await host.execute(dial(), slow(BUDGET_MS * 2));
    expect(dialled.status).toBe(200);
    const registered = await host.execute(
      scriptRequest({ operationId: 'CallStarted', method: 'POST', path: '/webhooks/CallStarted', body: { endpoint: 'https://example.invalid/cb' } }),
      slow(BUDGET_MS * 2, envelope('57')),
    );
    expect(registered.status).toBe(201);
  });

  it('when the platform cancels Dial, the answer says the call may have been placed and advises Retry Policy None', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const result = await host.execute(dial(), slow(BUDGET_MS * 2), { signal: controller.signal });
    expect(result.status).toBe(504);
    expect(JSON.parse(result.body).message).toMatch(/call may have been placed.*Retry Policy to None/);
  });

  it('a registration the PBX drops says the webhook may have been registered', async () => {
    const result = await host.execute(scriptRequest({ operationId: 'CallStarted', method: 'POST', path: '/webhooks/CallStarted', body: { endpoint: 'https://example.invalid/cb' } }), () => {
      throw new Error('connection reset');
    });
    expect(result.status).toBe(502);
    expect(JSON.parse(result.body).message).toMatch(/webhook may have been registered/);
  });
});
