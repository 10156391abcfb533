/**
 * The Logic Apps Standard project of flows/logic-apps/ against the steps flows/README.md gives:
 * every managed connection is named by the WORKFLOWS_* app settings and its own runtime-URL setting,
 * authenticates through a parameter that is the managed identity in parameters.json and a connection
 * key in parameters.local.json, and every app setting the files read is one the steps tell a maker
 * to set. Then the weekly report's stated ceiling against the flow's own limits.
 */
import * as fs from 'fs';
import * as path from 'path';
import { describe, expect, it } from 'vitest';
import { durationMs } from '../../sandbox/workflow/loops';

const root = path.join(__dirname, '../..');
const dir = path.join(root, 'flows', 'logic-apps');
const readJson = (file: string) => JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as Record<string, any>;
const readme = fs.readFileSync(path.join(root, 'flows', 'README.md'), 'utf8');
const section = (heading: string): string => {
  const start = readme.indexOf(`## ${heading}`);
  expect(start, heading).toBeGreaterThan(0);
  const next = readme.indexOf('\n## ', start + 1);
  return readme.slice(start, next < 0 ? undefined : next);
};

const connections = readJson('connections.json').managedApiConnections as Record<string, any>;
const azure = readJson('parameters.json');
const local = readJson('parameters.local.json');
const steps = section('Logic Apps Standard, step by step');

/** Every `appsetting('X')` a text reads. */
const appSettings = (text: string): string[] => [...text.matchAll(/appsetting\('([^']+)'\)/g)].map((m) => m[1]);

describe('Logic Apps Standard: connections.json, the parameter files and the steps agree', () => {
  it('names every managed connection the workflows use', () => {
    const referenced = new Set<string>();
    for (const wf of fs.readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory())) {
      const text = fs.readFileSync(path.join(dir, wf.name, 'workflow.json'), 'utf8');
      for (const m of text.matchAll(/"referenceName": "([^"]+)"/g)) referenced.add(m[1]);
    }
    expect(Object.keys(connections).sort()).toEqual([...referenced].sort());
    for (const name of Object.keys(connections)) expect(steps, name).toContain(`\`${name}\``);
  });

  it("takes each connection's ids from the WORKFLOWS_* settings and its runtime URL from its own setting", () => {
    for (const [name, c] of Object.entries(connections)) {
      expect(c.api.id).toBe(`/subscriptions/@{appsetting('WORKFLOWS_SUBSCRIPTION_ID')}/providers/Microsoft.Web/locations/@{appsetting('WORKFLOWS_LOCATION_NAME')}/managedApis/${name}`);
      expect(c.connection.id).toBe(`/subscriptions/@{appsetting('WORKFLOWS_SUBSCRIPTION_ID')}/resourceGroups/@{appsetting('WORKFLOWS_RESOURCE_GROUP_NAME')}/providers/Microsoft.Web/connections/${name}`);
      expect(c.connectionRuntimeUrl).toBe(`@appsetting('${name.toUpperCase()}_CONNECTION_RUNTIME_URL')`);
    }
  });

  it('authenticates through a parameter: the managed identity in Azure, a connection key for local runs', () => {
    for (const [name, c] of Object.entries(connections)) {
      const parameter = `${name}-Authentication`;
      expect(c.authentication).toBe(`@parameters('${parameter}')`);
      expect(azure[parameter]).toEqual({ type: 'Object', value: { type: 'ManagedServiceIdentity' } });
      expect(local[parameter]).toEqual({ type: 'Object', value: { type: 'Raw', scheme: 'Key', parameter: `@appsetting('${name}-connectionKey')` } });
    }
    expect(Object.keys(azure).sort()).toEqual(Object.keys(connections).map((n) => `${n}-Authentication`).sort());
    expect(Object.keys(local).sort()).toEqual(Object.keys(azure).sort());
  });

  it('reads only app settings the steps tell a maker to set, and the steps cover V2 connections, access policies and connection keys', () => {
    const read = new Set([...appSettings(JSON.stringify(connections)), ...appSettings(JSON.stringify(local))]);
    expect([...read].filter((s) => s.startsWith('WORKFLOWS_')).sort()).toEqual(['WORKFLOWS_LOCATION_NAME', 'WORKFLOWS_RESOURCE_GROUP_NAME', 'WORKFLOWS_SUBSCRIPTION_ID']);
    for (const setting of read) expect(steps, setting).toContain(setting);
    // Azure's settings are set with az logicapp config appsettings set; the keys only locally.
    const azureSettings = appSettings(JSON.stringify(connections));
    const set = /az logicapp config appsettings set[^`]*/.exec(steps)?.[0] ?? '';
    for (const setting of azureSettings) expect(set, setting).toContain(`${setting}=`);
    expect(steps).toContain('"kind": "V2"');
    expect(steps).toMatch(/connections\/<connection>\/accessPolicies\/<object id>/);
    expect(steps).toContain('listConnectionKeys');
    expect(steps).toContain('parameters.local.json');
  });
});

describe("the weekly report's stated ceiling", () => {
  const flow = JSON.parse(fs.readFileSync(path.join(root, 'flows', 'power-automate', 'weekly-call-report.json'), 'utf8'));
  const actions = flow.properties.definition.actions as Record<string, any>;
  const loop = Object.values(actions).find((a) => a.type === 'Until');
  const list = Object.values(loop.actions as Record<string, any>).find((a) => a.inputs?.host?.operationId === 'ListCalls');
  const ceiling = section("The weekly report's ceiling");
  const figure = (pattern: RegExp): number => Number(pattern.exec(ceiling)?.[1].replace(/,/g, ''));
  // Excel Online (Business)'s documented throttling limit: 100 calls per connection per 60 seconds, one per row.
  const EXCEL_ROWS_PER_MINUTE = 100;

  it("states the loop's own limits and page size", () => {
    expect(ceiling).toContain(`\`limit.count\` ${loop.limit.count}`);
    expect(ceiling).toContain(`\`limit.timeout\` \`${loop.limit.timeout}\``);
    expect(ceiling).toContain(`pages of ${list.inputs.parameters.limit} calls`);
  });

  it('states ceilings that follow from them', () => {
    expect(figure(/\*\*([\d,]+) calls listed\*\*/)).toBe(loop.limit.count * list.inputs.parameters.limit);
    expect(figure(/\*\*([\d,]+) answered calls written\*\*/)).toBe((durationMs(loop.limit.timeout)! / 60_000) * EXCEL_ROWS_PER_MINUTE);
    expect(figure(/the ([\d,]+) minutes of the day/)).toBe(durationMs(loop.limit.timeout)! / 60_000);
  });

  it("says when the table, which keeps every week's rows, fills at that ceiling", () => {
    // Excel's worksheet limit; the note (A1) and the table's header (A3) take the first 3 rows of the workbook.
    const EXCEL_MAX_ROWS = 1_048_576;
    const rowsPerRun = figure(/\*\*([\d,]+) answered calls written\*\*/);
    expect(figure(/at the ([\d,]+) answered calls a run writes at\s+most/)).toBe(rowsPerRun);
    expect(figure(/full after (\d+) such weeks/)).toBe(Math.floor((EXCEL_MAX_ROWS - 3) / rowsPerRun));
  });

  it('is the ceiling the flows table points to, not a larger promise', () => {
    const table = readme.slice(0, readme.indexOf('## Using them'));
    expect(table).toContain("[the weekly report's ceiling](#the-weekly-reports-ceiling)");
    expect(readme).not.toMatch(/500,000 calls fits/);
  });
});
