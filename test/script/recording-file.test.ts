// GetRecordingFile through script.csx: the recording is read, its link fetched hop by hop, and the bytes answered.
// The API key goes to the PBX's own host over HTTPS and nowhere else, whatever the links and redirects say.
import { describe, expect, it } from 'vitest';
import { documentedLimits } from '../../connector/model/limits';
import type { ScenarioStep } from '../../contract/scenario';
import type { Backend, OutboundRequest } from '../../script-host/host';
import { NO_ITEMS_MESSAGE } from '../../sandbox/pbx/api';
import { recordingAudio } from '../../sandbox/pbx/recordings';
import { envelope, errorEnvelope, get, KEY, PBX, run, scriptRequest, useScriptHost } from './helpers';

const host = useScriptHost();
const PBX_ORIGIN = new URL(PBX).origin;
const STORAGE = 'https://files.example.invalid';
const call = (id: number) => ({ operationId: 'GetRecordingFile', path: `/call_records/${id}/file` });

/** The PBX's answer to the read of recording `id` whose file is at `recordingURL`. */
function read(id: number, recordingURL: string | null): ScenarioStep {
  return get(`/call_records/${id}`, {}, 200, envelope({ recordingID: id, callID: 5000 + id, direction: 'in', callStarted: '2026-11-02T09:15:00+02:00', recordingURL }));
}

interface FileAnswer {
  status?: number;
  headers?: Record<string, string>;
  bytes?: Buffer;
  text?: string;
}

/** One fetch of a file link: with the key (the step says so) or without (the step has no Authorization). */
function fetchStep(url: string, key: boolean, answer: FileAnswer): ScenarioStep {
  const u = new URL(url);
  return {
    request: {
      ...(u.origin === PBX_ORIGIN ? {} : { origin: u.origin }),
      method: 'GET',
      path: u.pathname,
      query: Object.fromEntries(u.searchParams),
      headers: key ? { authorization: 'Bearer <redacted>' } : {},
      body: null,
    },
    response: {
      status: answer.status ?? 200,
      headers: answer.headers ?? { 'content-type': 'audio/wav' },
      body: answer.text ?? null,
      ...(answer.bytes ? { bodyBase64: answer.bytes.toString('base64') } : {}),
    },
  };
}

const redirect = (location: string, status = 302): FileAnswer => ({ status, headers: { location }, text: '' });

async function fetchFile(id: number, steps: ScenarioStep[]) {
  return run(host(), call(id), steps, { pbxOrigin: PBX_ORIGIN });
}

