// Real-format numbers are built at run time (test/support/planted-numbers.ts), so that the repository holds none.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { afterAll, describe, expect, it } from 'vitest';
import { SCAN_RULES, listScanFiles, scanScenarioText, scanScenarios } from '../../contract/scan';
import { SCENARIO_ROOT } from '../../contract/scenario';
import { international, LV_MOBILE, PLANTED } from '../support/planted-numbers';

const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'scan-'));
afterAll(() => fs.rmSync(temp, { recursive: true, force: true }));

const CLEAN = `operationId: GetCallHistory
name: clean
kind: success
source: hand-written
description: Two calls; ids (even number-shaped) and dates are not phone numbers (2026-11-02).
inputs: { limit: 2, destination: "+37100000002" }
steps:
  - request:
      method: GET
      path: /api/v2/call_history/${LV_MOBILE}
      query: { initial_call_id: "${LV_MOBILE}", limit: "2" }
      headers: { authorization: "Bearer <redacted>" }
      body: null
    response:
      status: 200
      headers: { content-type: application/json }
      body:
        data:
          - { callID: ${LV_MOBILE}, caller: "+37100000001", destination: "101", callStarted: "2026-11-02T09:15:00+02:00", connectionTime: 60 }
          - { recordingURL: "https://recordings.pbx.invalid/${LV_MOBILE}/1.mp3", name: First-3fa9c1 }
`;

function plant(name: string, text: string): string {
  const file = path.join(temp, name, 'GetCallHistory', 'planted.yaml');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return path.dirname(path.dirname(file));
}

describe('committed scenarios', () => {
  it('hold no key-shaped strings and no real-looking phone numbers', () => {
    expect(listScanFiles(SCENARIO_ROOT).length).toBeGreaterThan(0);
    const findings = scanScenarios(SCENARIO_ROOT);
    expect(findings.map((f) => `${f.file}:${f.line} ${f.pointer} ${f.message}`)).toEqual([]);
  });
});

describe('scanner', () => {
  it('finds nothing in a clean scenario (fakes, ids, dates, extensions, redacted key)', () => {
    expect(scanScenarioText(CLEAN, 'clean.yaml')).toEqual([]);
  });

  it('catches a planted API key with its pointer and line, and masks it', () => {
    const key = 'OnYSrLTH3i2qiyb873au2LNdAajXjf5Q';
    const root = plant('key', CLEAN.replace('Bearer <redacted>', `Bearer ${key}`));
    const findings = scanScenarios(root, root);
    expect(findings.length).toBeGreaterThan(0);
    expect(findings.every((f) => f.rule === SCAN_RULES.secret && f.severity === 'error')).toBe(true);
    expect(findings[0]).toMatchObject({ file: path.join('GetCallHistory', 'planted.yaml'), pointer: '/steps/0/request/headers/authorization', line: 12 });
    expect(JSON.stringify(findings)).not.toContain(key);
  });

  it('catches "Bearer" followed by anything but <redacted>, however short', () => {
    for (const value of ['Bearer abc', 'bearer x1', 'Bearer {{key}}']) {
      const found = scanScenarioText(CLEAN.replace('Bearer <redacted>', value), 'x.yaml');
      expect(found.map((f) => [f.rule, f.pointer]), value).toEqual([[SCAN_RULES.secret, '/steps/0/request/headers/authorization']]);
    }
  });

  it('catches a key without "Bearer": base64-like, hex and JWT-like tokens', () => {
    for (const token of ['OnYSrLTH3i2qiyb873au2LNdAajXjf5Q', 'd41d8cd98f00b204e9800998ecf8427e', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl']) {
      const found = scanScenarioText(CLEAN.replace('First-3fa9c1', `"${token}"`), 'x.yaml');
      expect(found.map((f) => [f.rule, f.pointer]), token).toEqual([[SCAN_RULES.secret, '/steps/0/response/body/data/1/name']]);
    }
  });

  it('catches a planted phone number in every spelling of every market, and foreign numbers', () => {
    PLANTED.forEach(({ label, text }, i) => {
      const root = plant(`phone-${i}`, CLEAN.replace('"+37100000001"', `"${text}"`));
      const findings = scanScenarios(root, root);
      expect(findings.map((f) => [f.rule, f.pointer]), label).toEqual([[SCAN_RULES.phone, '/steps/0/response/body/data/0/caller']]);
    });
  });

  it('catches a number written as a bare JSON number under caller, in any market\'s spelling', () => {
    for (const { label, text } of PLANTED.filter((p) => /^\d+$/.test(p.text))) {
      const found = scanScenarioText(CLEAN.replace('"+37100000001"', text), 'x.yaml');
      expect(found.map((f) => [f.rule, f.pointer]), label).toEqual([[SCAN_RULES.phone, '/steps/0/response/body/data/0/caller']]);
    }
  });

  it('catches numbers in YAML comments and in unparseable files', () => {
    expect(scanScenarioText(`${CLEAN}# called back on ${LV_MOBILE}\n`, 'c.yaml').map((f) => f.rule)).toEqual([SCAN_RULES.phone]);
    const broken = scanScenarioText(`key: [unclosed\ncaller: ${international(LV_MOBILE)}\n`, 'b.yaml');
    expect(broken).toMatchObject([{ rule: SCAN_RULES.phone, line: 2 }]);
  });

  it('scans a file body (bodyBase64) as the text in its bytes: audio passes, a key or a number inside is caught', () => {
    const audio = Buffer.from([0x52, 0x49, 0x46, 0x46, 0x10, 0x00, 0xff, 0x7f, 0x80, 0x01]).toString('base64').repeat(12);
    const withBody = (b64: string) => CLEAN.replace('      body:\n        data:', `      bodyBase64: ${b64}\n      body:\n        data:`);
    expect(scanScenarioText(withBody(audio), 'audio.yaml')).toEqual([]);
    const key = Buffer.from('\u0000\u0001key OnYSrLTH3i2qiyb873au2LNdAajXjf5Q\u0000').toString('base64');
    expect(scanScenarioText(withBody(key), 'key.yaml').map((f) => [f.rule, f.pointer])).toEqual([[SCAN_RULES.secret, '/steps/0/response/bodyBase64']]);
    const phone = Buffer.from(`\u0000\u0002caller ${international(LV_MOBILE)}\u0000`).toString('base64');
    expect(scanScenarioText(withBody(phone), 'phone.yaml').map((f) => [f.rule, f.pointer])).toEqual([[SCAN_RULES.phone, '/steps/0/response/bodyBase64']]);
  });

  it('walks nested folders and JSON files', () => {
    const root = path.join(temp, 'nested');
    fs.mkdirSync(path.join(root, 'a', 'b'), { recursive: true });
    fs.writeFileSync(path.join(root, 'a', 'b', 'x.json'), JSON.stringify({ caller: international(LV_MOBILE) }));
    fs.writeFileSync(path.join(root, 'a', 'notes.txt'), international(LV_MOBILE));
    expect(listScanFiles(root)).toEqual([path.join(root, 'a', 'b', 'x.json')]);
    expect(scanScenarios(root).map((f) => f.pointer)).toEqual(['/caller']);
  });
});
