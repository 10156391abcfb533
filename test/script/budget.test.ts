// The time budget outside polling: idempotent operations are cut at the budget (504, try again); Dial and
// webhook registrations never are, and when the platform does cancel them the answer says the action may
// have happened. The shipped script runs in virtual time (its real 3.5 s budget, the platform's 5 s limit):
// only the PBX's declared latencies move its clock, so the answers do not depend on the machine's speed.
import { describe, expect, it } from 'vitest';
import { ScriptExecutionError } from '../../script-host/host';
import { documentedLimits } from '../../connector/model/limits';
import { envelope, scriptRequest, useScriptHost } from './helpers';

const host = useScriptHost();

/** The script's budget (script.csx BudgetMs) and the share of it PBX requests may use (RequestShareOfBudget). */
const BUDGET_MS = documentedLimits.scriptBudgetMs;
const REQUEST_DEADLINE_MS = BUDGET_MS * 0.9;

const slow = (ms: number, body: unknown = envelope({})) => () => ({ status: 200, body, latencyMs: ms });
const dial = () => scriptRequest({ operationId: 'Dial', method: 'POST', path: '/dial', body: { destination: '+3710000001', contactID: 1 } });
const register = () => scriptRequest({ operationId: 'CallStarted', method: 'POST', path: '/webhooks/CallStarted', body: { endpoint: 'https://example.invalid/cb' } });

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

  it('never cuts Dial or a webhook registration short: they wait for the PBX past the budget', async () => {
    const dialled = await host().execute(dial(), slow(BUDGET_MS + 1000));
    expect(dialled.status).toBe(200);
    expect(dialled.wallMs).toBe(BUDGET_MS + 1000);
    const registered = await host().execute(register(), slow(BUDGET_MS + 1000, envelope('57')));
    expect(registered.status).toBe(201);
  });

  it('a Dial slower than the platform\'s 5 s limit is cancelled by the platform at 5 s: the call fails', async () => {
    const error = await host().execute(dial(), slow(8000)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ScriptExecutionError);
    expect((error as ScriptExecutionError).timedOut).toBe(true);
    // The script saw its token fire at the limit, not when the PBX answered.
    expect((error as ScriptExecutionError).logs.map((l) => l.message)).toContain('Dial: cancelled by the platform after 5000 ms.');
  });

  it('when the platform cancels Dial, the answer says the call may have been placed and advises Retry Policy None', async () => {
    const controller = new AbortController();
    // The flow is cancelled while the PBX is still dialling.
    const dialling = () => {
      controller.abort();
      return new Promise<never>(() => undefined);
    };
    const result = await host().execute(dial(), dialling, { signal: controller.signal });
    expect(result.status).toBe(504);
    expect(JSON.parse(result.body).message).toMatch(/call may have been placed.*Retry Policy to None/);
  });

  it('a registration the PBX drops says the webhook may have been registered', async () => {
    const result = await host().execute(register(), () => {
      throw new Error('connection reset');
    });
    expect(result.status).toBe(502);
    expect(JSON.parse(result.body).message).toMatch(/webhook may have been registered/);
  });
});
