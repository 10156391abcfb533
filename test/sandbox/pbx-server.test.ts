import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CALL_STATUS, fakeNumber, PbxApi, PbxStore, presignedLink, RECORDING_STORAGE_HOST, recordingAudio, recordingLinkKind, startPbxServer, type ObservedExchange, type PbxServer, type StoreChange } from '../../sandbox/pbx';
import { send } from '../../sandbox/http';

const KEY = 'test-key-for-the-mock';
let pbx: PbxServer;
let clock = Date.parse('2026-11-02T07:15:00Z');

beforeAll(async () => {
  pbx = await startPbxServer({ apiKey: KEY, seed: { seed: 11 }, now: () => clock });
});
afterAll(() => pbx.stop());
afterEach(() => {
  pbx.api.configure({ order: 'newest-first', allowedIps: undefined, rateLimit: undefined, emptyList: 'ok' });
  pbx.api.clearFaults();
});

interface Envelope {
  version: string;
  status: string;
  statusCode: number;
  message: string;
  data: unknown;
}

async function call(path: string, init: RequestInit & { key?: string | null } = {}): Promise<{ status: number; headers: Headers; text: string; json: Envelope }> {
  const headers = new Headers(init.headers);
  if (init.key !== null) headers.set('authorization', `Bearer ${init.key ?? KEY}`);
  if (init.body) headers.set('content-type', 'application/json');
  const res = await fetch(pbx.baseUrl + path.replace(/^\//, ''), { ...init, headers });
  const text = await res.text();
  let json = undefined as unknown as Envelope;
  try {
    json = JSON.parse(text) as Envelope;
  } catch {
    // non-JSON bodies are checked through `text`
  }
  return { status: res.status, headers: res.headers, text, json };
}

const ids = (data: unknown, key: string): number[] => (data as Array<Record<string, number>>).map((item) => item[key]);

describe('server basics', () => {
  it('listens on 127.0.0.1 with the /api/v2/ base path', () => {
    expect(pbx.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/v2\/$/);
  });

  it('answers by-id reads in the envelope, with derived fields', async () => {
    const r = await call('/contacts/1');
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ version: '2', status: 'success', statusCode: 200 });
    const contact = r.json.data as Record<string, unknown>;
    expect(Object.keys(contact)).toEqual(['current_callerid', 'archived', 'firstname', 'lastname', 'created', 'number', 'contactID', 'group_membership', 'avatar']);
    const groups = pbx.store.all('groups').filter((g) => g.members.includes(1)).map((g) => g.groupID);
    expect(ids(contact.group_membership, 'groupID')).toEqual(groups);
  });

  it('renders an unanswered call with no connect time and 0 s connection', async () => {
    const missed = pbx.store.all('calls').find((c) => c.callConnected === null)!;
    const r = await call(`/call_history/${missed.callID}`);
    expect(r.json.data).toMatchObject({ callID: missed.callID, callConnected: null, connectionTime: 0, status: CALL_STATUS.unanswered });
  });

  it('404 for an unknown id, 422 for a non-integer id, both in the error envelope', async () => {
    const missing = await call('/voicemails/99999');
    expect(missing.status).toBe(404);
    expect(missing.json).toMatchObject({ status: 'error', statusCode: 404, data: null });
    const bad = await call('/groups/abc');
    expect(bad.status).toBe(422);
    expect(bad.json.message).toMatch(/group_id/);
  });
});

describe('API key and IP checks', () => {
  it('401 without a key and with a wrong key; the scheme is case-insensitive', async () => {
    const none = await call('/trigger/contacts', { key: null });
    expect(none.status).toBe(401);
    expect(none.json).toMatchObject({ status: 'error', statusCode: 401 });
    expect(none.json.message).toMatch(/Authorization: Bearer/);
    expect((await call('/trigger/contacts', { key: 'wrong' })).status).toBe(401);
    // "Bearer Bearer <key>" (the double prefix the connector must avoid) is rejected
    expect((await call('/trigger/contacts', { key: `Bearer ${KEY}` })).status).toBe(401);
    const lower = await fetch(pbx.baseUrl + 'trigger/contacts', { headers: { authorization: `bearer ${KEY}` } });
    expect(lower.status).toBe(200);
  });

  it('403 when the caller is outside the IP allow-list', async () => {
    pbx.api.configure({ allowedIps: ['10.20.30.0/24'] });
    const r = await call('/contacts/1');
    expect(r.status).toBe(403);
    expect(r.json.message).toMatch(/IP/);
    pbx.api.configure({ allowedIps: ['0.0.0.0/0'] });
    expect((await call('/contacts/1')).status).toBe(200);
  });
});

