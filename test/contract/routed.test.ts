/**
 * Routed scenarios (list actions, dropdowns): script.csx sends the call to the trigger's PBX list, so
 * the replay checks the route, that every filter reaches the PBX unchanged, and the PBX's answer
 * against the route's declared response. Each broken variant of a committed scenario is a finding.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadProjectDefinition, type ContractDefinition } from '../../lib/definition';
import { replayScenario } from '../../contract/replay';
import * as path from 'node:path';
import { parseScenario, readScenarioFile, SCENARIO_ROOT, type ExchangeScenario, type LoadedScenario } from '../../contract/scenario';

const committed = (operationId: string, name: string) => readScenarioFile(path.join(SCENARIO_ROOT, operationId, `${name}.yaml`));

let def: ContractDefinition;
beforeAll(() => {
  def = loadProjectDefinition();
});

function variant(change: (s: ExchangeScenario) => void): LoadedScenario {
  const loaded = committed('ListCalls', 'second-page');
  const scenario = structuredClone(loaded.scenario) as ExchangeScenario;
  change(scenario);
  return { ...loaded, scenario };
}
const findings = async (l: LoadedScenario) => (await replayScenario(def, l)).map((f) => `${f.rule} ${f.pointer}`);

describe('routed replay', () => {
  it('the committed scenario replays clean: two PBX exchanges of one call', async () => {
    expect(await findings(variant(() => undefined))).toEqual([]);
  });

  it('a filter the script changed on its way to the PBX is a finding on that step', async () => {
    expect(await findings(variant((s) => (s.steps[1].request.query.direction = 'out')))).toEqual(['contract-request-mismatch /steps/1/request/query/direction']);
  });

  it('a step on another PBX path than the route is a finding', async () => {
    expect(await findings(variant((s) => (s.steps[0].request.path = '/api/v2/lost_calls')))).toContain('contract-request-mismatch /steps/0/request/path');
  });

  it('a route no GET operation declares is a finding (the PBX answer would have no shape)', async () => {
    expect(await findings(variant((s) => (s.routedTo = '/api/v2/trigger/nowhere')))).toContain('contract-request-mismatch /routedTo');
  });

  it("the PBX's answer is checked against the route's declared list (a call without its id)", async () => {
    const broken = variant((s) => {
      const body = s.steps[1].response.body as { data: Array<Record<string, unknown>> };
      delete body.data[0].callID;
    });
    expect(await findings(broken)).toContain('contract-response-schema /steps/1/response/body/data/0/callID');
  });

  it('dropdown items that are not {id, title} fail the operation\'s own schema', async () => {
    const loaded = committed('ListGroupChoices', 'all-items');
    const scenario = structuredClone(loaded.scenario) as ExchangeScenario;
    scenario.steps[0].expect = { data: [{ id: 'one', title: 'Pārdošana' }] };
    expect(await findings({ ...loaded, scenario })).toEqual(['contract-response-schema /steps/0/expect/data/0/id']);
  });

  it('the format refuses a relative route and a next link that is not a map of strings', () => {
    const text = (routedTo: string, nextLink: string) =>
      `operationId: ListCalls\nname: x\nkind: success\nsource: hand-written\ndescription: x\ninputs: {}\nroutedTo: ${routedTo}\nsteps:\n  - request: {method: GET, path: /api/v2/trigger/call_history, body: null}\n    response: {status: 200, body: null}\n    expect: {nextLink: ${nextLink}}\n`;
    expect(() => parseScenario(text('trigger/call_history', 'null'), 'x.yaml')).toThrow(/\/routedTo/);
    expect(() => parseScenario(text('/api/v2/trigger/call_history', '{offset: 2}'), 'x.yaml')).toThrow(/nextLink\/offset/);
  });
});
