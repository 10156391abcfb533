import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  listScenarios,
  loadScenario,
  parseScenario,
  readScenarioFile,
  ScenarioError,
  serializeScenario,
  writeScenario,
  type ExchangeScenario,
} from '../../contract/scenario';

const VALID = `operationId: GetGroupByID
name: found
kind: success
source: hand-written
description: A group.
inputs:
  group_id: 11
steps:
  - request:
      method: GET
      path: /api/v2/groups/11
      headers:
        authorization: Bearer <redacted>
      body: null
    response:
      status: 200
      body:
        data:
          groupID: 11
          name: "Pārdošana"
`;

function errorOf(fn: () => unknown): ScenarioError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ScenarioError) return e;
    throw e;
  }
  throw new Error('expected a ScenarioError');
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'scenarios-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('scenario loader', () => {
  it('loads a valid scenario and fills empty query/headers', () => {
    const { scenario } = parseScenario(VALID, 'found.yaml');
    expect(scenario.kind).toBe('success');
    const s = scenario as ExchangeScenario;
    expect(s.steps[0].request.query).toEqual({});
    expect(s.steps[0].response.headers).toEqual({});
    expect(s.steps[0].response.body).toEqual({ data: { groupID: 11, name: 'Pārdošana' } });
  });

  it('names the file, the line and the JSON pointer of a malformed field', () => {
    const e = errorOf(() => parseScenario(VALID.replace('status: 200', 'status: OK'), 'test/scenarios/GetGroupByID/found.yaml'));
    expect(e.file).toBe('test/scenarios/GetGroupByID/found.yaml');
    expect(e.pointer).toBe('/steps/0/response/status');
    expect(e.line).toBe(VALID.split('\n').findIndex((l) => l.includes('status: 200')) + 1);
    expect(e.message).toMatch(/^test\/scenarios\/GetGroupByID\/found\.yaml:\d+: \/steps\/0\/response\/status: expected a final HTTP status code/);
  });

  it('lists every problem, not only the first', () => {
    const text = VALID.replace('kind: success', 'kind: happy').replace('method: GET', 'method: get').replace('source: hand-written', 'source: guessed');
    const e = errorOf(() => parseScenario(text, 'x.yaml'));
    expect(e.message).toContain('/kind: expected one of success | empty | error | event');
    expect(e.message).toMatch(/\n {2}x\.yaml:4: \/source: expected one of hand-written \| recorded/);
    expect(e.message).toContain('/steps/0/request/method: expected an upper-case HTTP method');
  });

  it('reports YAML syntax errors with the line', () => {
    const e = errorOf(() => parseScenario('operationId: X\nsteps: [\n  - a: 1\n', 'broken.yaml'));
    expect(e.message).toMatch(/^broken\.yaml:\d+: \(document\): not valid YAML/);
  });

  it('refuses a stored API key, unknown keys, missing bodies and unquoted numeric query values', () => {
    const withKey = VALID.replace('Bearer <redacted>', 'Bearer abcdef123456');
    expect(errorOf(() => parseScenario(withKey, 'k.yaml')).pointer).toBe('/steps/0/request/headers/authorization');
    expect(errorOf(() => parseScenario(VALID.replace('inputs:', 'inptus:'), 'u.yaml')).message).toContain('unknown key "inptus"');
    expect(errorOf(() => parseScenario(VALID.replace('      body: null\n', ''), 'b.yaml')).pointer).toBe('/steps/0/request/body');
    const numericQuery = VALID.replace('      headers:\n        authorization', '      query:\n        limit: 10\n      headers:\n        authorization');
    expect(errorOf(() => parseScenario(numericQuery, 'q.yaml')).message).toContain('/steps/0/request/query/limit: expected a string value (quote numbers');
  });

  it('requires event scenarios to carry the event body', () => {
    const e = errorOf(() => parseScenario('operationId: CallStarted\nname: x\nkind: event\nsource: hand-written\ndescription: d\n', 'e.yaml'));
    expect(e.pointer).toBe('/event');
  });

  it('checks that the folder and file name match operationId and name', () => {
    const dir = path.join(tmp, 'mismatch', 'GetContactsByID');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'other-name.yaml'), VALID);
    const e = errorOf(() => readScenarioFile(path.join(dir, 'other-name.yaml')));
    expect(e.message).toContain('the file lives in folder "GetContactsByID" but declares operationId "GetGroupByID"');
    expect(e.message).toContain('the file is named "other-name.yaml" but declares name "found"');
  });

  it('loads by operationId and name, and explains an unknown name', () => {
    const root = path.join(tmp, 'api');
    const s = parseScenario(VALID, 'found.yaml').scenario;
    writeScenario(s, root);
    expect(loadScenario('GetGroupByID', 'found', root)).toEqual(s);
    expect(listScenarios(root).map((l) => l.scenario.name)).toEqual(['found']);
    expect(errorOf(() => loadScenario('GetGroupByID', 'missing', root)).message).toContain('(known: found)');
    expect(errorOf(() => loadScenario('Dial', 'x', root)).message).toContain('no scenarios for this operation');
  });
});

describe('scenario serializer', () => {
  it('is deterministic: key order of the input does not matter, and query/headers are sorted', () => {
    const s = parseScenario(VALID, 'found.yaml').scenario as ExchangeScenario;
    const shuffled = {
      steps: [{ response: s.steps[0].response, request: { ...s.steps[0].request, query: { z: '1', a: '2' } } }],
      inputs: s.inputs,
      description: s.description,
      source: s.source,
      kind: s.kind,
      name: s.name,
      operationId: s.operationId,
    } as ExchangeScenario;
    const ordered = { ...s, steps: [{ ...s.steps[0], request: { ...s.steps[0].request, query: { a: '2', z: '1' } } }] };
    expect(serializeScenario(shuffled)).toBe(serializeScenario(ordered));
    expect(serializeScenario(ordered)).toMatch(/^operationId: GetGroupByID\nname: found\nkind: success\nsource: hand-written\n/);
    expect(serializeScenario(ordered)).toMatch(/query:\n\s+a: "2"\n\s+z: "1"\n/);
    expect(serializeScenario(ordered).endsWith('\n')).toBe(true);
  });

  it('keeps strings that look like numbers as strings, and raw bodies as text', () => {
    const s = parseScenario(VALID, 'found.yaml').scenario as ExchangeScenario;
    const html = '<html>\n<body>Kļūda</body>\n</html>\n';
    const odd = { ...s, steps: [{ ...s.steps[0], response: { status: 500, headers: {}, body: html } }], inputs: { destination: '+37100000001', limit: '0123' } };
    const back = parseScenario(serializeScenario(odd), 'found.yaml').scenario as ExchangeScenario;
    expect(back.inputs).toEqual({ destination: '+37100000001', limit: '0123' });
    expect(back.steps[0].response.body).toBe(html);
  });

  it('refuses to write a scenario that would not load back', () => {
    const s = parseScenario(VALID, 'found.yaml').scenario as ExchangeScenario;
    const bad = { ...s, steps: [{ ...s.steps[0], response: { ...s.steps[0].response, status: 42 } }] };
    expect(errorOf(() => serializeScenario(bad)).pointer).toBe('/steps/0/response/status');
  });
});
