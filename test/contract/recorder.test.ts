// The names here are invented test inputs, planted to prove that scrubbing and scanning catch them; the
// real-format numbers are built at run time (test/support/planted-numbers.ts), so that the repository holds none.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ContractDefinition, type Json } from '../../lib/definition';
import { runRecordCli } from '../../contract/record-cli';
import { normaliseApiKey, recordScenarios, RecorderError, requestUrl } from '../../contract/record';
import { Scrubber } from '../../contract/scrub';
import { buildRequest } from '../../lib/request';
import { readScenarioFile, REDACTED_AUTHORIZATION, type ExchangeScenario } from '../../contract/scenario';
import { listScanFiles, scanScenarios } from '../../contract/scan';
import { CALL_STATUS, startPbxServer, type ObservedExchange, type PbxServer } from '../../sandbox/pbx';
import { LV_LANDLINE, LV_MOBILE, PLANTED } from '../support/planted-numbers';

// The project's own generated definition (top level), never the reference copy.
const ROOT = path.resolve(__dirname, '..', '..');
const definition = ContractDefinition.load(path.join(ROOT, 'apiDefinition.swagger.json'), path.join(ROOT, 'apiProperties.json'));

const KEY = 'OnYSrLTH3i2qiyb873au2LNdAajXjf5Z';
const ENV = { ZP_API_KEY: KEY, ZP_SCRUB_SALT: 'recorder-test-salt-0123456789' };
// Real-looking personal data planted in the imitation server (the scrubber must remove all of it).
const REAL = {
  mobile: PLANTED.find((p) => p.label === 'Latvian, international, spaced')!.text,
  mobileBare: LV_MOBILE,
  landline: LV_LANDLINE,
  foreign: PLANTED.find((p) => p.label.startsWith('another country'))!.text,
  first: 'Krišjānis',
  last: 'Valdemārs',
  avatar: 'https://jk:pw@cdn.example.com/avatars/7.png?token=s3cr3t&size=64',
};

let pbx: PbxServer;
let contactID: number;
let work: string;
const seen: ObservedExchange[] = [];

beforeAll(async () => {
  pbx = await startPbxServer({ apiKey: KEY, seed: { seed: 2 } });
  pbx.api.onRequest((e) => seen.push(e));
  contactID = pbx.store.add('contacts', {
    firstname: REAL.first,
    lastname: REAL.last,
    number: REAL.mobile,
    current_callerid: REAL.landline,
    archived: 0,
    created: '2026-11-02T09:15:00+02:00',
    avatar: REAL.avatar,
  }).contactID;
  pbx.store.add('voipEndpoints', { name: `${REAL.first} galda tālrunis`, employee_id: contactID });
  pbx.store.add('calls', {
    caller: REAL.foreign,
    destination: REAL.mobileBare,
    direction: 'in',
    status: CALL_STATUS.answered,
    callStarted: '2026-11-02T09:15:00+02:00',
    callConnected: '2026-11-02T09:15:10+02:00',
    callEnded: '2026-11-02T09:16:10+02:00',
    contactID,
    transferredTo: null,
  });
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'record-'));
});
afterAll(async () => {
  await pbx.stop();
  fs.rmSync(work, { recursive: true, force: true });
});
afterEach(() => {
  pbx.api.configure({ rateLimit: undefined });
  pbx.api.clearFaults();
  seen.length = 0;
});

let outCounter = 0;
function freshOut(): string {
  return path.join(work, `out-${++outCounter}`);
}

async function record(argv: string[], env: NodeJS.ProcessEnv = ENV): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runRecordCli(argv, env, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err };
}

function allFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

function load(file: string): ExchangeScenario {
  return readScenarioFile(file).scenario as ExchangeScenario;
}

