/**
 * The workflow engine without servers: what it refuses before a flow starts (with file, pointer and
 * name) and how a run proceeds (runAfter statuses, If, Compose, both addressing styles).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { afterAll, describe, expect, it } from 'vitest';
import { connector as model } from '../../connector/model/connector';
import { ACTION_TYPES } from '../../sandbox/workflow/actions';
import { ActionFailure, ok, StandInApi, type ApiCall, type ConnectorApi } from '../../sandbox/workflow/apis';
import { WorkflowEngine } from '../../sandbox/workflow/engine';
import { prepareWorkflow } from '../../sandbox/workflow/host';
import { loadWorkflow } from '../../sandbox/workflow/load';
import { excelStandIn } from '../../sandbox/workflow/stand-ins/excel';
import { ThisConnectorApi } from '../../sandbox/workflow/this-connector';
import { teamsStandIn } from '../../sandbox/workflow/stand-ins/teams';
import { oneDriveStandIn } from '../../sandbox/workflow/stand-ins/onedrive';
import { buildSolution } from '../../connector/package/solution';
import { memoryWorkflow, ourConnector, ROOT } from './helpers';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'workflow-engine-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const thisApi = new ThisConnectorApi(model.brand.apiName, ourConnector(false), 'http://127.0.0.1:9');
const apis = (): Map<string, ConnectorApi> => new Map<string, ConnectorApi>([[thisApi.name, thisApi], ['excelonlinebusiness', excelStandIn(path.join(dir, 'x.xlsx'))]]);

function mutated(file: string, change: (doc: any) => void): string {
  const doc = JSON.parse(fs.readFileSync(path.join(ROOT, file), 'utf8'));
  change(doc);
  const out = path.join(dir, `${Math.random().toString(36).slice(2)}.json`);
  fs.writeFileSync(out, JSON.stringify(doc));
  return out;
}

function problemsOf(file: string): string[] {
  return prepareWorkflow(loadWorkflow(file, dir), apis(), thisApi, { now: () => 0 }).problems.map((p) => `${p.pointer} ${p.message}`);
}

const PA = 'flows/power-automate/call-answered-to-excel.json';
const ACTION = '/properties/definition/actions/Add_a_row_into_a_table';

describe('what the runtime refuses before a flow starts', () => {
  it('accepts the shipped flow as it is', () => {
    expect(problemsOf(path.join(ROOT, PA))).toEqual([]);
  });

  it.each([
    ['an unknown action type', (d: any) => (d.properties.definition.actions.Add_a_row_into_a_table.type = 'Teleport'), `${ACTION}/type action "Add_a_row_into_a_table": the action type "Teleport" is not supported`],
    ['an unknown function', (d: any) => (d.properties.definition.actions.Add_a_row_into_a_table.inputs.parameters['item/Event'] = "@utcNoww()"), `${ACTION}/inputs/parameters/item~1Event the function "utcNoww" is not supported`],
    ['an unknown operation of a stand-in', (d: any) => (d.properties.definition.actions.Add_a_row_into_a_table.inputs.host.operationId = 'AddRowV3'), `${ACTION}/inputs/host/operationId Excel Online (Business) stand-in has no operation "AddRowV3"`],
    ['an unknown parameter', (d: any) => (d.properties.definition.actions.Add_a_row_into_a_table.inputs.parameters.sheet = 'x'), `${ACTION}/inputs/parameters/sheet AddRowV2 of Excel Online (Business) stand-in has no parameter "sheet"`],
    ['a connector without a stand-in', (d: any) => {
      d.properties.connectionReferences.shared_excelonlinebusiness.api.name = 'shared_sharepointonline';
      d.properties.definition.actions.Add_a_row_into_a_table.inputs.host.apiId = '/providers/Microsoft.PowerApps/apis/shared_sharepointonline';
    }, `${ACTION}/inputs/host/connectionName the sandbox has no stand-in for the connector "sharepointonline"`],
    ['a trigger that is not a webhook', (d: any) => (d.properties.definition.triggers.When_a_call_is_answered.inputs.host.operationId = 'GetContactsByID'), '/properties/definition/triggers/When_a_call_is_answered/inputs/host/operationId "GetContactsByID" is not a webhook trigger'],
    ['a runAfter naming nothing', (d: any) => (d.properties.definition.actions.Add_a_row_into_a_table.runAfter = { Nowhere: ['Succeeded'] }), `${ACTION}/runAfter/Nowhere action "Add_a_row_into_a_table" runs after "Nowhere"`],
    ['a setting the runtime does not implement', (d: any) => (d.properties.definition.actions.Add_a_row_into_a_table.runtimeConfiguration = { concurrency: { runs: 1 } }), `${ACTION}/runtimeConfiguration/concurrency runtimeConfiguration "concurrency" is not implemented by the sandbox runtime (it runs paginationPolicy)`],
    ['Pagination on an operation that is not pageable', (d: any) => (d.properties.definition.actions.Add_a_row_into_a_table.runtimeConfiguration = { paginationPolicy: { minimumItemCount: 500 } }), `${ACTION}/runtimeConfiguration/paginationPolicy AddRowV2 of Excel Online (Business) stand-in does not declare x-ms-pageable, so the designer offers no Pagination on it`],
    ['trigger conditions', (d: any) => (d.properties.definition.triggers.When_a_call_is_answered.conditions = [{ expression: '@true' }]), '/properties/definition/triggers/When_a_call_is_answered/conditions "conditions" is not implemented by the sandbox runtime'],
    ['an unbalanced expression', (d: any) => (d.properties.definition.actions.Add_a_row_into_a_table.inputs.parameters['item/Event'] = "@{triggerBody()?['eventType']"), `${ACTION}/inputs/parameters/item~1Event "@{triggerBody()?['eventType']": "@{" at 0 is never closed`],
  ])('%s', (_what, change, expected) => {
    const problems = problemsOf(mutated(PA, change));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(expected);
  });

  it('an action name used twice, once nested in an If', () => {
    const file = mutated(PA, (d: any) => {
      d.properties.definition.actions.Check = { type: 'If', runAfter: {}, expression: '@true', actions: { Add_a_row_into_a_table: { type: 'Compose', runAfter: {}, inputs: 1 } } };
    });
    expect(problemsOf(file)).toEqual([expect.stringContaining('/properties/definition/actions/Check/actions/Add_a_row_into_a_table action name "Add_a_row_into_a_table" is used twice')]);
  });

  it('accepts the flows as the solution ships them (rebranded, under their solution file names)', () => {
    const flows = fs.readdirSync(path.join(ROOT, 'flows/power-automate')).filter((f) => f.endsWith('.json')).map((file) => ({ file, text: fs.readFileSync(path.join(ROOT, 'flows/power-automate', file), 'utf8') }));
    expect(flows.length).toBeGreaterThanOrEqual(5);
    const solution = buildSolution(model.brand, flows);
    const withTeams = apis();
    withTeams.set('teams', teamsStandIn(path.join(dir, 'teams.jsonl')));
    withTeams.set('onedriveforbusiness', oneDriveStandIn(path.join(dir, 'drive')));
    for (const f of solution.files.filter((x) => x.path.startsWith('Workflows/'))) {
      const file = path.join(dir, path.basename(f.path));
      fs.writeFileSync(file, f.content);
      expect(prepareWorkflow(loadWorkflow(file, dir), withTeams, thisApi, { now: () => 0 }).problems).toEqual([]);
    }
  });

  it('a Logic Apps subscription body that does not hand over listCallbackUrl()', () => {
    const file = path.join(dir, 'la', 'wf', 'workflow.json');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.copyFileSync(path.join(ROOT, 'flows/logic-apps/connections.json'), path.join(dir, 'la', 'connections.json'));
    const doc = JSON.parse(fs.readFileSync(path.join(ROOT, 'flows/logic-apps/call-answered-to-excel/workflow.json'), 'utf8'));
    doc.definition.triggers.When_a_call_is_answered.inputs.body.endpoint = 'https://example.invalid/hook';
    fs.writeFileSync(file, JSON.stringify(doc));
    expect(problemsOf(file)).toEqual([expect.stringContaining('/definition/triggers/When_a_call_is_answered/inputs/body the body must put @{listCallbackUrl()} into "endpoint"')]);
  });
});

describe('trigger types hand the flow runtime an operation, its inputs and the polling interval', () => {
  const triggerOf = (file: string) => prepareWorkflow(loadWorkflow(file, dir), apis(), thisApi, { now: () => 0 });

  it('OpenApiConnectionWebhook and ApiConnectionWebhook: the webhook operation, the callback left to the runtime', () => {
    expect(triggerOf(path.join(ROOT, PA)).trigger).toEqual({ operationId: 'CallConnected', inputs: {}, recurrenceMs: undefined });
    const la = triggerOf(path.join(ROOT, 'flows/logic-apps/call-answered-to-excel/workflow.json'));
    expect(la.problems).toEqual([]);
    expect(la.trigger).toMatchObject({ operationId: 'CallConnected', inputs: { body: { endpoint: expect.any(String) } } });
  });

  it('ApiConnection with recurrence: the polling operation routed by method and path, queries as inputs', () => {
    const file = path.join(dir, 'la-poll', 'wf', 'workflow.json');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.copyFileSync(path.join(ROOT, 'flows/logic-apps/connections.json'), path.join(dir, 'la-poll', 'connections.json'));
    const trigger = {
      type: 'ApiConnection',
      recurrence: { frequency: 'Minute', interval: 5 },
      splitOn: "@triggerBody()?['data']",
      inputs: { host: { connection: { referenceName: 'zvanuparvaldnieks' } }, method: 'get', path: '/trigger/call_history', queries: { limit: 20 } },
    };
    fs.writeFileSync(file, JSON.stringify({ definition: { triggers: { Poll: trigger }, actions: {} }, kind: 'Stateful' }));
    expect(triggerOf(file)).toMatchObject({ problems: [], trigger: { operationId: 'GetCallHistory', inputs: { limit: 20 }, recurrenceMs: 5 * 60_000 } });
    fs.writeFileSync(file, JSON.stringify({ definition: { triggers: { Poll: { ...trigger, splitOn: undefined } }, actions: {} } }));
    expect(triggerOf(file).problems.map((p) => p.pointer)).toEqual(['/definition/triggers/Poll/splitOn']);
  });
});

describe('a run', () => {
  const calls: ApiCall[] = [];
  const fake = new StandInApi('fake', 'fake API', [
    { operationId: 'Echo', method: 'post', path: '/echo/{id}', body: 'body', run: (c) => (calls.push(c), ok({ echoed: c.body ?? null, id: c.params.id ?? null })) },
    { operationId: 'Fail', method: 'post', path: '/fail', run: () => { throw new ActionFailure(500, 'it broke'); } },
  ]);
  const open = (operationId: string, parameters: Record<string, unknown> = {}, runAfter: Record<string, string[]> = {}) => ({ type: 'OpenApiConnection', runAfter, inputs: { host: { connectionName: 'c', operationId }, parameters } });
  const engine = (actions: Record<string, unknown>) => {
    const e = new WorkflowEngine(memoryWorkflow(actions, { api: 'fake' }), ACTION_TYPES, new Map([['fake', fake]]), { now: () => 0 });
    expect(e.validate(() => undefined)).toEqual([]);
    return e;
  };

  it('follows runAfter: skips after a failure unless the action runs on Failed, and fails the run when nothing handles it', async () => {
    const run = await engine({
      A: open('Fail'),
      B: open('Echo', { 'body/x': 1 }, { A: ['Succeeded'] }),
      C: { type: 'Compose', runAfter: { A: ['Failed'] }, inputs: "@{actions('A')?['status']} then compose" },
    }).run('t', { headers: {}, body: {} });
    expect(run.actions.map((a) => `${a.name}:${a.status}`)).toEqual(['A:Failed', 'B:Skipped', 'C:Succeeded']);
    expect(run.actions[2].outputs).toBe('Failed then compose');
    expect(run.status).toBe('Succeeded'); // C handles A's failure

    const unhandled = await engine({ A: open('Fail') }).run('t', { headers: {}, body: {} });
    expect(unhandled).toMatchObject({ status: 'Failed', error: 'A: it broke' });
  });

  it('If picks a branch by the designer condition form; body() and outputs() read earlier actions', async () => {
    const run = await engine({
      First: open('Echo', { id: "@triggerBody()?['id']", 'body/n': "@triggerBody()?['n']" }),
      Check: {
        type: 'If',
        runAfter: { First: ['Succeeded'] },
        expression: { and: [{ greater: ["@body('First')?['echoed']?['n']", 2] }, { equals: ["@outputs('First')?['statusCode']", 200] }] },
        actions: { Big: { type: 'Compose', runAfter: {}, inputs: 'big' } },
        else: { actions: { Small: { type: 'Compose', runAfter: {}, inputs: 'small' } } },
      },
    }).run('t', { headers: {}, body: { id: 'a/b', n: 5 } });
    expect(run.actions.map((a) => `${a.name}:${a.status}`)).toEqual(['First:Succeeded', 'Big:Succeeded', 'Check:Succeeded']);
    expect(calls.at(-1)).toEqual({ operationId: 'Echo', params: { id: 'a/b' }, body: { n: 5 } });
  });

  it('ApiConnection routes method and path (decoding Excel-style double encoding) to the same operation', async () => {
    const run = await engine({
      A: { type: 'ApiConnection', runAfter: {}, inputs: { host: { connection: { referenceName: 'c' } }, method: 'post', path: "/echo/@{encodeURIComponent(triggerBody()?['id'])}", body: { k: '@triggerBody()' } } },
    }).run('t', { headers: {}, body: { id: 'x y' } });
    expect(run.status).toBe('Succeeded');
    expect(run.actions[0].outputs).toMatchObject({ statusCode: 200, body: { id: 'x y', echoed: { k: { id: 'x y' } } } });
  });
});
