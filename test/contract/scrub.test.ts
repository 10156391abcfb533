// The names here are invented test inputs (the most common Latvian names); the real-format numbers are built at
// run time (test/support/planted-numbers.ts), so that the repository holds none.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { describe, expect, it } from 'vitest';
import { loadScrubSalt, Scrubber } from '../../contract/scrub';
import type { JsonValue } from '../../contract/scenario';
import { international, LV_LANDLINE, LV_MOBILE, LV_TOLL_FREE, PLANTED } from '../support/planted-numbers';

const SALT = 'unit-test-salt-0123456789';
const scrubber = () => new Scrubber({ salt: SALT, secrets: ['Bearer Zq7Kx2Lp9Vb4Nm1Rt8Yw3Hd'] });
const FAKE = /^\+3710\d{7}$/;

describe('phone numbers', () => {
  it('map every spelling of one number to one fake in the +3710 range', () => {
    const s = scrubber();
    const spellings = PLANTED.filter((p) => p.national === LV_MOBILE).map((p) => p.text);
    expect(spellings.length).toBeGreaterThan(8);
    const fakes = spellings.map((n) => s.scrubText(n));
    expect(new Set(fakes).size).toBe(1);
    expect(fakes[0]).toMatch(FAKE);
  });

  it('are stable across runs with the same salt and differ with another salt', () => {
    expect(scrubber().fakePhone(international(LV_LANDLINE))).toBe(scrubber().fakePhone(LV_LANDLINE));
    expect(new Scrubber({ salt: 'another-salt-0123456789' }).fakePhone(international(LV_LANDLINE))).not.toBe(scrubber().fakePhone(international(LV_LANDLINE)));
  });

  it('give different numbers different fakes', () => {
    const s = scrubber();
    const fakes = new Set(Array.from({ length: 300 }, (_, i) => s.fakePhone(`+3712${String(1000000 + i * 7919).slice(-7)}`)));
    expect(fakes.size).toBe(300);
  });

  it('handle landline, toll-free and international numbers inside text; keep extensions and fakes', () => {
    const s = scrubber();
    const foreign = PLANTED.find((p) => p.label.startsWith('another country'))!.text;
    const out = s.scrubText(`Call ${LV_LANDLINE} or ${LV_TOLL_FREE} or ${foreign}, ext. 101, fake +37100001001`);
    for (const real of [LV_LANDLINE, LV_TOLL_FREE, foreign]) expect(out).not.toContain(real);
    expect(out.match(/\+3710\d{7}/g)).toHaveLength(4);
    expect(out).toContain('ext. 101');
    expect(out).toContain('+37100001001');
  });

  it('leave ids, dates and timestamps alone, but scrub a number under a phone field even as a JSON number', () => {
    const s = scrubber();
    const id = Number(LV_MOBILE);
    const body = { callID: id, initial_call_id: LV_MOBILE, callStarted: '2026-11-02T09:15:00+02:00', day: '2026-11-02', local: '26.11.2026 09:15', caller: id };
    const out = s.scrubJson(body) as Record<string, JsonValue>;
    expect(out.callID).toBe(id);
    expect(out.initial_call_id).toBe(LV_MOBILE);
    expect(out.callStarted).toBe(body.callStarted);
    expect(out.day).toBe('2026-11-02');
    expect(out.local).toBe('26.11.2026 09:15');
    expect(out.caller).toBe(s.fakePhone(LV_MOBILE));
  });
});

describe('names', () => {
  it('replace name fields with stable placeholders and names inside other strings', () => {
    const s = scrubber();
    const contact = { firstname: 'Jānis', lastname: 'Bērziņš', contactID: 3, number: international(LV_MOBILE) };
    const endpoint = { id: 1, name: 'Jānis galda tālrunis', employee_id: 3 };
    const group = { groupID: 1, name: 'Bērziņš komanda' };
    s.learnNames([contact]);
    const c = s.scrubJson(contact) as Record<string, string>;
    expect(c.firstname).toMatch(/^First-[0-9a-f]{6}$/);
    expect(c.lastname).toMatch(/^Last-[0-9a-f]{6}$/);
    expect((s.scrubJson(endpoint) as Record<string, string>).name).not.toMatch(/Jānis/);
    const g = s.scrubJson(group) as Record<string, string>;
    expect(g.name).toBe(`${c.lastname} komanda`);
    // another run, same salt: same placeholders
    const again = scrubber();
    again.learnNames([contact]);
    expect(again.scrubJson(contact)).toEqual(c);
  });

  it('replace box names and lost-call contact names, keeping one placeholder per name', () => {
    const s = scrubber();
    const box = s.scrubJson({ boxName: 'Anna Ozola balss pasts' }) as Record<string, string>;
    const voicemail = s.scrubJson({ voicemailBoxName: 'Anna Ozola balss pasts' }) as Record<string, string>;
    expect(box.boxName).toMatch(/^Box-/);
    expect(voicemail.voicemailBoxName).toBe(box.boxName);
    expect((s.scrubJson({ contact_name: 'Ilze Kalniņa', destination: '' }) as Record<string, string>).contact_name).toMatch(/^Contact-/);
    expect(s.scrubJson({ contact_name: '' })).toEqual({ contact_name: '' });
  });
});

