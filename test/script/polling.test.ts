// Polling triggers: every page of new items, merged, de-duplicated, newest first, bounded.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Json } from '../../lib/definition';
import { evaluateTriggerExpression } from '../../lib/expression';
import type { JsonValue } from '../../contract/scenario';
import { calls, envelope, errorEnvelope, get, ids, POLLING_TRIGGERS, range, run, useScriptHost } from './helpers';

const host = useScriptHost();
const HISTORY = '/trigger/call_history';

const poll = (query: Record<string, string>, steps: ReturnType<typeof get>[]) => run(host(), { operationId: 'GetCallHistory', path: HISTORY, query }, steps);

describe('paging', () => {
  it('sends limit=50 explicitly when the user set none, and stops on a page that is not full', async () => {
    const result = await poll({ initial_call_id: '0' }, [get(HISTORY, { initial_call_id: '0', limit: '50' }, 200, envelope(calls([3, 2, 1])))]);
    expect(result.status).toBe(200);
    expect(ids(result.json?.data)).toEqual([3, 2, 1]);
  });

  it('a burst of three full pages served oldest first reaches the trigger complete, duplicate-free, newest first', async () => {
    const result = await poll({ initial_call_id: '100', limit: '3' }, [
      get(HISTORY, { initial_call_id: '100', limit: '3' }, 200, envelope(calls([101, 102, 103]))),
      get(HISTORY, { initial_call_id: '100', limit: '3', offset: '3' }, 200, envelope(calls([104, 105, 106]))),
      get(HISTORY, { initial_call_id: '100', limit: '3', offset: '6' }, 200, envelope(calls([107, 108, 109]))),
      get(HISTORY, { initial_call_id: '100', limit: '3', offset: '9' }, 200, envelope(calls([]))),
    ]);
    expect(result.status).toBe(200);
    expect(ids(result.json?.data)).toEqual(range(109, 101));
  });

  it('removes the duplicates a page shift causes (new call arriving between pages, newest first)', async () => {
    const result = await poll({ initial_call_id: '100', limit: '3' }, [
      get(HISTORY, { initial_call_id: '100', limit: '3' }, 200, envelope(calls([109, 108, 107]))),
      get(HISTORY, { initial_call_id: '100', limit: '3', offset: '3' }, 200, envelope(calls([107, 106, 105]))),
      get(HISTORY, { initial_call_id: '100', limit: '3', offset: '6' }, 200, envelope(calls([104]))),
    ]);
    expect(ids(result.json?.data)).toEqual(range(109, 104));
  });

  it('uses the limit the user set as the page size', async () => {
    const result = await poll({ initial_call_id: '0', limit: '2' }, [
      get(HISTORY, { initial_call_id: '0', limit: '2' }, 200, envelope(calls([4, 3]))),
      get(HISTORY, { initial_call_id: '0', limit: '2', offset: '2' }, 200, envelope(calls([2]))),
    ]);
    expect(ids(result.json?.data)).toEqual([4, 3, 2]);
  });

  it('passes a user-set offset through and pages on from it', async () => {
    const result = await poll({ initial_call_id: '0', limit: '2', offset: '10' }, [
      get(HISTORY, { initial_call_id: '0', limit: '2', offset: '10' }, 200, envelope(calls([9, 8]))),
      get(HISTORY, { initial_call_id: '0', limit: '2', offset: '12' }, 200, envelope(calls([7]))),
    ]);
    expect(ids(result.json?.data)).toEqual([9, 8, 7]);
  });

  it('keeps the other filters exactly as received', async () => {
    const query = { initial_call_id: '5', destination: '+3710000002', direction: 'in', date_from: '2024-03-01 00:00' };
    const result = await poll(query, [get(HISTORY, { ...query, limit: '50' }, 200, envelope(calls([6])))]);
    expect(ids(result.json?.data)).toEqual([6]);
  });

  it('stops at 20 pages, returns what was fetched and logs that more may remain', async () => {
    const steps = range(0, 19).map((page) => get(HISTORY, page === 0 ? { initial_call_id: '0', limit: '2' } : { initial_call_id: '0', limit: '2', offset: String(page * 2) }, 200, envelope(calls([page * 2 + 1, page * 2 + 2]))));
    const result = await poll({ initial_call_id: '0', limit: '2' }, steps); // a 21st request would find no step
    expect(result.outbound).toHaveLength(20);
    expect(ids(result.json?.data)).toEqual(range(40, 1));
    expect(result.logs.some((l) => l.level === 'Warning' && /20 pages of 2 \(40 new items\).*2 or more new items may remain/.test(l.message))).toBe(true);
  });

  it('stops when the PBX repeats a page (it ignores offset) instead of fetching it 20 times', async () => {
    const result = await poll({ initial_call_id: '0', limit: '2' }, [
      get(HISTORY, { initial_call_id: '0', limit: '2' }, 200, envelope(calls([2, 1]))),
      get(HISTORY, { initial_call_id: '0', limit: '2', offset: '2' }, 200, envelope(calls([2, 1]))),
    ]);
    expect(ids(result.json?.data)).toEqual([2, 1]);
    expect(result.logs.some((l) => /repeated/.test(l.message))).toBe(true);
  });

  it('an invalid limit is passed through as given, on a single page', async () => {
    const result = await poll({ initial_call_id: '0', limit: 'ten' }, [get(HISTORY, { initial_call_id: '0', limit: 'ten' }, 422, errorEnvelope(422, 'limit must be an integer'))]);
    expect(result.status).toBe(422);
    const zero = await poll({ initial_call_id: '0', limit: '0' }, [get(HISTORY, { initial_call_id: '0', limit: '0' }, 200, envelope(calls([])))]);
    expect(zero.json?.data).toEqual([]);
  });
});

