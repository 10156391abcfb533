/**
 * The workflow runtime's webhook actions (an action that waits for a callback), its data operations
 * (Select, Query and item()), the retry policy it honours, and the stand-ins the new flows use (OneDrive's
 * Create file, Excel's Update a row, Teams' card that waits for an answer), each on purpose-made input.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { afterAll, describe, expect, it } from 'vitest';
import type { JsonObject } from '../../lib/json-pointer';
import { VirtualClock } from '../../sandbox/clock';
import { ACTION_TYPES } from '../../sandbox/workflow/actions';
import { durationMs } from '../../sandbox/workflow/loops';
import { ActionFailure, ok, StandInApi, type ActionCallback, type ApiCall, type ConnectorApi, type Json, type RunEnv } from '../../sandbox/workflow/apis';
import { ActionCancelled, WorkflowEngine, type RunHooks } from '../../sandbox/workflow/engine';
import { excelStandIn, MISSED_CALLS_WORKBOOK } from '../../sandbox/workflow/stand-ins/excel';
import { oneDriveStandIn } from '../../sandbox/workflow/stand-ins/onedrive';
import { CARD_UNANSWERED_ONE_IN, readOutbox, teamsStandIn } from '../../sandbox/workflow/stand-ins/teams';
import { serve } from '../../sandbox/http';
import { fakeNumber } from '../../sandbox/pbx/model';
import { memoryWorkflow } from './helpers';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'workflow-callbacks-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const T0 = Date.parse('2026-11-02T07:15:00Z');

/** A run environment on a virtual clock whose callbacks are answered (or not) by the test. */
function environment() {
  const clock = new VirtualClock(T0);
  const waiting = new Map<string, { answer(body: Json): void; fail(e: Error): void }>();
  const env: RunEnv = {
    now: clock.now,
    after: (ms, run) => clock.after(ms, run),
    callback: (action): ActionCallback => {
      let answer: (body: Json) => void = () => undefined;
      let fail: (e: Error) => void = () => undefined;
      const response = new Promise<{ headers: Record<string, string>; body: Json }>((resolve, reject) => {
        answer = (body) => resolve({ headers: {}, body });
        fail = reject;
      });
      const url = `http://callbacks.invalid/${action}/${waiting.size}`;
      waiting.set(url, { answer, fail });
      return { url, response, fail: (e) => fail(e) };
    },
  };
  return { clock, env, waiting };
}

const subscribed: ApiCall[] = [];
const cards = new StandInApi('cards', 'card API', [
  { operationId: 'Ask', method: 'post', path: '/ask', body: 'body', webhook: true, run: (c) => (subscribed.push(c), ok({ messageId: 'm1' }, 201)) },
  { operationId: 'Tell', method: 'post', path: '/tell', body: 'body', run: () => ok({}) },
]);

function engine(actions: JsonObject, env: RunEnv, apis: Map<string, ConnectorApi> = new Map([['cards', cards]])) {
  const e = new WorkflowEngine(memoryWorkflow(actions, { api: 'cards' }), ACTION_TYPES, apis, env);
  return { e, problems: e.validate(() => undefined).map((p) => `${p.pointer} ${p.message}`) };
}

const ask = (extra: JsonObject = {}): JsonObject => ({ type: 'OpenApiConnectionWebhook', runAfter: {}, inputs: { host: { connectionName: 'c', operationId: 'Ask' }, parameters: { 'body/q': 'who?' } }, ...extra });