describe('lists: order, paging, cursor', () => {
  it('newest first by default, oldest first when configured', async () => {
    const all = pbx.store.all('calls').map((c) => c.callID);
    const newest = await call('/trigger/call_history?limit=1000');
    expect(ids(newest.json.data, 'callID')).toEqual([...all].reverse());
    pbx.api.configure({ order: 'oldest-first' });
    const oldest = await call('/trigger/call_history?limit=1000');
    expect(ids(oldest.json.data, 'callID')).toEqual(all);
  });

  it('limit and offset page through the list without gaps or overlaps', async () => {
    const full = ids((await call('/trigger/call_history?limit=1000')).json.data, 'callID');
    const pages: number[] = [];
    for (let offset = 0; offset < full.length; offset += 7) {
      const page = ids((await call(`/trigger/call_history?limit=7&offset=${offset}`)).json.data, 'callID');
      expect(page.length).toBe(Math.min(7, full.length - offset));
      pages.push(...page);
    }
    expect(pages).toEqual(full);
    expect((await call(`/trigger/call_history?offset=${full.length}`)).json.data).toEqual([]);
  });

  it('initial_<x>_id keeps only items with a greater id', async () => {
    const cursor = 30;
    const r = await call(`/trigger/call_history?initial_call_id=${cursor}&limit=1000`);
    const got = ids(r.json.data, 'callID');
    expect(got).toEqual(pbx.store.all('calls').map((c) => c.callID).filter((id) => id > cursor).reverse());
    const boxes = await call('/trigger/voicemail_boxes?initial_box_id=2');
    expect(ids(boxes.json.data, 'voicemailBoxID').every((id) => id > 2)).toBe(true);
  });

  it('an item added at runtime is the first of the next poll', async () => {
    const top = ids((await call('/trigger/call_history?limit=1')).json.data, 'callID')[0];
    const added = pbx.store.add('calls', {
      caller: fakeNumber(777),
      destination: fakeNumber(1001),
      direction: 'in',
      status: CALL_STATUS.answered,
      callStarted: '2026-11-02T09:30:00+02:00',
      callConnected: '2026-11-02T09:30:04+02:00',
      callEnded: '2026-11-02T09:31:00+02:00',
      contactID: 1,
      transferredTo: null,
    });
    const next = await call(`/trigger/call_history?initial_call_id=${top}`);
    expect(ids(next.json.data, 'callID')).toEqual([added.callID]);
    pbx.store.remove('calls', added.callID);
  });

  it('an empty list is 200 [] by default, or 404 when configured', async () => {
    const empty = await call('/trigger/audio_prompts?initial_prompt_id=999');
    expect(empty.status).toBe(200);
    expect(empty.json.data).toEqual([]);
    pbx.api.configure({ emptyList: 'not-found' });
    const notFound = await call('/trigger/audio_prompts?initial_prompt_id=999');
    expect(notFound.status).toBe(404);
    expect(notFound.json.message).toMatch(/no items/i);
  });

  it('422 for malformed paging parameters', async () => {
    for (const q of ['limit=abc', 'limit=0', 'offset=-1', 'initial_call_id=x', 'limit=100000']) {
      const r = await call(`/trigger/call_history?${q}`);
      expect(r.status, q).toBe(422);
      expect(r.json.status).toBe('error');
    }
  });
});