describe('URLs, headers and secrets', () => {
  it('removes tokens from URL query strings and userinfo, keeping other parameters', () => {
    const s = scrubber();
    const url = 'https://user:pa55@files.example.com/rec/1.mp3?token=abc&sig=def&signature=x&access_token=y&key=z&format=mp3';
    const out = s.scrubText(`see ${url} now`);
    expect(out).toBe('see https://files.example.com/rec/1.mp3?format=mp3 now');
  });

  it('redacts key-shaped path segments and JWTs', () => {
    const s = scrubber();
    expect(s.scrubUrl('https://files.example.com/d41d8cd98f00b204e9800998ecf8427e/a.mp3')).toBe('https://files.example.com/redacted/a.mp3');
    expect(s.scrubUrl(`https://files.example.com/rec/${LV_MOBILE}/${LV_MOBILE}.mp3`)).toBe(`https://files.example.com/rec/${LV_MOBILE}/${encodeURIComponent(s.fakePhone(LV_MOBILE))}.mp3`);
    expect(s.scrubText('token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.abcdefghijk end')).toBe('token <redacted> end');
  });

  it('redacts the Authorization header and drops cookies and secret headers', () => {
    const s = scrubber();
    expect(s.scrubRequestHeaders({ Authorization: 'Bearer Zq7Kx2Lp9Vb4Nm1Rt8Yw3Hd', Cookie: 'a=b', 'X-Api-Key': 'k', 'content-type': 'application/json' })).toEqual({
      authorization: 'Bearer <redacted>',
      'content-type': 'application/json',
    });
    expect(
      s.scrubResponseHeaders({ 'set-cookie': 'sid=1', date: 'Mon', 'content-type': 'text/html', 'retry-after': '30', location: 'https://x.example/next?token=t&page=2' }),
    ).toEqual({ 'content-type': 'text/html', 'retry-after': '30', location: 'https://x.example/next?page=2' });
  });

  it('removes a configured key echoed percent-encoded, as a URL or a form would carry it', () => {
    const key = 'Zq7K/x2Lp+9Vb=4Nm1Rt8Yw3Hd';
    const s = new Scrubber({ salt: SALT, secrets: [`Bearer ${key}`] });
    for (const echoed of [encodeURIComponent(key), encodeURIComponent(`Bearer ${key}`), encodeURIComponent(`Bearer ${key}`).replace(/%20/g, '+')]) {
      const out = JSON.stringify(s.scrubJson({ message: `refused: ${echoed}`, url: `https://x.example/cb?state=${echoed}` }));
      expect(out, echoed).not.toContain(encodeURIComponent(key));
      expect(out, echoed).not.toContain('Zq7K');
    }
  });

  it('removes a configured key echoed JSON-escaped or half-encoded, in a body kept as text', () => {
    const key = 'Zq7K/x2Lp+9Vb=4Nm1Rt8Yw3Hd';
    const s = new Scrubber({ salt: SALT, secrets: [`Bearer ${key}`] });
    for (const echoed of [key.replace(/\//g, '\\/'), key.replace(/\+/g, '\\u002b'), encodeURIComponent(key).replace(/%2F/g, '/')]) {
      const out = s.scrubText(`<html><body><script>var k = "${echoed}";</script></body></html>`);
      expect(out, echoed).not.toContain('Zq7K');
      expect(out, echoed).toContain('<redacted>');
    }
  });

  it('removes the literal API key wherever it is echoed', () => {
    const s = scrubber();
    const out = s.scrubJson({ message: 'Key Zq7Kx2Lp9Vb4Nm1Rt8Yw3Hd is not allowed from this IP' });
    expect(JSON.stringify(out)).not.toContain('Zq7Kx2Lp9Vb4Nm1Rt8Yw3Hd');
    expect(out).toEqual({ message: 'Key <redacted> is not allowed from this IP' });
  });
});

describe('loadScrubSalt', () => {
  it('creates a salt file outside the repository once and reads the same salt afterwards', () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'salt-'));
    const file = path.join(home, 'nested', 'salt');
    const first = loadScrubSalt({ ZP_SCRUB_SALT_FILE: file });
    expect(first.source).toBe(file);
    expect(fs.statSync(file).mode & 0o077).toBe(0);
    expect(loadScrubSalt({ ZP_SCRUB_SALT_FILE: file }).salt.equals(first.salt)).toBe(true);
    fs.rmSync(home, { recursive: true, force: true });
  });

  it('refuses a salt file inside the repository and a too-short salt', () => {
    const repo = path.resolve(__dirname, '..', '..');
    expect(() => loadScrubSalt({ ZP_SCRUB_SALT_FILE: path.join(repo, 'scrub-salt') }, repo)).toThrow(/inside the repository/);
    expect(() => loadScrubSalt({ ZP_SCRUB_SALT: 'short' })).toThrow(/too short/);
  });
});