describe('GetRecordingFile', () => {
  it('a link on the PBX host over HTTPS is fetched with the key; the bytes come back as they are, with their type', async () => {
    const audio = recordingAudio(7002);
    const link = `${PBX}/recordings/7002/audio`;
    const result = await fetchFile(7002, [read(7002, link), fetchStep(link, true, { bytes: audio })]);
    expect(result.status).toBe(200);
    expect(result.bodyBytes.equals(audio)).toBe(true);
    expect(result.headers['content-type']).toBe('audio/wav');
    expect(result.headers['content-disposition']).toBe('attachment; filename="recording-7002"');
    expect(result.outbound.map((o) => o.headers.authorization)).toEqual([`Bearer ${KEY}`, `Bearer ${KEY}`]);
  });

  it('a pre-signed link on another host is fetched without the key, its query (the signature) unchanged', async () => {
    const audio = recordingAudio(7003);
    const link = `${STORAGE}/rec/7003.mp3?X-Expires=1762070400&X-Signature=c2lnbmF0dXJl%2B%2F&token=abc`;
    const result = await fetchFile(7003, [read(7003, link), fetchStep(link, false, { bytes: audio, headers: { 'content-type': 'audio/mpeg' } })]);
    expect(result.status).toBe(200);
    expect(result.bodyBytes.equals(audio)).toBe(true);
    expect(result.headers['content-type']).toBe('audio/mpeg');
    expect(result.headers['content-disposition']).toBe('attachment; filename="7003.mp3"');
    expect(result.outbound[1].url).toBe(link);
    expect(result.outbound[1].headers.authorization).toBeUndefined();
    // Neither the key nor the link's signature shows in the logs.
    const logs = result.logs.map((l) => l.message).join('\n');
    expect(logs).toContain(`${STORAGE}/rec/7003.mp3`);
    expect(logs).not.toContain('X-Signature');
    expect(logs).not.toContain(KEY);
  });

  it('a redirect from the PBX host to another host drops the key at that hop', async () => {
    const audio = recordingAudio(7004);
    const first = `${PBX}/recordings/7004/download`;
    const signed = `${STORAGE}/rec/7004.wav?sig=abc`;
    const result = await fetchFile(7004, [read(7004, first), fetchStep(first, true, redirect(signed)), fetchStep(signed, false, { bytes: audio })]);
    expect(result.status).toBe(200);
    expect(result.bodyBytes.equals(audio)).toBe(true);
    expect(result.outbound.map((o) => [new URL(o.url).host, o.headers.authorization !== undefined])).toEqual([
      ['zvanuparvaldnieks.lmt.lv', true],
      ['zvanuparvaldnieks.lmt.lv', true],
      ['files.example.invalid', false],
    ]);
  });

  it('the key is decided anew at every hop: a relative redirect stays keyless, one back to the PBX host over HTTPS gets it', async () => {
    const audio = recordingAudio(7005);
    const start = `${STORAGE}/r/7005`;
    const relative = `${STORAGE}/r/7005/v2`;
    const home = `${PBX}/recordings/7005/audio`;
    const result = await fetchFile(7005, [
      read(7005, start),
      fetchStep(start, false, redirect('/r/7005/v2', 301)),
      fetchStep(relative, false, redirect(home, 307)),
      fetchStep(home, true, { bytes: audio }),
    ]);
    expect(result.status).toBe(200);
    expect(result.bodyBytes.equals(audio)).toBe(true);
  });

  it('never sends the key over plain HTTP, nor to another port of the PBX host, nor to a link carrying credentials', async () => {
    for (const link of ['http://zvanuparvaldnieks.lmt.lv/api/v2/recordings/7006/audio', 'https://zvanuparvaldnieks.lmt.lv:8443/api/v2/recordings/7006/audio', 'https://user:pw@zvanuparvaldnieks.lmt.lv/api/v2/recordings/7006/audio']) {
      const u = new URL(link);
      const step = fetchStep(link, false, { status: 401, headers: { 'content-type': 'application/json' }, text: JSON.stringify(errorEnvelope(401, 'Missing API key')) });
      step.request.origin = `${u.protocol}//${u.host}`;
      const result = await fetchFile(7006, [read(7006, link), step]);
      expect(result.outbound[1].headers.authorization, link).toBeUndefined();
      expect(result.status, link).toBe(502);
      expect(String(result.json?.message), link).toContain('the API key goes only to zvanuparvaldnieks.lmt.lv over HTTPS');
    }
  });

  it('stops after the redirect limit, without following a loop for ever', async () => {
    const a = `${STORAGE}/a`;
    const b = `${STORAGE}/b`;
    const steps = [read(7007, a)];
    for (let hop = 0; hop <= documentedLimits.maxFileRedirects; hop++) steps.push(fetchStep(hop % 2 === 0 ? a : b, false, redirect(hop % 2 === 0 ? b : a)));
    const result = await fetchFile(7007, steps);
    expect(result.status).toBe(502);
    expect(String(result.json?.message)).toContain(`redirected more than ${documentedLimits.maxFileRedirects} times`);
  });

  it('a recording that does not exist answers the PBX\'s 404, explained', async () => {
    const result = await fetchFile(999, [get('/call_records/999', {}, 404, errorEnvelope(404, 'Recording not found'))]);
    expect(result.status).toBe(404);
    expect(result.json).toMatchObject({ status: 'error', statusCode: 404 });
    expect(String(result.json?.message)).toContain('Recording not found');
    // A read by ID: the advice for IDs, even in the words of a list's "no items found".
    expect(String(result.json?.message)).toMatch(/has no item with this ID \(HTTP 404\)\. Check the ID/);
    const noItems = await fetchFile(998, [get('/call_records/998', {}, 404, errorEnvelope(404, NO_ITEMS_MESSAGE))]);
    expect(noItems.status).toBe(404);
    expect(String(noItems.json?.message)).toMatch(/has no item with this ID \(HTTP 404\)\. Check the ID/);
  });

  it('a recording without a file yet answers 404 saying to try again later, and fetches nothing', async () => {
    for (const link of [null, '']) {
      const result = await fetchFile(7008, [read(7008, link)]);
      expect(result.status).toBe(404);
      expect(String(result.json?.message)).toContain('has no audio file yet');
      expect(result.outbound).toHaveLength(1);
    }
  });

  it('a link that is only a path is on the PBX host: fetched there, with the key', async () => {
    const audio = recordingAudio(7015);
    const result = await fetchFile(7015, [read(7015, '/api/v2/recordings/7015/audio'), fetchStep(`${PBX}/recordings/7015/audio`, true, { bytes: audio })]);
    expect(result.status).toBe(200);
    expect(result.bodyBytes.equals(audio)).toBe(true);
  });

  it('a link that is not http(s) is refused with the reason, and fetched nowhere', async () => {
    for (const link of ['ftp://files.example.invalid/7009.wav', '//files.example.invalid/7009.wav', 'recordings 7009']) {
      const result = await fetchFile(7009, [read(7009, link)]);
      expect(result.status, link).toBe(502);
      expect(String(result.json?.message), link).toContain('not an http(s) link');
    }
  });

  it(`a file larger than ${documentedLimits.maxRecordingBytes / 1048576} MB by its Content-Length is refused with 413 and what to do instead`, async () => {
    const link = `${STORAGE}/rec/big.wav`;
    const result = await fetchFile(7010, [read(7010, link), fetchStep(link, false, { bytes: Buffer.alloc(64), headers: { 'content-type': 'audio/wav', 'content-length': String(50 * 1024 * 1024) } })]);
    expect(result.status).toBe(413);
    expect(String(result.json?.message)).toMatch(/is 50 MB, more than the 10 MB this action hands over/);
    expect(String(result.json?.message)).toContain('Recording File URL');
  });

  it('a file larger than the limit without a Content-Length is refused as well, once read', async () => {
    const link = `${STORAGE}/rec/big.wav`;
    const bytes = Buffer.alloc(documentedLimits.maxRecordingBytes + 1, 1);
    const result = await fetchFile(7011, [read(7011, link), fetchStep(link, false, { bytes })]);
    expect(result.status).toBe(413);
    expect(result.bodyBytes.length).toBeLessThan(2000);
    expect(String(result.json?.message)).toMatch(/is more than the 10 MB this action hands over/);
  });

  it('a page instead of audio (an error page answered 200) is an error quoting it, not a file', async () => {
    const link = `${STORAGE}/rec/7012.wav`;
    const page = '<html><body><h1>Access denied</h1><p>Request has expired</p></body></html>';
    const result = await fetchFile(7012, [read(7012, link), fetchStep(link, false, { headers: { 'content-type': 'text/html; charset=utf-8' }, text: page })]);
    expect(result.status).toBe(502);
    expect(String(result.json?.message)).toContain('Access denied Request has expired');
  });

  it('an expired pre-signed link (403 on the other host) is a 502 that says the key was not sent there', async () => {
    const link = `${STORAGE}/rec/7013.wav?sig=old`;
    const result = await fetchFile(7013, [read(7013, link), fetchStep(link, false, { status: 403, headers: { 'content-type': 'application/xml' }, text: '<Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>' })]);
    expect(result.status).toBe(502);
    expect(String(result.json?.message)).toMatch(/fetched without the API key\) answered HTTP 403: "AccessDenied Request has expired"/);
  });

  it('a file host far slower than the budget: 504 within the budget, saying what to do', async () => {
    const link = `${STORAGE}/rec/7014.wav`;
    let fetched: OutboundRequest | undefined;
    // The file would take an hour; the script's own deadline must end the execution (well before the platform's 5 s).
    const backend: Backend = (request, index) => {
      if (index === 0) return { status: 200, body: envelope({ recordingID: 7014, recordingURL: link }), latencyMs: 200 };
      fetched = request;
      return { status: 200, headers: { 'content-type': 'audio/wav' }, body: recordingAudio(7014), latencyMs: 3_600_000 };
    };
    const result = await host().execute(scriptRequest(call(7014)), backend);
    expect(fetched?.url).toBe(link);
    expect(result.status).toBe(504);
    // Virtual time: cut at the request deadline (90 % of the 3.5 s budget), the recording's read included.
    expect(result.wallMs).toBe(documentedLimits.scriptBudgetMs * 0.9);
    expect(String(JSON.parse(result.body).message)).toContain('did not arrive within the connector\'s time limit');
  });
});

