// Polling triggers: script.csx answers the protocol itself (202/200 + Location), page by page, from the
// state it wrote into the Location. Purpose-made PBX answers; the drains against the mock PBX are in
// polling-drain.test.ts.
import { describe, expect, it } from 'vitest';
import type { JsonValue } from '../../contract/scenario';
import { calls, CONNECTOR, envelope, errorEnvelope, get, ids, PBX, POLLING_TRIGGERS, run, useScriptHost } from './helpers';

const host = useScriptHost();
const HISTORY = '/trigger/call_history';
/** The state of a flow that has checked before: the marker, and the largest page the PBX returned so far. */
const KNOWN = { poll_v: '1', poll_cap: '100' };

const poll = (query: Record<string, string>, steps: ReturnType<typeof get>[], originalRequestUri?: string | null) =>
  run(host(), { operationId: 'GetCallHistory', path: HISTORY, query, originalRequestUri: originalRequestUri === undefined ? connectorUrl(query) : originalRequestUri }, steps);

function connectorUrl(query: Record<string, string>, path = HISTORY): string {
  const url = new URL(CONNECTOR + path);
  for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
  return url.toString();
}

const locationQuery = (location: string | undefined): Record<string, string> => Object.fromEntries(new URL(location ?? 'http://none').searchParams);

describe('the first check of a new flow', () => {
  it('asks the PBX once, delivers nothing and answers 202 with a Location after the newest item', async () => {
    const result = await poll({ initial_call_id: '0' }, [get(HISTORY, { initial_call_id: '0', limit: '100' }, 200, envelope(calls([40, 39, 38])))]);
    expect(result.status).toBe(202);
    expect(result.outbound).toHaveLength(1);
    expect(result.body).toBe('');
    expect(result.headers.location?.startsWith(`${CONNECTOR}${HISTORY}?`)).toBe(true);
    expect(locationQuery(result.headers.location)).toEqual({ initial_call_id: '40', poll_v: '1', poll_cap: '3' });
    expect(result.headers['retry-after']).toBeUndefined();
  });

  it('on an empty account the Location keeps 0 but is marked, so the next check delivers instead of starting over', async () => {
    const first = await poll({ initial_call_id: '0' }, [get(HISTORY, { initial_call_id: '0', limit: '100' }, 200, envelope([]))]);
    expect(first.status).toBe(202);
    const state = locationQuery(first.headers.location);
    expect(state).toEqual({ initial_call_id: '0', poll_v: '1' });
    const next = await poll(state, [
      get(HISTORY, { initial_call_id: '0', limit: '100' }, 200, envelope(calls([1]))),
      get(HISTORY, { initial_call_id: '0', limit: '100', offset: '1' }, 200, envelope([])),
    ]);
    expect(next.status).toBe(200);
    expect(ids(next.json?.data)).toEqual([1]);
  });

  it('a PBX error on the first check keeps its status and explains it', async () => {
    const result = await poll({ initial_call_id: '0' }, [get(HISTORY, { initial_call_id: '0', limit: '100' }, 403, errorEnvelope(403, 'Invalid API key'))]);
    expect(result.status).toBe(403);
    expect(String(result.json?.message)).toMatch(/rejected the API key/);
  });
});