describe('a webhook action', () => {
  it('subscribes with a callback URL, lets the host go on while it waits, and outputs what is POSTed there', async () => {
    const { env, waiting } = environment();
    const { e, problems } = engine({ Ask: ask(), After: { type: 'Compose', runAfter: { Ask: ['Succeeded'] }, inputs: "@body('Ask')?['choice']" } }, env);
    expect(problems).toEqual([]);
    let suspended = 0;
    const hooks: RunHooks = { suspend: (wait) => (suspended++, wait) };
    const running = e.run('t', { headers: {}, body: null }, hooks);
    await new Promise((r) => setTimeout(r, 10));
    expect(subscribed.at(-1)).toMatchObject({ operationId: 'Ask', body: { q: 'who?' }, callbackUrl: [...waiting.keys()][0] });
    expect(suspended).toBe(1);
    [...waiting.values()][0].answer({ choice: 'me' });
    const run = await running;
    expect(run.status).toBe('Succeeded');
    expect(run.actions.map((a) => [a.name, a.status, a.outputs])).toEqual([
      ['Ask', 'Succeeded', { statusCode: 200, headers: {}, body: { choice: 'me' }, subscription: { messageId: 'm1' } }],
      ['After', 'Succeeded', 'me'],
    ]);
  });

  it('ends as TimedOut after limit.timeout of sandbox time: a runAfter TimedOut handles it, else the run fails', async () => {
    for (const handled of [true, false]) {
      const { env, clock } = environment();
      const actions: JsonObject = { Ask: ask({ limit: { timeout: 'PT8H' } }) };
      if (handled) actions.Late = { type: 'Compose', runAfter: { Ask: ['TimedOut'] }, inputs: 'nobody answered' };
      const running = engine(actions, env).e.run('t', { headers: {}, body: null });
      await new Promise((r) => setTimeout(r, 10));
      await clock.advanceBy(8 * 3_600_000 - 1);
      let settled = false;
      void running.then(() => (settled = true));
      await new Promise((r) => setTimeout(r, 10));
      expect(settled).toBe(false); // not a millisecond early
      await clock.advanceBy(1);
      const run = await running;
      expect(run.actions[0]).toMatchObject({ name: 'Ask', status: 'TimedOut', error: 'no answer within PT8H (limit.timeout)' });
      expect(run.status).toBe(handled ? 'Succeeded' : 'Failed');
    }
  });

  it('is Cancelled, and so is its run, when the wait ends because the flow is stopped', async () => {
    const { env, waiting } = environment();
    const running = engine({ Ask: ask(), After: { type: 'Compose', runAfter: { Ask: ['Succeeded'] }, inputs: 1 } }, env).e.run('t', { headers: {}, body: null });
    await new Promise((r) => setTimeout(r, 10));
    [...waiting.values()][0].fail(new ActionCancelled('the flow was stopped'));
    const run = await running;
    expect(run.actions.map((a) => `${a.name}:${a.status}`)).toEqual(['Ask:Cancelled', 'After:Skipped']);
    expect(run).toMatchObject({ status: 'Cancelled', error: 'Ask: the flow was stopped' });
  });

  it('is refused before the flow starts on an operation that answers at once, with an unknown limit, or a timeout that is no duration', () => {
    const { env } = environment();
    const refused = (action: JsonObject) => engine({ A: action }, env).problems;
    expect(refused({ ...ask(), inputs: { host: { connectionName: 'c', operationId: 'Tell' }, parameters: {} } })).toEqual([expect.stringContaining('/actions/A/type Tell of card API answers at once')]);
    expect(refused(ask({ limit: { count: 3 } }))).toEqual([expect.stringContaining('/actions/A/limit/count limit.count is not implemented')]);
    expect(refused(ask({ limit: { timeout: 'P1M' } }))).toEqual([expect.stringContaining('/actions/A/limit/timeout limit.timeout must be an ISO 8601 duration')]);
  });

  it('reads ISO 8601 durations in weeks, days, hours, minutes and seconds, and nothing vaguer', () => {
    expect([durationMs('PT8H'), durationMs('P1DT2H30M'), durationMs('PT45S'), durationMs('P2W')]).toEqual([8 * 3_600_000, 26.5 * 3_600_000, 45_000, 14 * 86_400_000]);
    expect([durationMs('P1M'), durationMs('P1Y'), durationMs('PT'), durationMs('P1DT'), durationMs(8)]).toEqual([undefined, undefined, undefined, undefined, undefined]);
  });
});

describe('data operations and settings', () => {
  const env: RunEnv = { now: () => T0 };

  it('Select maps and Query filters, item() being the current item; Foreach gives item() too', async () => {
    const { e, problems } = engine({
      Keep: { type: 'Query', runAfter: {}, inputs: { from: "@triggerBody()?['people']", where: "@equals(item()?['archived'], 0)" } },
      Shape: { type: 'Select', runAfter: { Keep: ['Succeeded'] }, inputs: { from: "@body('Keep')", select: { title: "@{item()?['name']} (@{item()?['n']})", value: "@{item()?['id']}" } } },
      Each: { type: 'Foreach', runAfter: { Shape: ['Succeeded'] }, foreach: "@body('Shape')", actions: { Echo: { type: 'Compose', runAfter: {}, inputs: "@item()?['value']" } } },
    }, env);
    expect(problems).toEqual([]);
    const run = await e.run('t', { headers: {}, body: { people: [{ id: 1, name: 'Anna', n: '101', archived: 0 }, { id: 2, name: 'Ilze', n: '102', archived: 1 }, { id: 3, name: 'Jānis', n: '103', archived: 0 }] } });
    expect(run.status).toBe('Succeeded');
    expect(run.actions.find((a) => a.name === 'Shape')?.outputs).toEqual({ body: [{ title: 'Anna (101)', value: '1' }, { title: 'Jānis (103)', value: '3' }] });
    expect(run.actions.filter((a) => a.name === 'Echo').map((a) => a.outputs)).toEqual(['1', '3']); // one per iteration
  });

  it('item() outside Select, Query and Foreach fails the action by name; Select without select is refused', async () => {
    const run = await engine({ A: { type: 'Compose', runAfter: {}, inputs: "@item()" } }, env).e.run('t', { headers: {}, body: null });
    expect(run).toMatchObject({ status: 'Failed', error: 'A: item() is only known inside Select, Query (Filter array) or Foreach' });
    expect(engine({ S: { type: 'Select', runAfter: {}, inputs: { from: '@createArray(1)' } } }, env).problems).toEqual([expect.stringContaining('/actions/S/inputs/select Select needs inputs.select')]);
  });

  it('a retry policy of "none" is what the runtime does; any other is refused', () => {
    const tell = (retryPolicy: JsonObject) => ({ A: { type: 'OpenApiConnection', runAfter: {}, inputs: { host: { connectionName: 'c', operationId: 'Tell' }, parameters: {}, retryPolicy } } });
    expect(engine(tell({ type: 'none' }), env).problems).toEqual([]);
    expect(engine(tell({ type: 'exponential', count: 4, interval: 'PT10S' }), env).problems).toEqual([expect.stringContaining('/actions/A/inputs/retryPolicy the sandbox runtime never retries an action')]);
  });
});