describe('GetRecordingFile under the rules of every PBX exchange', () => {
  it('passes on no header of the file host but the content type (its Location, cookies and software stay behind)', async () => {
    const audio = recordingAudio(7020);
    const link = `${STORAGE}/rec/7020.wav`;
    const headers = { 'content-type': 'audio/wav', location: `${STORAGE}/elsewhere`, 'set-cookie': 'session=abc; HttpOnly', 'x-powered-by': 'PHP/8.1', 'retry-after': '120' };
    const result = await fetchFile(7020, [read(7020, link), fetchStep(link, false, { bytes: audio, headers })]);
    expect(result.status).toBe(200);
    expect(result.bodyBytes.equals(audio)).toBe(true);
    for (const name of ['location', 'set-cookie', 'x-powered-by', 'retry-after']) expect(result.headers[name], name).toBeUndefined();
  });

  it('the read answered with a redirect or a body that is not JSON: 502 saying so, no PBX Location, nothing fetched', async () => {
    const moved = await fetchFile(7021, [get('/call_records/7021', {}, 302, '', { location: `${PBX}/elsewhere/7021` })]);
    expect(moved.status).toBe(502);
    expect(moved.headers.location).toBeUndefined();
    expect(String(moved.json?.message)).toMatch(/HTTP 302 \(a redirect\)/);
    const page = await fetchFile(7022, [get('/call_records/7022', {}, 200, '<html><body>Maintenance</body></html>', { 'content-type': 'text/html' })]);
    expect(page.status).toBe(502);
    expect(String(page.json?.message)).toMatch(/read of recording 7022 with a body that is not a JSON object \(Maintenance\)/);
  });

  it('a file host\'s rate limit: 429 with its Retry-After, so the platform waits as asked', async () => {
    const link = `${STORAGE}/rec/7023.wav`;
    const result = await fetchFile(7023, [read(7023, link), fetchStep(link, false, { status: 429, headers: { 'content-type': 'text/plain', 'retry-after': '30' }, text: 'Slow down' })]);
    expect(result.status).toBe(429);
    expect(result.headers['retry-after']).toBe('30');
    expect(String(result.json?.message)).toContain('wait 30 seconds');
  });

  describe('the key never appears in an answer or a log, whichever host echoes it', () => {
    // Characters that change when percent-encoded, as keys generated with base64 have.
    const key = 'Zp+Kx/9q=Lm4+Rt/Ew==';
    const encoded = encodeURIComponent(key);
    const pieces = (text: string) => [key, encoded, encoded.toLowerCase(), key.slice(0, 8), encoded.slice(0, 10), key.slice(-8)].filter((p) => text.includes(p));
    const page = `<html><body>${'x'.repeat(185)} ${key} denied ?key=${encoded}</body></html>`;
    const recorded = (link: string): Backend => (_request, index) =>
      index === 0 ? { status: 200, body: envelope({ recordingID: 7024, recordingURL: link }) } : { status: 0, body: '' };

    it.each([
      ['the PBX host (fetched with the key), an error page', `${PBX}/recordings/7024/audio`, 500, 500],
      ['another host, an error page', `${STORAGE}/rec/7024.wav`, 403, 502],
      ['another host, a page answered 200 instead of audio', `${STORAGE}/rec/7024.wav`, 200, 502],
    ])('%s echoing it raw and percent-encoded across the cut', async (_name, link, status, expected) => {
      const base = recorded(link);
      const backend: Backend = (request, index) => (index === 0 ? base(request, index) : { status, headers: { 'content-type': 'text/html' }, body: page });
      const result = await host().execute({ ...scriptRequest(call(7024)), headers: { Authorization: `Bearer ${key}` } }, backend);
      expect(result.status).toBe(expected);
      expect(result.body).toContain('[key]');
      expect(pieces(result.body)).toEqual([]);
      for (const log of result.logs) expect(pieces(log.message)).toEqual([]);
    });
  });
});