describe('list filters', () => {
  const calls = () => pbx.store.all('calls');

  it('direction, contact_id and call_id', async () => {
    const inbound = ids((await call('/trigger/call_history?direction=in&limit=1000')).json.data, 'callID');
    expect(inbound).toEqual(calls().filter((c) => c.direction === 'in').map((c) => c.callID).reverse());
    const mine = ids((await call('/trigger/call_history?contact_id=2&limit=1000')).json.data, 'callID');
    expect(mine).toEqual(calls().filter((c) => c.contactID === 2 || c.transferredTo === 2).map((c) => c.callID).reverse());
    expect(ids((await call('/trigger/call_history?call_id=5')).json.data, 'callID')).toEqual([5]);
    expect((await call('/trigger/call_history?direction=sideways')).status).toBe(422);
  });

  it('source and destination match a number in any spelling', async () => {
    const sample = calls().find((c) => c.direction === 'in')!;
    const spaced = sample.caller.replace(/^(\+371)(\d{4})/, '$1 $2 ');
    const r = await call(`/trigger/call_history?source=${encodeURIComponent(spaced)}&limit=1000`);
    const got = ids(r.json.data, 'callID');
    expect(got).toContain(sample.callID);
    expect(got).toEqual(calls().filter((c) => c.caller === sample.caller).map((c) => c.callID).reverse());
    const dest = ids((await call(`/trigger/call_history?destination=${encodeURIComponent(sample.destination)}&limit=1000`)).json.data, 'callID');
    expect(dest).toEqual(calls().filter((c) => c.destination === sample.destination).map((c) => c.callID).reverse());
  });

  it('date_from / date_to select by call start (bare dates cover the whole day)', async () => {
    const day = calls()[10].callStarted.slice(0, 10);
    const r = await call(`/trigger/call_history?date_from=${day}&date_to=${day}&limit=1000`);
    const got = ids(r.json.data, 'callID');
    expect(got.length).toBeGreaterThan(0);
    expect(got).toEqual(calls().filter((c) => c.callStarted.startsWith(day)).map((c) => c.callID).reverse());
    expect((await call('/trigger/call_history?date_from=soon')).status).toBe(422);
  });

  it('groups by member, voicemails by box and owner, recordings carry their call', async () => {
    const groups = ids((await call('/trigger/groups?contact_id=1')).json.data, 'groupID');
    expect(groups).toEqual(pbx.store.all('groups').filter((g) => g.members.includes(1)).map((g) => g.groupID).reverse());
    const box = pbx.store.all('voicemailBoxes')[0];
    const byBox = (await call(`/trigger/voicemails?box_id=${box.voicemailBoxID}&limit=1000`)).json.data as Array<Record<string, unknown>>;
    expect(byBox.every((v) => v.voicemailBoxID === box.voicemailBoxID && v.voicemailBoxName === box.boxName)).toBe(true);
    const byOwner = ids((await call(`/trigger/voicemails?contact_id=${box.clientID}&limit=1000`)).json.data, 'voicemailID');
    expect(byOwner).toEqual(ids(byBox, 'voicemailID'));
    const rec = pbx.store.all('recordings')[0];
    const r = await call(`/call_records/${rec.recordingID}`);
    expect(r.json.data).toMatchObject({ recordingID: rec.recordingID, callID: rec.callID, caller: pbx.store.get('calls', rec.callID)!.caller });
  });

  it('lost calls filter by destination, newest first', async () => {
    const lost = pbx.store.all('lostCalls');
    const dest = lost[0].destination;
    const r = await call(`/lost_calls?destination=${encodeURIComponent(dest)}&limit=1000`);
    const got = (r.json.data as Array<Record<string, string>>).map((l) => l.last_contact);
    expect(got).toEqual(lost.filter((l) => l.destination === dest).map((l) => l.last_contact).sort().reverse());
    expect(Object.keys((r.json.data as object[])[0])).toEqual(['contact_name', 'destination', 'attempts', 'callerid', 'last_contact']);
  });
});

