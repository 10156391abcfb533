// npm run probe-pbx against the mock PBX: under each profile it must write that profile back (every
// behaviour; the latency within its jitter), and as a command it refuses bad flags, explains a refused key,
// a rate limit, an HTML error page and a PBX that does not answer, and never writes the key.
import * as fs from 'fs';
import * as http from 'http';
import type { AddressInfo } from 'net';
import * as os from 'os';
import * as path from 'path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../lib/cli';
import { RECORDING_LINK_KINDS, startPbxServer, type PbxServer } from '../../sandbox/pbx';
import { apiOptionsOf, BEHAVIOUR_KEYS, loadProfile, parseProfile, pickBehaviour, type PbxProfile } from '../../sandbox/pbx/profiles';
import { probePbx, probeReport } from '../../sandbox/pbx/probe';
import { runProbe } from '../../scripts/probe-pbx';
import { MATRIX } from './harness';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'probe-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const KEY = 'probe-test-key+/=7f3a';

/** The mock under a profile, with enough calls that a cap of 100 shows. */
async function mock(profile: PbxProfile, extra: Parameters<typeof startPbxServer>[0] extends infer O ? Partial<O> : never = {}): Promise<PbxServer> {
  return startPbxServer({ ...apiOptionsOf(profile), apiKey: KEY, seed: { calls: 250 }, ...extra });
}

async function withMock<T>(server: PbxServer, use: (server: PbxServer) => Promise<T>): Promise<T> {
  try {
    return await use(server);
  } finally {
    await server.stop();
  }
}

function io(): CliIo & { text: () => string; errors: () => string } {
  let out = '';
  let err = '';
  return { out: (t) => (out += t), err: (t) => (err += t), text: () => out, errors: () => err };
}

/** A PBX that writes one kind of recording link only (the named profiles write all three, in turn). */
const linkVariants = RECORDING_LINK_KINDS.map((kind) => parseProfile(JSON.stringify({ name: `recording-links-${kind}`, recordingLinks: [kind] }), `recording-links-${kind}.json`));

describe.each([...MATRIX, ...linkVariants])('probe-pbx against the mock under profile $name', (profile) => {
  it('writes the profile back: every behaviour, the latency at least what the mock waits, read as --profile reads it', async () => {
    const file = path.join(tmp, `recovered-${profile.name}`, 'pbx-profile.json');
    const cli = io();
    const code = await withMock(await mock(profile), (server) => runProbe({ key: KEY, baseUrl: server.baseUrl, brand: 'zvanu-parvaldnieks', out: file, timeout: 10_000 }, cli));
    expect(cli.errors()).toBe('');
    expect(code).toBe(0);
    const written = loadProfile(file);
    const { latencyMs, ...rest } = pickBehaviour(written);
    const { latencyMs: wanted, ...expected } = pickBehaviour(profile);
    expect(rest).toEqual(expected);
    // The mock never answers sooner than its latency less the jitter; a busy machine only adds to it, so the
    // upper bounds are far from the expected figure (5x the latency; 0 is a median under the probe's 100 ms floor).
    if (wanted === 0) expect(latencyMs).toBe(0);
    else expect(latencyMs).toBeGreaterThanOrEqual(wanted * (1 - profile.latencyJitter) - 10);
    if (wanted > 0) expect(latencyMs).toBeLessThanOrEqual(wanted * 5);
    // Every behaviour has a finding that says what was seen.
    expect(Object.keys(written.evidence).sort()).toEqual([...BEHAVIOUR_KEYS].sort());
  });
});

describe('probe-pbx on an account too small to show a cap', () => {
  it('settles no cap when every call fits one page of fewer than the 100 items the connector assumes: a cap of 100 could not have shown', async () => {
    const found = await withMock(await mock(loadProfile('page-cap'), { seed: { calls: 40 } }), (server) => probePbx({ baseUrl: server.baseUrl, key: KEY, timeoutMs: 10_000 }));
    const cap = found.findings.find((f) => f.key === 'pageCap')!;
    expect(cap.settled).toBe(false);
    expect(cap.saw).toMatch(/all 40 calls of the account.*at least 100 calls/);
    expect(probeReport(found, '127.0.0.1')).toMatch(/\| a silent cap on the items of a page \| no \|/);
    // The profile keeps the default's value, marked as unsettled; on a larger account the cap is found (the matrix above).
    expect(found.profile.pageCap).toBeNull();
  });

  it('settles "no cap" once a page of more than 100 held the whole account', async () => {
    const found = await withMock(await mock(loadProfile('default'), { seed: { calls: 150 } }), (server) => probePbx({ baseUrl: server.baseUrl, key: KEY, timeoutMs: 10_000 }));
    expect(found.findings.find((f) => f.key === 'pageCap')).toMatchObject({ settled: true, saw: expect.stringMatching(/all 150 calls of the account/) });
  });
});