describe('OneDrive stand-in: Create file', () => {
  const drive = path.join(dir, 'drive');
  const api = oneDriveStandIn(drive);
  const env: RunEnv = { now: () => T0 };
  const create = (folderPath: string, name: string, body: Json) => api.invoke({ operationId: 'CreateFile', params: { folderPath, name }, body }, env);

  it('writes binary content byte for byte under its folder path, creating the folders, and answers the file\'s metadata', async () => {
    const bytes = Buffer.from([0, 1, 2, 254, 255, 82, 73, 70, 70]);
    const name = `091500 in ${fakeNumber(201)} (7).wav`;
    const result = await create('/Call recordings/2026-11-02', name, { '$content-type': 'audio/wav', $content: bytes.toString('base64') });
    expect(result.body).toMatchObject({ Name: name, Path: `/Call recordings/2026-11-02/${name}`, Size: 9, MediaType: 'audio/wav', IsFolder: false });
    expect(fs.readFileSync(path.join(drive, 'Call recordings', '2026-11-02', name)).equals(bytes)).toBe(true);
    await create('/notes', 'a.txt', 'plain text');
    expect(fs.readFileSync(path.join(drive, 'notes', 'a.txt'), 'utf8')).toBe('plain text');
    expect(api.produced()).toEqual({ label: 'files', count: 2 });
  });

  it('refuses a name OneDrive refuses, a path out of the drive, a file that exists, and content that is no file', async () => {
    await expect(create('/x', '09:15:00.wav', 'a')).rejects.toThrow(/holds a character OneDrive refuses/);
    await expect(create('/x/../../etc', 'a.txt', 'a')).rejects.toThrow(/is not a path inside the drive/);
    await create('/dup', 'a.txt', 'one');
    await expect(create('/dup', 'a.txt', 'two')).rejects.toMatchObject({ statusCode: 409, message: expect.stringContaining('/dup/a.txt already exists') });
    await expect(create('/x', 'b.bin', { data: [1, 2] })).rejects.toThrow(ActionFailure);
  });
});

describe('Excel stand-in: Update a row', () => {
  it('overwrites the given cells of the row whose key column holds the key; an unknown key or key column is refused', async () => {
    const file = path.join(dir, MISSED_CALLS_WORKBOOK.fileName);
    const api = excelStandIn(file, MISSED_CALLS_WORKBOOK);
    const env: RunEnv = { now: () => T0 };
    const params = { drive: 'PICK-IN-DESIGNER', file: 'PICK-IN-DESIGNER', table: 'PICK-IN-DESIGNER' };
    for (const key of ['a 1', 'b 2']) await api.invoke({ operationId: 'AddRowV2', params, body: { Key: key, Caller: key[0], Status: 'Open' } }, env);
    const updated = await api.invoke({ operationId: 'PatchItem', params: { ...params, idColumn: 'Key', id: 'b 2' }, body: { Status: 'Called back', 'Handled By': 'Anna' } }, env);
    expect(updated.body).toMatchObject({ Key: 'b 2', Caller: 'b', Status: 'Called back', 'Handled By': 'Anna', ItemInternalId: '2' });
    await expect(api.invoke({ operationId: 'PatchItem', params: { ...params, idColumn: 'Key', id: 'c 3' }, body: { Status: 'x' } }, env)).rejects.toMatchObject({ statusCode: 404 });
    await expect(api.invoke({ operationId: 'PatchItem', params: { ...params, idColumn: 'Nope', id: 'a 1' }, body: { Status: 'x' } }, env)).rejects.toMatchObject({ statusCode: 400 });
    await expect(api.invoke({ operationId: 'PatchItem', params: { ...params, idColumn: 'Key', id: 'a 1' }, body: { Colour: 'x' } }, env)).rejects.toThrow(/has no column "Colour"/);
  });
});