describe('later checks', () => {
  it('deliver the new items newest first with 200 and advance the cursor; the PBX never sees the markers', async () => {
    const result = await poll({ initial_call_id: '100', ...KNOWN }, [get(HISTORY, { initial_call_id: '100', limit: '100' }, 200, envelope(calls([101, 103, 102])))]);
    expect(result.status).toBe(200);
    expect(ids(result.json?.data)).toEqual([103, 102, 101]);
    expect(locationQuery(result.headers.location)).toEqual({ initial_call_id: '103', poll_v: '1', poll_cap: '100' });
    expect(result.headers['retry-after']).toBeUndefined();
  });

  it('answer a plain 202 (no Retry-After) with the state unchanged when nothing is new', async () => {
    const result = await poll({ initial_call_id: '100', ...KNOWN }, [get(HISTORY, { initial_call_id: '100', limit: '100' }, 200, envelope([]))]);
    expect(result.status).toBe(202);
    expect(locationQuery(result.headers.location)).toEqual({ initial_call_id: '100', ...KNOWN });
    expect(result.headers['retry-after']).toBeUndefined();
  });

  it('keep the user inputs in the Location and send them to the PBX as received', async () => {
    const query = { destination: '+3710000002', direction: 'in', date_from: '2024-03-01 00:00', limit: '5', initial_call_id: '5', ...KNOWN };
    const pbxQuery = { destination: '+3710000002', direction: 'in', date_from: '2024-03-01 00:00', limit: '5', initial_call_id: '5' };
    const result = await poll(query, [get(HISTORY, pbxQuery, 200, envelope(calls([6])))]);
    expect(ids(result.json?.data)).toEqual([6]);
    expect(locationQuery(result.headers.location)).toEqual({ ...query, initial_call_id: '6' });
  });

  it('a short page is not taken as the end until the PBX has shown pages that long (silent cap)', async () => {
    const result = await poll({ initial_call_id: '0', poll_v: '1' }, [
      get(HISTORY, { initial_call_id: '0', limit: '100' }, 200, envelope(calls([3, 2]))),
      get(HISTORY, { initial_call_id: '0', limit: '100', offset: '2' }, 200, envelope(calls([1]))),
    ]);
    expect(ids(result.json?.data)).toEqual([3, 2, 1]);
    expect(locationQuery(result.headers.location)).toMatchObject({ initial_call_id: '3', poll_cap: '2' });
  });

  it('a newest-first drain resumes one place before where it stopped; with nothing left below, it reads what arrived above', async () => {
    const state = { initial_call_id: '100', poll_v: '1', poll_low: '101', poll_high: '110', poll_pos: '10', poll_cap: '5', limit: '5' };
    const result = await poll(state, [
      // 112 and 111 arrived on top: the place before the stop (9) now holds 103, already delivered.
      get(HISTORY, { initial_call_id: '100', limit: '5', offset: '9' }, 200, envelope(calls([103, 102, 101]))),
      get(HISTORY, { initial_call_id: '110', limit: '5' }, 200, envelope(calls([112, 111]))),
    ]);
    expect(result.status).toBe(200);
    expect(ids(result.json?.data)).toEqual([112, 111]);
    expect(locationQuery(result.headers.location)).toEqual({ limit: '5', initial_call_id: '112', poll_v: '1', poll_cap: '5' });
  });

  it('a newest-first drain that finds items below the delivered band delivers them and keeps the band until the bottom', async () => {
    const state = { initial_call_id: '90', poll_v: '1', poll_low: '101', poll_high: '110', poll_pos: '10', poll_cap: '5', limit: '5' };
    const result = await poll(state, [
      get(HISTORY, { initial_call_id: '90', limit: '5', offset: '9' }, 200, envelope(calls([101, 100, 99, 98, 97]))),
      get(HISTORY, { initial_call_id: '90', limit: '5', offset: '14' }, 200, envelope(calls([96, 95, 94, 93, 92]))),
      get(HISTORY, { initial_call_id: '90', limit: '5', offset: '19' }, 200, envelope(calls([91]))),
    ]);
    expect(ids(result.json?.data)).toEqual([100, 99, 98, 97, 96, 95, 94, 93, 92, 91]);
    expect(locationQuery(result.headers.location)).toEqual({ limit: '5', initial_call_id: '110', poll_v: '1', poll_cap: '5' });
    expect(result.headers['retry-after']).toBeUndefined();
  });

  it('a 1.0 URL (initial_call_id=N, no marker) delivers exactly the items after N', async () => {
    const result = await run(host(), { operationId: 'GetCallHistory', path: HISTORY, query: { initial_call_id: '105' }, originalRequestUri: connectorUrl({ initial_call_id: '105' }) }, [
      get(HISTORY, { initial_call_id: '105', limit: '100' }, 200, envelope(calls([107, 106, 105, 104]))),
      get(HISTORY, { initial_call_id: '105', limit: '100', offset: '4' }, 200, envelope([])),
    ]);
    expect(result.status).toBe(200);
    expect(ids(result.json?.data)).toEqual([107, 106]);
    expect(locationQuery(result.headers.location)).toMatchObject({ initial_call_id: '107', poll_v: '1' });
  });

  it('without OriginalRequestUri the Location is built from the request URL, with a warning', async () => {
    const result = await poll({ initial_call_id: '100', ...KNOWN }, [get(HISTORY, { initial_call_id: '100', limit: '100' }, 200, envelope(calls([101])))], null);
    expect(result.headers.location?.startsWith(`${PBX}${HISTORY}?`)).toBe(true);
    expect(result.logs.some((l) => l.level === 'Warning' && /no OriginalRequestUri/.test(l.message))).toBe(true);
  });

  it('refuses a limit or offset that is not a whole number without asking the PBX', async () => {
    for (const bad of [{ limit: 'ten' }, { limit: '0' }, { offset: '-1' }] as Array<Record<string, string>>) {
      const result = await poll({ initial_call_id: '5', ...KNOWN, ...bad }, []);
      expect(result.status).toBe(400);
      expect(String(result.json?.message)).toMatch(/Page Size must be a whole number/);
    }
  });

  it('refuses a state it cannot read, saying how to start over', async () => {
    const result = await poll({ initial_call_id: 'abc', poll_v: '1' }, []);
    expect(result.status).toBe(400);
    expect(String(result.json?.message)).toMatch(/Turn the flow off and on again/);
  });
});