describe('npm run probe-pbx (runProbe)', () => {
  const out = (name: string) => path.join(tmp, name, 'pbx-profile.json');

  it('writes the profile the sandbox, the tests and the bench accept, and the report beside it; neither holds the key', async () => {
    const file = out('ok');
    const cli = io();
    const code = await withMock(await mock(loadProfile('not-found-empty')), (server) => runProbe({ key: `Bearer ${KEY}`, baseUrl: server.baseUrl, brand: 'zvanu-parvaldnieks', out: file, timeout: 10_000 }, cli));
    expect(cli.errors()).toBe('');
    expect(code).toBe(0);
    const profile = loadProfile(file);
    expect(profile.emptyList).toBe('not-found');
    expect(profile.name).toBe('probed-127-0-0-1');
    const report = fs.readFileSync(file.replace(/\.json$/, '.md'), 'utf8');
    expect(report).toMatch(/\| the answer to a list with nothing in it .* \| yes \| 404 with the reference page's message \|/);
    for (const text of [fs.readFileSync(file, 'utf8'), report, cli.text()]) {
      for (const form of [KEY, encodeURIComponent(KEY), KEY.slice(0, 12)]) expect(text).not.toContain(form);
    }
  });

  it.each([
    [{ key: undefined }, /give the API key: --key <key> \(or ZP_API_KEY\)/],
    [{ baseUrl: 'not a url' }, /--base-url expects a URL such as https:\/\/zvanuparvaldnieks\.lmt\.lv\/api\/v2\/, got "not a url"/],
    [{ baseUrl: 'ftp://pbx.example/api/v2/' }, /--base-url must be http\(s\), got ftp:/],
    [{ baseUrl: 'http://pbx.example/api/v2/' }, /--base-url must be https \(the key would travel in clear text\)/],
    [{ name: 'Not Kebab' }, /--name expects kebab-case/],
    [{ out: tmp }, /--out expects a file, got the folder/],
  ])('refuses %o before sending anything (exit 2)', async (bad, says) => {
    const cli = io();
    const code = await runProbe({ key: KEY, brand: 'zvanu-parvaldnieks', out: out('refused'), timeout: 1000, ...bad }, cli);
    expect(code).toBe(2);
    expect(cli.errors()).toMatch(says);
    expect(cli.errors()).toMatch(/npm run probe-pbx -- --help lists the flags\)\n$/);
    expect(cli.text()).toBe('');
    expect(fs.existsSync(out('refused'))).toBe(false);
  });

  const failures: Array<[string, (server: PbxServer) => void, RegExp]> = [
    ['a refused key', (s) => s.api.configure({ apiKey: 'another-key' }), /The PBX refused the key \(HTTP 401: Invalid API key\.\): check the key .* Nothing was written\./],
    ['a rate limit', (s) => s.api.configure({ rateLimit: { requests: 2, windowMs: 60_000 } }), /rate limit answered 429 to request 3 .*: run the probe again after \d+ s\. Nothing was written\./],
    ['an HTML error page', (s) => s.api.injectFault({ fault: { kind: 'html-500' }, times: 1 }), /answered an HTML page \("500 Internal Server Error"\) with HTTP 500 .*check --base-url/],
    [
      'a refusal that echoes the key',
      (s) => s.api.injectFault({ fault: { kind: 'response', status: 401, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ status: 'error', statusCode: 401, message: `Key ${KEY} / ${encodeURIComponent(KEY)} / ${encodeURIComponent(KEY).replace('%2F', '/')} unknown` }) } }),
      /refused the key \(HTTP 401: Key <key> \/ <key> \/ <key> unknown\)/,
    ],
  ];
  it.each(failures)('%s: one clear line, exit 1, nothing written', async (_what, arrange, says) => {
    const file = out('failed');
    const cli = io();
    const code = await withMock(await mock(loadProfile('default')), (server) => {
      arrange(server);
      return runProbe({ key: KEY, baseUrl: server.baseUrl, brand: 'zvanu-parvaldnieks', out: file, timeout: 10_000 }, cli);
    });
    expect(code).toBe(1);
    expect(cli.errors()).toMatch(says);
    expect(cli.errors()).not.toContain(KEY);
    expect(fs.existsSync(file)).toBe(false);
  });

  it('a refusal that echoes the key across the 200 characters of its message quoted: no part of the key in what it says', async () => {
    const cli = io();
    const code = await withMock(await mock(loadProfile('default')), (server) => {
      const message = `${'x'.repeat(190)} ${KEY} unknown`;
      server.api.injectFault({ fault: { kind: 'response', status: 401, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ status: 'error', statusCode: 401, message }) } });
      return runProbe({ key: KEY, baseUrl: server.baseUrl, brand: 'zvanu-parvaldnieks', out: out('echo-cut'), timeout: 10_000 }, cli);
    });
    expect(code).toBe(1);
    expect(cli.errors()).toMatch(/x{190} <key>/);
    // Every 6 characters of the key but its first ('probe-', which the command's own name holds).
    for (let i = 1; i + 6 <= KEY.length; i++) expect(cli.errors()).not.toContain(KEY.slice(i, i + 6));
  });

  it('a PBX that does not answer: the timeout, exit 1, nothing written', async () => {
    const silent = http.createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const cli = io();
    try {
      const code = await runProbe({ key: KEY, baseUrl: `http://127.0.0.1:${(silent.address() as AddressInfo).port}/api/v2/`, brand: 'zvanu-parvaldnieks', out: out('silent'), timeout: 300 }, cli);
      expect(code).toBe(1);
      expect(cli.errors()).toMatch(/No answer from http:\/\/127\.0\.0\.1:\d+ within 300 ms .*raise --timeout\. Nothing was written\./);
    } finally {
      silent.closeAllConnections();
      await new Promise((resolve) => silent.close(resolve));
    }
    expect(fs.existsSync(out('silent'))).toBe(false);
  });
});