describe('the 1.0 cursor', () => {
  it('filters out items at or below the cursor when the PBX ignores it', async () => {
    const result = await poll({ initial_call_id: '105' }, [get(HISTORY, { initial_call_id: '105', limit: '50' }, 200, envelope(calls([107, 106, 105, 104])))]);
    expect(ids(result.json?.data)).toEqual([107, 106]);
  });

  it('stops paging once a newest-first page reaches the cursor', async () => {
    const result = await poll({ initial_call_id: '105', limit: '2' }, [
      get(HISTORY, { initial_call_id: '105', limit: '2' }, 200, envelope(calls([107, 106]))),
      get(HISTORY, { initial_call_id: '105', limit: '2', offset: '2' }, 200, envelope(calls([105, 104]))),
    ]);
    expect(ids(result.json?.data)).toEqual([107, 106]);
  });

  it('keeps paging through old items when the PBX lists oldest first and ignores the cursor', async () => {
    const result = await poll({ initial_call_id: '102', limit: '2' }, [
      get(HISTORY, { initial_call_id: '102', limit: '2' }, 200, envelope(calls([101, 102]))),
      get(HISTORY, { initial_call_id: '102', limit: '2', offset: '2' }, 200, envelope(calls([103, 104]))),
      get(HISTORY, { initial_call_id: '102', limit: '2', offset: '4' }, 200, envelope(calls([105]))),
    ]);
    expect(ids(result.json?.data)).toEqual([105, 104, 103]);
  });

  it('two polls in a row deliver every item exactly once (the policy state taken from data[0])', async () => {
    const properties = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../apiProperties.json'), 'utf8')) as {
      properties: { policyTemplateInstances: Array<{ parameters: Record<string, unknown> }> };
    };
    const policy = properties.properties.policyTemplateInstances.find((p) => (p.parameters['x-ms-apimTemplate-operationName'] as string[]).includes('GetCallHistory'));
    const stateExpression = (policy?.parameters['x-ms-apimTemplateParameter.triggerConfig'] as Record<string, string>).initial_call_id;

    const first = await poll({ initial_call_id: '0' }, [get(HISTORY, { initial_call_id: '0', limit: '50' }, 200, envelope(calls([1, 2, 3])))]);
    const cursor = evaluateTriggerExpression(stateExpression, first.json as Json);
    expect(cursor).toBe('3');
    // The PBX ignores the cursor and lists oldest first: only 4 and 5 are new.
    const second = await poll({ initial_call_id: String(cursor) }, [get(HISTORY, { initial_call_id: '3', limit: '50' }, 200, envelope(calls([1, 2, 3, 4, 5])))]);
    expect(ids(second.json?.data)).toEqual([5, 4]);
    expect(evaluateTriggerExpression(stateExpression, second.json as Json)).toBe('5');
  });
});

describe('every polling trigger', () => {
  // From the model, so that a trigger added there is covered here.
  const triggers = POLLING_TRIGGERS.map((op): [string, string, string, string] => [op.operationId, op.path, op.stateParameter, op.cursorField]);
  it('covers the polling triggers of the model', () => {
    expect(triggers.map(([operationId]) => operationId)).toContain('GetCallHistory');
  });
  it.each(triggers)('%s (%s) sorts by its id field and filters by its cursor %s', async (operationId, route, cursor, idField) => {
    const items = [12, 10, 14, 11].map((id) => ({ [idField]: id, name: `Item ${id}` }));
    const result = await run(host(), { operationId, path: route, query: { [cursor]: '10' } }, [get(route, { [cursor]: '10', limit: '50' }, 200, envelope(items))]);
    expect(ids(result.json?.data, idField)).toEqual([14, 12, 11]);
  });
});