describe('webhooks and dial', () => {
  it('registers with data = the id as a string, enforces the limit of 20 with 422, and deletes', async () => {
    const created: string[] = [];
    for (let i = 0; i < 20; i++) {
      const r = await call('/webhooks/CallStarted', { method: 'POST', body: JSON.stringify({ endpoint: `https://cb.example.invalid/${i}` }) });
      expect(r.status).toBe(200);
      expect(r.json.data).toMatch(/^\d+$/);
      created.push(r.json.data as string);
    }
    expect(new Set(created).size).toBe(20);
    const over = await call('/webhooks/CallCompleted', { method: 'POST', body: JSON.stringify({ endpoint: 'https://cb.example.invalid/x' }) });
    expect(over.status).toBe(422);
    expect(over.json).toMatchObject({ status: 'error', statusCode: 422 });
    expect(over.json.message).toMatch(/20 webhooks/);
    const del = await call(`/webhooks/${created[0]}`, { method: 'DELETE' });
    expect(del.status).toBe(200);
    expect((await call(`/webhooks/${created[0]}`, { method: 'DELETE' })).status).toBe(404);
    const again = await call('/webhooks/CallCompleted', { method: 'POST', body: JSON.stringify({ endpoint: 'https://cb.example.invalid/x' }) });
    expect(again.status).toBe(200);
    for (const id of [...created.slice(1), again.json.data as string]) await call(`/webhooks/${id}`, { method: 'DELETE' });
    expect(pbx.store.webhooks()).toEqual([]);
  });

  it('rejects unknown events and bad endpoints', async () => {
    expect((await call('/webhooks/CallExploded', { method: 'POST', body: '{"endpoint":"https://cb.example.invalid"}' })).status).toBe(404);
    const bad = await call('/webhooks/CallStarted', { method: 'POST', body: '{"endpoint":"not a url"}' });
    expect(bad.status).toBe(422);
    expect((await call('/webhooks/CallStarted', { method: 'POST', body: '{oops' })).status).toBe(422);
  });

  it('dial validates the body and reports the request to the store', async () => {
    const seen: StoreChange[] = [];
    const stop = pbx.store.onChange((c) => seen.push(c));
    const ok = await call('/dial', { method: 'POST', body: JSON.stringify({ destination: fakeNumber(5), contactID: 1 }) });
    stop();
    expect(ok.status).toBe(200);
    expect(seen).toMatchObject([{ type: 'dial-requested', item: { contactID: 1, destination: fakeNumber(5) } }]);
    expect((await call('/dial', { method: 'POST', body: JSON.stringify({ destination: fakeNumber(5), contactID: 9999 }) })).status).toBe(404);
    expect((await call('/dial', { method: 'POST', body: JSON.stringify({ contactID: 1 }) })).status).toBe(422);
  });
});

describe('rate limit, faults, observation', () => {
  it('answers 429 with Retry-After once the window is full, then recovers (virtual clock)', async () => {
    pbx.api.configure({ rateLimit: { requests: 2, windowMs: 60_000 } });
    expect((await call('/contacts/1')).status).toBe(200);
    clock += 10_000;
    expect((await call('/contacts/1')).status).toBe(200);
    const limited = await call('/contacts/1');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('50');
    expect(limited.json).toMatchObject({ status: 'error', statusCode: 429 });
    clock += 50_000;
    expect((await call('/contacts/1')).status).toBe(200);
  });

  it('serves an HTML 500 page or a non-JSON 200 on demand, then behaves again', async () => {
    pbx.api.injectFault({ fault: { kind: 'html-500' }, pathPrefix: '/trigger/' });
    expect((await call('/contacts/1')).status).toBe(200); // other paths unaffected
    const page = await call('/trigger/contacts');
    expect(page.status).toBe(500);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(page.text).toMatch(/<html>/);
    pbx.api.injectFault({ fault: { kind: 'non-json-200' } });
    const odd = await call('/trigger/contacts');
    expect(odd.status).toBe(200);
    expect(() => JSON.parse(odd.text)).toThrow();
    expect((await call('/trigger/contacts')).json.status).toBe('success');
  });

  it('lets an observer see each request, its response and its route', async () => {
    const seen: ObservedExchange[] = [];
    const stop = pbx.api.onRequest((e) => seen.push(e));
    await call('/trigger/groups?limit=1');
    stop();
    await call('/trigger/groups');
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ route: 'list:groups', request: { method: 'GET', query: { limit: '1' } }, response: { status: 200 } });
    expect(seen[0].request.headers.authorization).toBe(`Bearer ${KEY}`);
  });

  it('404 outside the base path and 405 for a wrong method', async () => {
    const outside = await fetch(pbx.origin + '/api/v1/contacts/1', { headers: { authorization: `Bearer ${KEY}` } });
    expect(outside.status).toBe(404);
    expect((await call('/contacts/1', { method: 'DELETE' })).status).toBe(405);
  });
});