describe('recording from the imitation server', () => {
  let out: string;
  let result: { code: number; out: string[]; err: string[] };

  beforeAll(async () => {
    out = freshOut();
    result = await record([
      'GetContactsByID', 'GetCallHistory', 'GetVoipEndpoints', 'GetLostCalls',
      '--input', `contact_id=${contactID}`,
      '--input', 'GetCallHistory.limit=1',
      '--input', 'GetVoipEndpoints.limit=1',
      '--input', `GetLostCalls.destination=${REAL.mobileBare}`,
      '--base-url', pbx.baseUrl, '--out', out,
    ]);
  });

  it('writes one recorded scenario per operation, in the scenario format', () => {
    expect(result.err).toEqual([]);
    expect(result.code).toBe(0);
    const files = listScanFiles(out).map((f) => path.relative(out, f)).sort();
    expect(files).toEqual(['GetCallHistory/recorded-200.yaml', 'GetContactsByID/recorded-200.yaml', 'GetLostCalls/recorded-200.yaml', 'GetVoipEndpoints/recorded-200.yaml']);
    const contact = load(path.join(out, 'GetContactsByID', 'recorded-200.yaml'));
    expect(contact).toMatchObject({ source: 'recorded', kind: 'success', inputs: { contact_id: contactID } });
    expect(contact.steps[0].request).toMatchObject({ method: 'GET', path: `/api/v2/contacts/${contactID}`, headers: { authorization: REDACTED_AUTHORIZATION } });
    expect(load(path.join(out, 'GetLostCalls', 'recorded-200.yaml')).kind).toBe('empty');
  });

  it('leaves no real number, name, key or URL token in any file, and the scanner agrees', () => {
    const text = allFiles(out).map((f) => fs.readFileSync(f, 'utf8')).join('\n');
    for (const real of [KEY, REAL.mobile.slice(-9), REAL.mobileBare, REAL.landline, '7946', REAL.first, REAL.last, 's3cr3t', 'jk:pw']) {
      expect(text, real).not.toContain(real);
    }
    expect(scanScenarios(out)).toEqual([]);
    expect(allFiles(out).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('maps one real number to one fake everywhere (body, query, inputs)', () => {
    const contact = load(path.join(out, 'GetContactsByID', 'recorded-200.yaml')).steps[0].response.body as { data: Record<string, string> };
    const calls = load(path.join(out, 'GetCallHistory', 'recorded-200.yaml')).steps[0].response.body as { data: Array<Record<string, string>> };
    const lost = load(path.join(out, 'GetLostCalls', 'recorded-200.yaml'));
    const fake = contact.data.number;
    expect(fake).toMatch(/^\+3710\d{7}$/);
    expect(calls.data[0].destination).toBe(fake); // the bare and the international spelling are one number
    expect(lost.inputs.destination).toBe(fake);
    expect(lost.steps[0].request.query.destination).toBe(fake);
    expect(contact.data.avatar).toBe('https://cdn.example.com/avatars/7.png?size=64');
    expect(contact.data.firstname).toMatch(/^First-/);
  });

  it('records requests that the definition-driven builder reproduces from the stored inputs', () => {
    for (const file of listScanFiles(out)) {
      const s = load(file);
      const { request, problems } = buildRequest(definition, definition.operation(s.operationId)!, s.inputs as { [k: string]: Json }, { apiKey: REDACTED_AUTHORIZATION });
      expect(problems, file).toEqual([]);
      expect(request, file).toEqual(s.steps[0].request);
    }
  });

  it('sent the key once with one Bearer prefix, even when the env key already has it', async () => {
    const again = await record(['GetAudioPromptByID', '--input', 'prompt_id=1', '--base-url', pbx.baseUrl, '--out', freshOut()], { ...ENV, ZP_API_KEY: `  bearer ${KEY} ` });
    expect(again.code).toBe(0);
    expect(seen.map((e) => e.request.headers.authorization)).toEqual([`Bearer ${KEY}`]);
  });

  it('gives a taken name a suffix instead of overwriting, unless asked to', async () => {
    const dir = freshOut();
    const args = ['GetGroupByID', '--input', 'group_id=1', '--name', 'sales-group', '--base-url', pbx.baseUrl, '--out', dir];
    await record(args);
    await record(args);
    expect(listScanFiles(dir).map((f) => path.basename(f)).sort()).toEqual(['sales-group-2.yaml', 'sales-group.yaml']);
    await record([...args, '--overwrite']);
    expect(listScanFiles(dir)).toHaveLength(2);
  });
});

describe('every market\'s spellings, as free text and as caller/destination values', () => {
  it('none reaches the written scenario, and the scanner finds nothing in it', async () => {
    // One call per spelling (caller and destination), and every spelling in a group's name (free text).
    const callIds = PLANTED.map(({ text }) =>
      pbx.store.add('calls', {
        caller: text, destination: text, direction: 'in', status: CALL_STATUS.answered,
        callStarted: '2026-11-02T09:15:00+02:00', callConnected: '2026-11-02T09:15:10+02:00', callEnded: '2026-11-02T09:16:10+02:00',
        contactID, transferredTo: null,
      }).callID,
    );
    const groupID = pbx.store.add('groups', { name: `Call back: ${PLANTED.map((p) => p.text).join('; ')}.`, type: 1, created: '2026-11-02T09:15:00+02:00', members: [] }).groupID;
    const out = freshOut();
    const r = await record(['GetCallHistory', 'GetGroupByID', '--input', `GetCallHistory.limit=${PLANTED.length}`, '--input', `initial_call_id=${callIds[0] - 1}`, '--input', `group_id=${groupID}`, '--base-url', pbx.baseUrl, '--out', out]);
    expect(r.err).toEqual([]);
    expect(r.code).toBe(0);
    const written = allFiles(out).map((f) => fs.readFileSync(f, 'utf8')).join('\n');
    const history = load(path.join(out, 'GetCallHistory', 'recorded-200.yaml')).steps[0].response.body as { data: Array<{ caller: string; destination: string }> };
    expect(history.data).toHaveLength(PLANTED.length);
    for (const { label, text, national } of PLANTED) {
      expect(written, label).not.toContain(text);
      expect(written.replace(/[ .()-]/g, ''), label).not.toContain(national);
    }
    for (const call of history.data) expect(call.caller).toMatch(/^\+3710\d{7}$/);
    expect(scanScenarios(out)).toEqual([]);
  });
});

describe('webhook registration', () => {
  it('records the subscription with the callback URL stripped of its signature', async () => {
    const out = freshOut();
    const callback = 'https://prod-01.example.invalid/workflows/flow1/triggers/manual/paths/invoke?api-version=2016-06-01&sv=1.0&sig=Zx9QwErTy7UiOp3AsDf5GhJk';
    const r = await record(['CallStarted', '--callback-url', callback, '--base-url', pbx.baseUrl, '--out', out]);
    expect(r.err).toEqual([]);
    const s = load(path.join(out, 'CallStarted', 'recorded-200.yaml'));
    const clean = 'https://prod-01.example.invalid/workflows/flow1/triggers/manual/paths/invoke?api-version=2016-06-01';
    expect(s.callbackUrl).toBe(clean);
    expect(s.steps[0].request.body).toEqual({ endpoint: clean });
    expect((s.steps[0].response.body as { data: string }).data).toMatch(/^\d+$/);
    // the imitation server received the real URL; the file holds none of the signature
    expect(pbx.store.webhooks('CallStarted').map((h) => h.endpoint)).toContain(callback);
    expect(fs.readFileSync(path.join(out, 'CallStarted', 'recorded-200.yaml'), 'utf8')).not.toContain('Zx9Q');
    pbx.store.webhooks().forEach((h) => pbx.store.deleteWebhook(h.id));
  });
});

describe('answers that are not successes are recorded as they are', () => {
  it('a rate limit (429 + Retry-After) becomes an error scenario', async () => {
    pbx.api.configure({ rateLimit: { requests: 1, windowMs: 60_000 } });
    const out = freshOut();
    const r = await record(['GetAudioPromptByID', 'GetAudioPrompts', '--input', 'prompt_id=1', '--base-url', pbx.baseUrl, '--out', out]);
    expect(r.code).toBe(0);
    const limited = load(path.join(out, 'GetAudioPrompts', 'recorded-429.yaml'));
    expect(limited.kind).toBe('error');
    expect(limited.description).toMatch(/rate limited/);
    expect(limited.steps[0].response).toMatchObject({ status: 429, headers: { 'retry-after': expect.stringMatching(/^\d+$/) }, body: { status: 'error', statusCode: 429 } });
  });

  it('an HTML 500 page and a non-JSON 200 are kept verbatim as text', async () => {
    const out = freshOut();
    pbx.api.injectFault({ fault: { kind: 'html-500' }, pathPrefix: '/trigger/contacts' });
    pbx.api.injectFault({ fault: { kind: 'non-json-200' }, pathPrefix: '/trigger/groups' });
    const r = await record(['GetContacts', 'GetGroups', '--base-url', pbx.baseUrl, '--out', out]);
    expect(r.code).toBe(0);
    const page = load(path.join(out, 'GetContacts', 'recorded-500.yaml')).steps[0].response;
    expect(page.status).toBe(500);
    expect(page.body).toMatch(/^<!DOCTYPE html>/);
    const odd = load(path.join(out, 'GetGroups', 'recorded-200.yaml'));
    expect(typeof odd.steps[0].response.body).toBe('string');
  });

  it('a 401 from a wrong key is recorded too', async () => {
    const out = freshOut();
    const r = await record(['GetContacts', '--base-url', pbx.baseUrl, '--out', out], { ...ENV, ZP_API_KEY: 'someone-elses-key' });
    expect(r.code).toBe(0);
    expect(load(path.join(out, 'GetContacts', 'recorded-401.yaml')).steps[0].response.status).toBe(401);
  });
});

describe('failures write nothing and say what to do', () => {
  it('a missing key', async () => {
    const out = freshOut();
    const r = await record(['GetContacts', '--base-url', pbx.baseUrl, '--out', out], { ZP_SCRUB_SALT: ENV.ZP_SCRUB_SALT });
    expect(r.code).toBe(1);
    expect(r.err.join('\n')).toMatch(/ZP_API_KEY is not set.*npm run record/s);
    expect(allFiles(out)).toEqual([]);
    expect(seen).toEqual([]);
  });

  it('a connection lost after other operations were answered (all or nothing)', async () => {
    const out = freshOut();
    let calls = 0;
    const flaky: typeof fetch = (input, init) => {
      calls += 1;
      if (calls === 2) return Promise.reject(new TypeError('fetch failed', { cause: { code: 'ECONNRESET' } }));
      return fetch(input, init);
    };
    const run = recordScenarios(
      { definition, apiKey: KEY, baseUrl: pbx.baseUrl, scrubber: new Scrubber({ salt: ENV.ZP_SCRUB_SALT }), outDir: out, fetchImpl: flaky },
      [{ operationId: 'GetContacts', inputs: {} }, { operationId: 'GetGroups', inputs: {} }],
    );
    await expect(run).rejects.toThrow(RecorderError);
    await expect(run).rejects.toThrow(/ECONNRESET.*Nothing was written/);
    expect(calls).toBe(2);
    expect(allFiles(out)).toEqual([]);
  });

  it('an unreachable host', async () => {
    const down = await startPbxServer({ apiKey: KEY });
    const downUrl = down.baseUrl;
    await down.stop();
    const out = freshOut();
    const r = await record(['GetContacts', '--base-url', downUrl, '--out', out]);
    expect(r.code).toBe(1);
    expect(r.err.join('\n')).toMatch(/Cannot reach http:\/\/127\.0\.0\.1:\d+ .*--base-url/);
    expect(allFiles(out)).toEqual([]);
  });

  it('an unknown operation, an input no operation takes, a missing required input', async () => {
    const out = freshOut();
    const cases: Array<[string[], RegExp]> = [
      [['GetEverything'], /Unknown operation GetEverything\. Known: .*GetCallHistory/],
      [['GetContacts', '--input', 'box_id=1'], /none of GetContacts has a parameter "box_id"/],
      [['GetContactsByID'], /required input "contact_id" is missing/],
      [['CallStarted'], /--callback-url/],
      [['GetContacts', '--name', 'Not Kebab'], /kebab-case/],
    ];
    for (const [args, message] of cases) {
      const r = await record([...args, '--base-url', pbx.baseUrl, '--out', out]);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.err.join('\n'), args.join(' ')).toMatch(message);
    }
    expect(allFiles(out)).toEqual([]);
    expect(seen).toEqual([]);
  });

  it('usage errors exit 2 and --help prints the usage', async () => {
    expect((await record([])).code).toBe(2);
    expect((await record(['GetContacts', '--bogus'])).code).toBe(2);
    const help = await record(['--help']);
    expect(help.code).toBe(0);
    expect(help.out.join('\n')).toMatch(/ZP_API_KEY/);
  });
});

describe('helpers', () => {
  it('normaliseApiKey adds the Bearer prefix only when missing', () => {
    expect(normaliseApiKey('abc')).toBe('Bearer abc');
    expect(normaliseApiKey(' Bearer  abc ')).toBe('Bearer abc');
    expect(normaliseApiKey('BEARER abc')).toBe('Bearer abc');
  });

  it('requestUrl puts the request under the base URL (or the definition host)', () => {
    const req = { method: 'GET', path: '/api/v2/trigger/contacts', query: { limit: '2' }, headers: {}, body: null };
    expect(requestUrl(definition, req, 'http://127.0.0.1:9/api/v2/')).toBe('http://127.0.0.1:9/api/v2/trigger/contacts?limit=2');
    expect(requestUrl(definition, req, 'http://127.0.0.1:9')).toBe('http://127.0.0.1:9/api/v2/trigger/contacts?limit=2');
    expect(requestUrl(definition, req)).toBe(`https://${definition.host}/api/v2/trigger/contacts?limit=2`);
  });
});