describe('the response', () => {
  it('keeps the PBX envelope of the first page with the merged data, and dates as written', async () => {
    const first = envelope(calls([2, 1]), { message: 'OK', total: 3 });
    const result = await poll({ initial_call_id: '0', limit: '2' }, [
      get(HISTORY, { initial_call_id: '0', limit: '2' }, 200, first),
      get(HISTORY, { initial_call_id: '0', limit: '2', offset: '2' }, 200, envelope(calls([3]))),
    ]);
    expect(result.json).toEqual({ version: '2', status: 'success', statusCode: 200, message: 'OK', total: 3, data: calls([3, 2, 1]) });
    expect(result.body).toContain('"callStarted":"2024-03-01T10:00:00+02:00"');
    expect(result.headers['content-type']).toMatch(/^application\/json/);
  });

  it('orders ids held as strings by number and puts items without an id last', async () => {
    const data: JsonValue = [{ callID: '9' }, { callID: '10' }, { caller: 'no id' }, { callID: 8 }];
    const result = await poll({ initial_call_id: '0' }, [get(HISTORY, { initial_call_id: '0', limit: '50' }, 200, envelope(data))]);
    expect(result.json?.data).toEqual([{ callID: '10' }, { callID: '9' }, { callID: 8 }, { caller: 'no id' }]);
    expect(result.logs.some((l) => /without a whole-number callID/.test(l.message))).toBe(true);
  });

  it('data missing or null means no new items', async () => {
    for (const body of [{ version: '2', status: 'success', statusCode: 200, message: '' }, envelope(null)]) {
      const result = await poll({ initial_call_id: '0' }, [get(HISTORY, { initial_call_id: '0', limit: '50' }, 200, body)]);
      expect(result.status).toBe(200);
      expect(result.json).toMatchObject({ version: '2', status: 'success', data: [] });
    }
  });

  it('a lone item in data counts as a list of one', async () => {
    const result = await poll({ initial_call_id: '0' }, [get(HISTORY, { initial_call_id: '0', limit: '50' }, 200, envelope(calls([7])[0]))]);
    expect(ids(result.json?.data)).toEqual([7]);
  });

  const unusable: Array<[string, JsonValue, RegExp]> = [
    ['data a string', envelope('nothing'), /data that is not a list \(a string\)/],
    ['data an object without the id', envelope({ count: 0 }), /data that is not a list \(an object\)/],
    ['data a number', envelope(3), /data that is not a list/],
    ['an HTML page', '<html><head><title>Maintenance</title></head><body><p>Back soon</p></body></html>', /not a JSON object \(Maintenance Back soon\)/],
    ['an empty body', '', /not a JSON object \(\(no text\)\)/],
    ['truncated JSON', '{"version":"2","status":"success","data":[{"callID":1},', /not a JSON object/],
    ['a JSON array', '[1,2]', /not a JSON object/],
  ];
  it.each(unusable)('%s on a 200 page: 502 error envelope, nothing delivered', async (_name, body, message) => {
    const result = await poll({ initial_call_id: '0' }, [get(HISTORY, { initial_call_id: '0', limit: '50' }, 200, body)]);
    expect(result.status).toBe(502);
    expect(result.json).toMatchObject({ version: '2', status: 'error', statusCode: 502 });
    expect(String(result.json?.message)).toMatch(message);
    expect(String(result.json?.message)).toMatch(/next poll tries again/);
  });

  it('an error on the second page keeps the PBX status and delivers nothing (the cursor stays)', async () => {
    const result = await poll({ initial_call_id: '0', limit: '2' }, [
      get(HISTORY, { initial_call_id: '0', limit: '2' }, 200, envelope(calls([4, 3]))),
      get(HISTORY, { initial_call_id: '0', limit: '2', offset: '2' }, 500, '<html><body><h1>500 Internal Server Error</h1></body></html>', { 'content-type': 'text/html' }),
    ]);
    expect(result.status).toBe(500);
    expect(result.json?.data).toBeUndefined();
    expect(result.json).toMatchObject({ status: 'error', statusCode: 500 });
    expect(String(result.json?.message)).toMatch(/Page 2 of the new items failed/);
    expect(String(result.json?.message)).toContain('500 Internal Server Error');
  });

  it('a rate limit on the second page keeps 429 and Retry-After', async () => {
    const result = await poll({ initial_call_id: '0', limit: '2' }, [
      get(HISTORY, { initial_call_id: '0', limit: '2' }, 200, envelope(calls([4, 3]))),
      get(HISTORY, { initial_call_id: '0', limit: '2', offset: '2' }, 429, errorEnvelope(429, 'Too Many Requests'), { 'content-type': 'application/json', 'retry-after': '30' }),
    ]);
    expect(result.status).toBe(429);
    expect(result.headers['retry-after']).toBe('30');
    expect(String(result.json?.message)).toMatch(/Wait 30 seconds/);
  });
});