describe('recording files', () => {
  const recordings = () => pbx.store.all('recordings');
  // The storage host listens on a port of its own (the sandbox's network resolves RECORDING_STORAGE_HOST to it).
  const storage = (pathAndQuery: string, headers: Record<string, string> = {}) =>
    send({ method: 'GET', url: `${pbx.storageOrigin}${pathAndQuery}`, headers: { host: RECORDING_STORAGE_HOST, ...headers } });

  it('serves each recording\'s WAV on the PBX host with the key (401 without), and redirects a download to its pre-signed link', async () => {
    const id = recordings()[0].recordingID;
    const file = await fetch(`${pbx.baseUrl}recordings/${id}/audio`, { headers: { authorization: `Bearer ${KEY}` } });
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('audio/wav');
    expect(Buffer.from(await file.arrayBuffer()).equals(recordingAudio(id))).toBe(true);
    expect((await call(`/recordings/${id}/audio`, { key: null })).status).toBe(401);
    expect((await call('/recordings/999999/audio')).status).toBe(404);
    const redirect = await fetch(`${pbx.baseUrl}recordings/${id}/download`, { headers: { authorization: `Bearer ${KEY}` }, redirect: 'manual' });
    expect(redirect.status).toBe(302);
    // Standing in for no host, the mock writes its links at its own listeners (a plain HTTP client follows them).
    expect(redirect.headers.get('location')).toBe(presignedLink(id).replace(`https://${RECORDING_STORAGE_HOST}`, pbx.storageOrigin));
  });

  it('gives every recording a link of one kind, by its ID, on its public host or the storage host', () => {
    const kinds = recordings().map((r) => [recordingLinkKind(r.recordingID), new URL(r.recordingURL).host]);
    expect(new Set(kinds.map(([k]) => k))).toEqual(new Set(['pbx', 'presigned', 'redirect']));
    for (const [kind, host] of kinds) expect(host).toBe(kind === 'presigned' ? RECORDING_STORAGE_HOST : 'pbx.example.invalid');
  });

  it('the storage host answers a valid pre-signed link, and refuses a bad signature (403) or an Authorization header besides it (400), in XML', async () => {
    const id = recordings()[0].recordingID;
    const link = new URL(presignedLink(id));
    const ok = await storage(link.pathname + link.search);
    expect(ok.status).toBe(200);
    expect(ok.bytes?.equals(recordingAudio(id))).toBe(true);
    const withKey = await storage(link.pathname + link.search, { authorization: `Bearer ${KEY}` });
    expect([withKey.status, withKey.headers['content-type']]).toEqual([400, 'application/xml']);
    expect(withKey.body).toContain('Only one auth mechanism allowed');
    expect((await storage(link.pathname + link.search.replace(/sig=[0-9a-f]+/, 'sig=0000'))).status).toBe(403);
    expect((await storage(`/rec/999999.wav${link.search}`)).status).toBe(403);
  });

  it('generates the same bytes for the same ID, and a valid WAV header', () => {
    const a = recordingAudio(42);
    expect(a.equals(recordingAudio(42))).toBe(true);
    expect(a.equals(recordingAudio(43))).toBe(false);
    expect([a.toString('ascii', 0, 4), a.toString('ascii', 8, 12), a.readUInt32LE(4), a.readUInt32LE(24), a.readUInt32LE(40)]).toEqual(['RIFF', 'WAVE', a.length - 8, 8000, a.length - 44]);
  });
});

describe('latency (the PBX the bench and the strict sandbox tests assume)', () => {
  afterEach(() => pbx.api.configure({ latencyMs: 0, latencyJitter: 0.2 }));

  it('draws each request\'s latency uniformly within ±jitter of latencyMs', () => {
    pbx.api.configure({ latencyMs: 1000, latencyJitter: 0.2 });
    expect([0, 0.25, 0.5, 0.75].map((r) => pbx.api.latency(() => r))).toEqual([800, 900, 1000, 1100]);
    const drawn = Array.from({ length: 200 }, () => pbx.api.latency());
    expect(drawn.every((ms) => ms >= 800 && ms <= 1200)).toBe(true);
    // Spread over the range, not one value (each bound fails with a probability below 1e-24).
    expect(Math.min(...drawn)).toBeLessThan(900);
    expect(Math.max(...drawn)).toBeGreaterThan(1100);
    pbx.api.configure({ latencyJitter: 0 });
    expect(pbx.api.latency(() => 0)).toBe(1000);
    pbx.api.configure({ latencyMs: 0 });
    expect(pbx.api.latency()).toBe(0);
  });

  it('jitters ±20 % by default: a PBX given only a latency (sandbox/README.md\'s promise)', () => {
    const fresh = new PbxApi(PbxStore.seeded({ calls: 1 }), { apiKey: KEY, latencyMs: 1000 });
    expect([0, 1].map((r) => fresh.latency(() => r))).toEqual([800, 1200]);
  });

  it('makes every answer wait its latency in wall time', async () => {
    pbx.api.configure({ latencyMs: 300, latencyJitter: 0 });
    const started = performance.now();
    const r = await call('/contacts/1');
    expect(r.status).toBe(200);
    // A lower bound only: a busy machine can make it later, never earlier.
    expect(performance.now() - started).toBeGreaterThanOrEqual(295);
  });
});
