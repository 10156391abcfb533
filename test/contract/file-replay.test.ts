// The replay of a file operation (GetRecordingFile) against the project's definition: the committed scenarios
// pass, and each rule of a file exchange fails a scenario that breaks it.
import { describe, expect, it } from 'vitest';
import { loadProjectContract } from '../../contract/project';
import { replayScenario } from '../../contract/replay';
import { loadScenario, type ExchangeScenario, type Scenario } from '../../contract/scenario';

const def = loadProjectContract();
const scenario = (name: string): ExchangeScenario => structuredClone(loadScenario('GetRecordingFile', name)) as ExchangeScenario;
const findings = async (s: Scenario) => (await replayScenario(def, { file: 'mem.yaml', scenario: s, lineOf: () => undefined })).map((f) => `${f.rule} ${f.pointer}`);

describe('replay of a file operation', () => {
  it('the definition says GetRecordingFile answers a file, and its scenarios agree with it', async () => {
    expect(def.operation('GetRecordingFile')?.answersFile).toBe(true);
    expect(def.operation('GetCallRecordingByID')?.answersFile).toBeUndefined();
    for (const name of ['pbx-host-link', 'foreign-link', 'redirecting-link', 'missing-recording', 'oversize-file']) expect(await findings(scenario(name)), name).toEqual([]);
  });

  it('a key recorded on another host is an error, and so is a PBX-host link fetched without it', async () => {
    const foreign = scenario('foreign-link');
    foreign.steps[1].request.headers = { authorization: 'Bearer <redacted>' };
    expect(await findings(foreign)).toEqual(['contract-file /steps/1/request/headers']);
    const own = scenario('pbx-host-link');
    own.steps[1].request.headers = {};
    expect(await findings(own)).toEqual(['contract-file /steps/1/request/headers']);
  });

  it('the PBX host over plain HTTP is another place the key must not go', async () => {
    const s = scenario('pbx-host-link');
    const link = 'http://zvanuparvaldnieks.lmt.lv/api/v2/recordings/7002/audio';
    ((s.steps[0].response.body as { data: Record<string, string> }).data).recordingURL = link;
    s.steps[1].request.origin = 'http://zvanuparvaldnieks.lmt.lv';
    expect(await findings(s)).toEqual(['contract-file /steps/1/request/headers']);
  });

  it('after a redirect the next fetch is of its Location; a redirect without one is an error', async () => {
    const elsewhere = scenario('redirecting-link');
    elsewhere.steps[2].request.path = '/rec/other.wav';
    expect(await findings(elsewhere)).toEqual(['contract-file /steps/2/request']);
    const nowhere = scenario('redirecting-link');
    nowhere.steps[1].response.headers = {};
    expect(await findings(nowhere)).toEqual(['contract-file /steps/1/response/headers']);
  });

  it('the first fetch is of a link the read answered, and a "file" that is a page is an error', async () => {
    const unrelated = scenario('foreign-link');
    unrelated.steps[1].request.path = '/rec/7999.mp3';
    expect(await findings(unrelated)).toEqual(['contract-file /steps/1/request']);
    const page = scenario('foreign-link');
    page.steps[1].response.headers = { 'content-type': 'text/html' };
    expect(await findings(page)).toEqual(['contract-file /steps/1/response/headers']);
  });

  it('the read must be a GET route instance, on the PBX, with the key; its answer is checked as that route declares', async () => {
    const noRoute = scenario('pbx-host-link');
    noRoute.routedTo = '/api/v2/nowhere/7002';
    expect(await findings(noRoute)).toEqual(['contract-file /routedTo']);
    const keyless = scenario('pbx-host-link');
    keyless.steps[0].request.headers = {};
    expect(await findings(keyless)).toContain('contract-file /steps/0/request/headers');
    const broken = scenario('pbx-host-link');
    ((broken.steps[0].response.body as { data: Record<string, unknown> }).data).recordingID = 'seven';
    expect(await findings(broken)).toEqual(['contract-response-schema /steps/0/response/body/data/recordingID']);
  });
});