describe('every polling trigger', () => {
  // From the model, so that a trigger added there is covered here.
  const triggers = POLLING_TRIGGERS.map((op): [string, string, string, string] => [op.operationId, op.path, op.stateParameter, op.cursorField]);
  it('covers the polling triggers of the model', () => {
    expect(triggers.map(([operationId]) => operationId)).toContain('GetCallHistory');
  });
  it.each(triggers)('%s (%s) sorts by its id field, filters by its cursor %s and writes it into the Location', async (operationId, route, cursor, idField) => {
    const items = [12, 10, 14, 11].map((id) => ({ [idField]: id, name: `Item ${id}` }));
    const query = { [cursor]: '10', ...KNOWN };
    const result = await run(host(), { operationId, path: route, query, originalRequestUri: connectorUrl(query, route) }, [get(route, { [cursor]: '10', limit: '100' }, 200, envelope(items))]);
    expect(ids(result.json?.data, idField)).toEqual([14, 12, 11]);
    expect(locationQuery(result.headers.location)[cursor]).toBe('14');
  });
});

describe('the response', () => {
  it('keeps the PBX envelope of the first page with the merged data, and dates as written', async () => {
    const first = envelope(calls([2, 1]), { message: 'OK', total: 3 });
    const result = await poll({ initial_call_id: '0', limit: '2', ...KNOWN }, [
      get(HISTORY, { initial_call_id: '0', limit: '2' }, 200, first),
      get(HISTORY, { initial_call_id: '0', limit: '2', offset: '2' }, 200, envelope(calls([3]))),
    ]);
    expect(result.json).toEqual({ version: '2', status: 'success', statusCode: 200, message: 'OK', total: 3, data: calls([3, 2, 1]) });
    expect(result.body).toContain('"callStarted":"2024-03-01T10:00:00+02:00"');
    expect(result.headers['content-type']).toMatch(/^application\/json/);
  });

  it('orders ids held as strings by number', async () => {
    const data: JsonValue = [{ callID: '9' }, { callID: '10' }, { callID: 8 }];
    const result = await poll({ initial_call_id: '0', ...KNOWN }, [get(HISTORY, { initial_call_id: '0', limit: '100' }, 200, envelope(data))]);
    expect(result.json?.data).toEqual([{ callID: '10' }, { callID: '9' }, { callID: 8 }]);
  });

  it('data missing or null means nothing new: 202', async () => {
    for (const body of [{ version: '2', status: 'success', statusCode: 200, message: '' }, envelope(null)]) {
      const result = await poll({ initial_call_id: '0', ...KNOWN }, [get(HISTORY, { initial_call_id: '0', limit: '100' }, 200, body)]);
      expect(result.status).toBe(202);
    }
  });

  it('a lone item in data counts as a list of one', async () => {
    const result = await poll({ initial_call_id: '0', ...KNOWN }, [get(HISTORY, { initial_call_id: '0', limit: '100' }, 200, envelope(calls([7])[0]))]);
    expect(ids(result.json?.data)).toEqual([7]);
  });

  const unusable: Array<[string, JsonValue, RegExp]> = [
    ['data a string', envelope('nothing'), /data that is not a list \(a string\)/],
    ['data an object without the id', envelope({ count: 0 }), /data that is not a list \(an object\)/],
    ['an HTML page', '<html><head><title>Maintenance</title></head><body><p>Back soon</p></body></html>', /not a JSON object \(Maintenance Back soon\)/],
    ['an empty body', '', /not a JSON object \(\(no text\)\)/],
    ['truncated JSON', '{"version":"2","status":"success","data":[{"callID":1},', /not a JSON object/],
  ];
  it.each(unusable)('%s on a 200 page: 502 error envelope, nothing delivered', async (_name, body, message) => {
    const result = await poll({ initial_call_id: '0', ...KNOWN }, [get(HISTORY, { initial_call_id: '0', limit: '100' }, 200, body)]);
    expect(result.status).toBe(502);
    expect(result.json).toMatchObject({ version: '2', status: 'error', statusCode: 502 });
    expect(String(result.json?.message)).toMatch(message);
    expect(String(result.json?.message)).toMatch(/next check tries again/);
  });

  it('an error on the second request keeps the PBX status, delivers nothing and passes none of the PBX\'s headers but its content type', async () => {
    const result = await poll({ initial_call_id: '0', limit: '2', ...KNOWN }, [
      get(HISTORY, { initial_call_id: '0', limit: '2' }, 200, envelope(calls([4, 3]))),
      get(HISTORY, { initial_call_id: '0', limit: '2', offset: '2' }, 500, '<html><body><h1>500 Internal Server Error</h1></body></html>', {
        'content-type': 'text/html',
        connection: 'close',
        'transfer-encoding': 'chunked',
        'x-request-id': 'r-17',
      }),
    ]);
    expect(result.status).toBe(500);
    expect(result.json?.data).toBeUndefined();
    expect(String(result.json?.message)).toMatch(/Request 2 of this check failed/);
    expect(result.headers['x-request-id']).toBeUndefined();
    expect(result.headers.connection).toBeUndefined();
    expect(result.headers['transfer-encoding']).toBeUndefined();
  });

  it('a rate limit on the second request keeps 429 and Retry-After', async () => {
    const result = await poll({ initial_call_id: '0', limit: '2', ...KNOWN }, [
      get(HISTORY, { initial_call_id: '0', limit: '2' }, 200, envelope(calls([4, 3]))),
      get(HISTORY, { initial_call_id: '0', limit: '2', offset: '2' }, 429, errorEnvelope(429, 'Too Many Requests'), { 'content-type': 'application/json', 'retry-after': '30' }),
    ]);
    expect(result.status).toBe(429);
    expect(result.headers['retry-after']).toBe('30');
    expect(String(result.json?.message)).toMatch(/Wait 30 seconds/);
  });
});
