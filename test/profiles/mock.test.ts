// The mock PBX's behaviour under each profile option, asked directly (PbxApi.handle, no script): what the
// matrix and the probe rely on the mock to play.
import { describe, expect, it } from 'vitest';
import { BIG_ID_BASE, EXTRA_HEADERS, NO_ITEMS_MESSAGE, PbxApi, presignedLink, RECORDING_LINK_KINDS, recordingAudio, startPbxServer, type ApiOptions, type RecordingLinkKind } from '../../sandbox/pbx';
import { apiOptionsOf, parseProfile, PROFILES } from '../../sandbox/pbx/profiles';
import { PbxStore } from '../../sandbox/pbx/store';

const KEY = 'mock-test-key';

function api(options: Partial<ApiOptions> = {}): PbxApi {
  return new PbxApi(PbxStore.seeded({ calls: 12 }), { apiKey: KEY, ...options });
}

/** A JSON answer of the mock, its body as text (the mock answers bytes only for audio). */
function get(pbx: PbxApi, path: string, query: Record<string, string> = {}) {
  const response = pbx.handle({ method: 'GET', path: `/api/v2${path}`, query, headers: { authorization: `Bearer ${KEY}` }, body: '' });
  return { ...response, body: response.body.toString() };
}

/** The callIDs of a list answer, as written in the text (digits). */
const callIds = (body: string) => [...body.matchAll(/"callID":(\d+)/g)].map((m) => m[1]);