describe('Teams stand-in: Post adaptive card and wait for a response', () => {
  const card = (caller: string) => JSON.stringify({
    type: 'AdaptiveCard',
    version: '1.4',
    body: [{ type: 'TextBlock', text: `Missed call from ${caller}` }, { type: 'Input.ChoiceSet', id: 'contactID', choices: [{ title: `Anna Bērziņa-Parauga (${fakeNumber(1001)})`, value: '1' }, { title: `Jānis Ozoliņš-Paraugs (${fakeNumber(1002)})`, value: '2' }] }],
    actions: [{ type: 'Action.Submit', title: 'Call back' }],
  });

  it('someone answers most cards after minutes of sandbox time, picking themselves; the same card always the same way; the answer goes to the callback and the outbox', async () => {
    const received: Array<{ url: string; body: Json }> = [];
    const server = await serve(async (req) => (received.push({ url: req.url.pathname, body: JSON.parse(req.body) as Json }), { status: 200, headers: {}, body: '' }));
    try {
      const clock = new VirtualClock(T0);
      const outbox = path.join(dir, 'teams.jsonl');
      const api = teamsStandIn(outbox);
      const env: RunEnv = { now: clock.now, after: (ms, run) => clock.after(ms, run) };
      const callers = Array.from({ length: 12 }, (_, i) => fakeNumber(2000 + i));
      for (const [i, caller] of callers.entries()) {
        const posted = await api.invoke({ operationId: 'PostCardAndWaitForResponse', params: { poster: 'Flow bot', location: 'Channel' }, body: { body: { messageBody: card(caller), recipient: { groupId: 'g', channelId: 'c' } } }, callbackUrl: `${server.origin}/cb/${i}` }, env);
        expect(posted.statusCode).toBe(201);
      }
      expect(received).toEqual([]); // nothing at once
      await clock.advanceBy(2 * 60_000 - 1);
      expect(received).toEqual([]); // not before two minutes
      await clock.advanceBy(45 * 60_000);
      const answered = received.length;
      expect(answered).toBeGreaterThan(0);
      expect(answered).toBeLessThan(callers.length); // about one in CARD_UNANSWERED_ONE_IN never is
      expect(CARD_UNANSWERED_ONE_IN).toBe(4);
      for (const r of received) {
        const body = r.body as { submitActionId: string; data: { contactID: string }; responder: { displayName: string; email: string } };
        expect(body.submitActionId).toBe('Call back');
        expect(['1', '2']).toContain(body.data.contactID);
        expect(body.responder.displayName).toBe(body.data.contactID === '1' ? 'Anna Bērziņa-Parauga' : 'Jānis Ozoliņš-Paraugs');
        expect(body.responder.email).toMatch(/^[a-z.-]+@sandbox\.example\.invalid$/);
      }
      // The outbox is written when the flow stops (the stand-in's close).
      expect(readOutbox(outbox)).toEqual([]);
      await api.close();
      const lines = readOutbox(outbox);
      expect(lines.filter((l) => 'kind' in l && l.kind === 'card')).toHaveLength(callers.length);
      expect(lines.filter((l) => 'kind' in l && l.kind === 'response')).toHaveLength(answered);

      // The same cards, posted again, are answered by the same people with the same picks.
      const again: Array<{ url: string; body: Json }> = received.splice(0);
      for (const [i, caller] of callers.entries()) await api.invoke({ operationId: 'PostCardAndWaitForResponse', params: {}, body: { body: { messageBody: card(caller) } }, callbackUrl: `${server.origin}/cb/${i}` }, env);
      await clock.advanceBy(50 * 60_000);
      const pick = (list: typeof received) => list.map((r) => [r.url, (r.body as { data: Json }).data]).sort();
      expect(pick(received)).toEqual(pick(again));
    } finally {
      await server.stop();
    }
  });

  it('refuses a card that is not JSON, not an adaptive card, or has no button to press', async () => {
    const api = teamsStandIn(path.join(dir, 'refused.jsonl'));
    const env: RunEnv = { now: () => T0, after: () => ({ cancel: () => undefined }) };
    const post = (messageBody: string) => api.invoke({ operationId: 'PostCardAndWaitForResponse', params: {}, body: { body: { messageBody } }, callbackUrl: 'http://x.invalid/cb' }, env);
    await expect(post('{"type": "AdaptiveCard", "body": [')).rejects.toThrow(/not valid JSON/);
    await expect(post('{"type": "MessageCard"}')).rejects.toThrow(/must be an adaptive card/);
    await expect(post('{"type": "AdaptiveCard", "body": [], "actions": []}')).rejects.toThrow(/no Action.Submit button/);
  });
});
