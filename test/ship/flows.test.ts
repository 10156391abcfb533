/**
 * The sample flows under flows/ against the committed definition: every operation, route and
 * trigger field they reference exists. Mutated models prove the check fails when one goes away.
 */
import { brands } from '../../connector/brand';
import * as fs from 'fs';
import * as path from 'path';
import { describe, expect, it } from 'vitest';
import { connectorUses, checkFlows, powerAppsRecordKeys, triggerFieldReferences, type FlowFile } from './flow-references';
import { ANSWERED_CALLS_WORKBOOK, MISSED_CALLS_WORKBOOK } from '../../sandbox/workflow/stand-ins/excel';
import { definitionOf, withoutEventField, withoutOperation, withoutParameter } from './support';

const root = path.join(__dirname, '../..');
const flowsDir = path.join(root, 'flows');
const definition = JSON.parse(fs.readFileSync(path.join(root, 'apiDefinition.swagger.json'), 'utf8')) as Record<string, unknown>;

function flowFiles(dir: string): FlowFile[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return flowFiles(full);
    if (!/\.(json|fx)$/.test(entry.name)) return [];
    return [{ name: path.relative(flowsDir, full).split(path.sep).join('/'), text: fs.readFileSync(full, 'utf8') }];
  });
}

const files = flowFiles(flowsDir);
const file = (name: string): FlowFile => {
  const found = files.find((f) => f.name === name);
  if (!found) throw new Error(`flows/${name} is missing`);
  return found;
};