describe('the mock PBX under profile options', () => {
  it('newest-first-swapped: every pair of neighbouring ids (2k, 2k+1) comes out swapped, pages stay in one order', () => {
    const pbx = api({ order: 'newest-first-swapped' });
    const all = callIds(get(pbx, '/trigger/call_history', { initial_call_id: '0', limit: '12' }).body);
    expect(all).toEqual(['12', '10', '11', '8', '9', '6', '7', '4', '5', '2', '3', '1']);
    const paged = [0, 5, 10].flatMap((offset) => callIds(get(pbx, '/trigger/call_history', { initial_call_id: '0', limit: '5', offset: String(offset) }).body));
    expect(paged).toEqual(all);
  });

  it('latency: a profile that sets only latencyMs jitters ±20 % around it, as slow does (sandbox/README.md)', () => {
    const own = parseProfile(JSON.stringify({ name: 'latency-only', latencyMs: 1000 }), 'latency-only.json');
    const slow = PROFILES.find((p) => p.name === 'slow')!;
    for (const [profile, ms] of [[own, 1000], [slow, 250]] as const) {
      const { recordingLinks: _links, ...options } = apiOptionsOf(profile);
      expect([0, 1].map((r) => api(options).latency(() => r)), profile.name).toEqual([ms * 0.8, ms * 1.2]);
    }
  });

  it('overrun: a full page carries one of its items twice, next to itself; a short page does not', () => {
    const pbx = api({ overrun: true });
    expect(callIds(get(pbx, '/trigger/call_history', { initial_call_id: '0', limit: '4' }).body)).toEqual(['12', '11', '10', '10', '9']);
    expect(callIds(get(pbx, '/trigger/call_history', { initial_call_id: '0', limit: '5', offset: '10' }).body)).toEqual(['2', '1']);
  });

  it("not-found: an empty page is a 404 with the reference page's message, in the envelope", () => {
    const answer = get(api({ emptyList: 'not-found' }), '/trigger/call_history', { initial_call_id: '12' });
    expect(answer.status).toBe(404);
    expect(JSON.parse(answer.body)).toMatchObject({ status: 'error', statusCode: 404, message: NO_ITEMS_MESSAGE });
  });

  it('bigIds: every id is written beyond 2^64, exactly in the text, and read back from cursors, filters, paths and bodies', () => {
    const pbx = api({ bigIds: true });
    const big = (id: number) => (BIG_ID_BASE + BigInt(id)).toString();
    expect(pbx.publicId(7)).toBe(big(7));
    const page = get(pbx, '/trigger/call_history', { initial_call_id: big(10), limit: '5' });
    expect(callIds(page.body)).toEqual([big(12), big(11)]);
    expect(page.body).toMatch(new RegExp(`"contactID":${big(1).slice(0, 5)}\\d+[,}]`)); // references too
    expect(callIds(get(pbx, '/trigger/call_history', { initial_call_id: '0', limit: '50' }).body)).toHaveLength(12); // cursor 0: from the start
    expect(callIds(get(pbx, `/call_history/${big(3)}`).body)).toEqual([big(3)]);
    expect(get(pbx, '/call_history/3').status).toBe(404); // a small id names nothing
    const contact = pbx.store.view('calls')[0].contactID;
    const filtered = callIds(get(pbx, '/trigger/call_history', { initial_call_id: '0', contact_id: big(contact) }).body);
    expect(filtered.length).toBeGreaterThan(0);
    const registered = pbx.handle({ method: 'POST', path: '/api/v2/webhooks/CallStarted', query: {}, headers: { authorization: `Bearer ${KEY}` }, body: '{"endpoint":"https://flow.example/cb"}' });
    const id = JSON.parse(registered.body.toString()).data as string;
    expect(id).toBe(big(1));
    expect(pbx.handle({ method: 'DELETE', path: `/api/v2/webhooks/${id}`, query: {}, headers: { authorization: `Bearer ${KEY}` }, body: '' }).status).toBe(200);
    const dial = pbx.handle({ method: 'POST', path: '/api/v2/dial', query: {}, headers: { authorization: `Bearer ${KEY}` }, body: `{"destination":"+37100000009","contactID":${big(2)}}` });
    expect(dial.status).toBe(200);
  });

  it("extraHeaders: Location, Retry-After and Set-Cookie of the PBX's own on answers and errors; a 429 keeps its own Retry-After", () => {
    const pbx = api({ extraHeaders: true, rateLimit: { requests: 1, windowMs: 60_000 } });
    expect(get(pbx, '/trigger/call_history', { initial_call_id: '0' }).headers).toMatchObject(EXTRA_HEADERS);
    const throttled = get(pbx, '/trigger/call_history', { initial_call_id: '0' });
    expect(throttled.status).toBe(429);
    expect(throttled.headers.location).toBe(EXTRA_HEADERS.location);
    expect(throttled.headers['retry-after']).not.toBe(EXTRA_HEADERS['retry-after']);
    // The PBX host's recording files too; a redirect keeps its own Location.
    const files = api({ extraHeaders: true });
    expect(get(files, '/recordings/1/audio').headers).toMatchObject({ ...EXTRA_HEADERS, 'content-type': 'audio/wav' });
    const redirect = get(files, '/recordings/1/download');
    expect([redirect.status, redirect.headers['set-cookie'], redirect.headers.location]).toEqual([302, EXTRA_HEADERS['set-cookie'], presignedLink(1)]);
  });

  it.each([{ kinds: ['pbx'] }, { kinds: ['presigned'] }, { kinds: ['redirect'] }, { kinds: [...RECORDING_LINK_KINDS] }] as Array<{ kinds: RecordingLinkKind[] }>)(
    'recordingLinks $kinds: the mock on its own writes only those kinds, at its own listeners, each answering as its kind',
    async ({ kinds }) => {
      const server = await startPbxServer({ apiKey: KEY, seed: { calls: 40 }, recordingLinks: kinds });
      const withKey = { authorization: `Bearer ${KEY}` };
      const bytes = async (answer: Response) => Buffer.from(await answer.arrayBuffer());
      try {
        const page = await fetch(`${server.baseUrl}trigger/call_records?initial_record_id=0&limit=20`, { headers: withKey });
        const recordings = ((await page.json()) as { data: Array<{ recordingID: number; recordingURL: string }> }).data;
        expect(new Set(recordings.map((r) => server.store.recordingLinkKind(r.recordingID)))).toEqual(new Set(kinds));
        for (const { recordingID: id, recordingURL: link } of recordings) {
          const kind = server.store.recordingLinkKind(id);
          const audio = recordingAudio(id);
          const open = await fetch(link, { redirect: 'manual' });
          const keyed = await fetch(link, { headers: withKey, redirect: 'manual' });
          if (kind === 'presigned') {
            expect(new URL(link).origin, kind).toBe(server.storageOrigin);
            expect([open.status, (await bytes(open)).equals(audio), keyed.status], kind).toEqual([200, true, 400]);
          } else {
            expect(new URL(link).origin, kind).toBe(server.origin);
            expect(open.status, kind).toBe(401);
            if (kind === 'pbx') expect([keyed.status, (await bytes(keyed)).equals(audio)]).toEqual([200, true]);
            else {
              expect(keyed.status).toBe(302);
              const target = keyed.headers.get('location')!;
              expect(new URL(target).origin).toBe(server.storageOrigin);
              expect((await bytes(await fetch(target))).equals(audio)).toBe(true);
            }
          }
        }
      } finally {
        await server.stop();
      }
    },
  );
});