describe('sample flows', () => {
  it('are all there: Power Automate, Logic Apps Standard, Power Apps', () => {
    expect(files.map((f) => f.name).sort()).toEqual([
      'logic-apps/call-answered-to-excel/workflow.json',
      'logic-apps/connections.json',
      'logic-apps/host.json',
      'logic-apps/lost-caller-to-email/workflow.json',
      'logic-apps/parameters.json',
      'logic-apps/parameters.local.json',
      'power-apps/click-to-call.fx',
      'power-automate/call-answered-to-excel.json',
      'power-automate/lost-caller-to-teams.json',
      'power-automate/missed-call-callback.json',
      'power-automate/missed-call-reached.json',
      'power-automate/recording-archive.json',
      'power-automate/weekly-call-report.json',
    ]);
    expect(fs.existsSync(path.join(flowsDir, 'README.md'))).toBe(true);
  });

  it('reference only operations, routes and trigger fields the definition has', () => {
    expect(checkFlows(files, definition)).toEqual([]);
  });

  it('bind to the intended triggers and actions', () => {
    const uses = connectorUses(files, definition).map((u) => `${u.file} ${u.operationId} ${u.isTrigger ? 'trigger' : 'action'}`);
    expect(uses.sort()).toEqual([
      'logic-apps/call-answered-to-excel/workflow.json CallConnected trigger',
      'logic-apps/lost-caller-to-email/workflow.json LostCallerAdded trigger',
      'power-apps/click-to-call.fx Dial action',
      'power-automate/call-answered-to-excel.json CallConnected trigger',
      'power-automate/lost-caller-to-teams.json LostCallerAdded trigger',
      'power-automate/missed-call-callback.json Dial action',
      'power-automate/missed-call-callback.json ListContacts action',
      'power-automate/missed-call-callback.json LostCallerAdded trigger',
      'power-automate/missed-call-reached.json ListCalls action',
      'power-automate/missed-call-reached.json ListCalls action',
      'power-automate/missed-call-reached.json ListContacts action',
      'power-automate/missed-call-reached.json LostCallerRemoved trigger',
      'power-automate/recording-archive.json CallRecorded trigger',
      'power-automate/recording-archive.json GetCallRecordingByID action',
      'power-automate/recording-archive.json GetRecordingFile action',
      'power-automate/weekly-call-report.json ListCalls action',
    ]);
  });

  it('read the recording and lost-caller fields the archive and the callback name their files and cards by', () => {
    expect(triggerFieldReferences(file('power-automate/recording-archive.json').text).sort()).toEqual(['data/callStarted', 'data/direction', 'data/recordingID']);
    expect(triggerFieldReferences(file('power-automate/missed-call-callback.json').text).sort()).toEqual(['data/attempts', 'data/callerid', 'data/destination', 'data/last_contact']);
    // LostCallerRemoved carries the caller and the number they had dialled, no more (the reference page).
    expect(triggerFieldReferences(file('power-automate/missed-call-reached.json').text).sort()).toEqual(['data/callerid']);
  });

  it('read the call and lost-caller fields of the events', () => {
    expect(triggerFieldReferences(file('power-automate/call-answered-to-excel.json').text).sort()).toEqual(
      ['data/callConnected', 'data/callID', 'data/callStarted', 'data/caller', 'data/contactID', 'data/destination', 'data/direction', 'eventType'],
    );
    expect(triggerFieldReferences(file('logic-apps/lost-caller-to-email/workflow.json').text)).toContain('data/callerid');
    expect(triggerFieldReferences(`@{triggerOutputs()?['body/data/attempts']}`)).toEqual(['data/attempts']);
    expect(powerAppsRecordKeys(file('power-apps/click-to-call.fx').text, 'Dial')).toEqual([['destination', 'contactID']]);
  });

  it('use Excel AddRowV2 and name every managed connection in connections.json', () => {
    expect(file('power-automate/call-answered-to-excel.json').text).toContain('"operationId": "AddRowV2"');
    const connections = JSON.parse(file('logic-apps/connections.json').text) as { managedApiConnections: Record<string, unknown> };
    const referenced = new Set(
      files.flatMap((f) => [...f.text.matchAll(/"referenceName": "([^"]+)"/g)].map((m) => m[1])),
    );
    expect([...referenced].sort()).toEqual(Object.keys(connections.managedApiConnections).sort());
  });

  it('fail the check when the model loses a trigger they use', () => {
    const problems = checkFlows(files, definitionOf(withoutOperation('CallConnected')));
    expect(problems).toEqual([
      'logic-apps/call-answered-to-excel/workflow.json: webhook /webhooks/CallConnected is not an operation of the definition',
      'logic-apps/call-answered-to-excel/workflow.json: reads trigger fields but has no webhook trigger of the connector',
      'power-automate/call-answered-to-excel.json: CallConnected is not an operation of the definition',
      'power-automate/call-answered-to-excel.json: reads trigger fields but has no webhook trigger of the connector',
    ]);
  });

  it('fail the check when the model loses an event field they read', () => {
    expect(checkFlows(files, definitionOf(withoutEventField('LostCallerAdded', 'attempts')))).toEqual([
      'logic-apps/lost-caller-to-email/workflow.json: LostCallerAdded has no output data/attempts',
      'power-automate/lost-caller-to-teams.json: LostCallerAdded has no output data/attempts',
      'power-automate/missed-call-callback.json: LostCallerAdded has no output data/attempts',
    ]);
    expect(checkFlows(files, definitionOf(withoutOperation('GetRecordingFile')))).toEqual([
      'power-automate/recording-archive.json: GetRecordingFile is not an operation of the definition',
    ]);
  });

  it('fail the check when Dial loses an input the Power Apps formula passes', () => {
    expect(checkFlows(files, definitionOf(withoutParameter('Dial', 'contactID')))).toEqual([
      'power-apps/click-to-call.fx: Dial has no input contactID',
    ]);
    expect(checkFlows(files, definitionOf(withoutOperation('Dial')))).toEqual([
      'power-apps/click-to-call.fx: Dial is not an operation of the definition',
      'power-automate/missed-call-callback.json: Dial is not an operation of the definition',
    ]);
  });
});

describe('the Excel table flows/README.md tells a maker to create', () => {
  const readme = fs.readFileSync(path.join(flowsDir, 'README.md'), 'utf8').replace(/\s+/g, ' ');
  const m = /a table named `([^`]+)` whose columns are ((?:`[^`]+`,? ?)+)/.exec(readme);
  const columns = m ? [...m[2].matchAll(/`([^`]+)`/g)].map((c) => c[1]) : [];

  it('is the table the sandbox writes and the package ships', () => {
    expect(m?.[1]).toBe(ANSWERED_CALLS_WORKBOOK.table);
    expect(columns).toEqual([...ANSWERED_CALLS_WORKBOOK.columns]);
  });

  it('says what the times mean for every brand: the UTC offset, no brand\'s time-zone city', () => {
    expect(readme).toContain('local time with its UTC offset');
    for (const brand of brands) expect(readme, brand.slug).not.toContain(brand.market.timeZone);
  });

  it('has exactly the columns both answered-call flows fill', () => {
    const pa = JSON.parse(file('power-automate/call-answered-to-excel.json').text);
    const paColumns = Object.keys(pa.properties.definition.actions.Add_a_row_into_a_table.inputs.parameters).filter((k) => k.startsWith('item/')).map((k) => k.slice(5));
    const la = JSON.parse(file('logic-apps/call-answered-to-excel/workflow.json').text);
    expect(paColumns).toEqual(columns);
    expect(Object.keys(la.definition.actions.Add_a_row_into_a_table.inputs.body)).toEqual(columns);
  });
});

describe('the Missed calls table flows/README.md tells a maker to create', () => {
  const readme = fs.readFileSync(path.join(flowsDir, 'README.md'), 'utf8').replace(/\s+/g, ' ');
  const m = /a table named `MissedCalls` whose columns are ((?:`[^`]+`,? ?)+)/.exec(readme);
  const columns = m ? [...m[1].matchAll(/`([^`]+)`/g)].map((c) => c[1]) : [];
  type Action = { inputs?: { host?: { operationId: string }; parameters: Record<string, unknown> }; actions?: Record<string, Action>; else?: { actions?: Record<string, Action> } };
  /** Every action of a flow, those inside If and For each included. */
  const actionsOf = (name: string): Record<string, Action> => {
    const all: Record<string, Action> = {};
    const walk = (map: Record<string, Action> | undefined) => {
      for (const [key, a] of Object.entries(map ?? {})) {
        all[key] = a;
        walk(a.actions);
        walk(a.else?.actions);
      }
    };
    walk(JSON.parse(file(name).text).properties.definition.actions);
    return all;
  };
  const callback = actionsOf('power-automate/missed-call-callback.json');
  const reached = actionsOf('power-automate/missed-call-reached.json');
  const using = (actions: Record<string, Action>, operationId: string) => Object.values(actions).filter((a) => a.inputs?.host?.operationId === operationId);
  const filled = (actions: Record<string, Action>, operationId: string) => using(actions, operationId).flatMap((a) => Object.keys(a.inputs!.parameters).filter((k) => k.startsWith('item/')).map((k) => k.slice(5)));

  it('is the table the sandbox writes and the package ships, with every column the two flows fill', () => {
    expect(columns).toEqual([...MISSED_CALLS_WORKBOOK.columns]);
    expect(new Set([...filled(callback, 'AddRowV2'), ...filled(callback, 'PatchItem'), ...filled(reached, 'PatchItem')])).toEqual(new Set(columns));
    // The callback finds its row again by the key Add a row wrote; the reached flow by the Key of each row it listed.
    const byKey = [...using(callback, 'PatchItem'), ...using(callback, 'GetItem')];
    expect(byKey.length).toBe(4);
    for (const a of byKey) expect([a.inputs!.parameters.idColumn, a.inputs!.parameters.id]).toEqual(['Key', callback.Add_a_row_into_a_table.inputs!.parameters['item/Key']]);
    expect(using(reached, 'PatchItem').map((a) => [a.inputs!.parameters.idColumn, a.inputs!.parameters.id])).toEqual([['Key', "@items('For_each_row_not_yet_reached')?['Key']"]]);
    // The Key starts with the caller's number and a space: what the reached flow lists the caller's rows by.
    expect(callback.Add_a_row_into_a_table.inputs!.parameters['item/Key']).toMatch(/^@\{triggerBody\(\)\?\['data'\]\?\['callerid'\]\} /);
    expect(reached.Rows_of_the_caller.inputs!.parameters.$filter).toBe("startswith(Key, '@{triggerBody()?['data']?['callerid']} ')");
  });
});
