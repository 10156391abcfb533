// List actions and dropdowns end to end: gateway → script.csx (Mono) → mock PBX. Following nextLink
// through the connector reads the list exactly as it was at the first page, while calls arrive.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { connector as model } from '../../connector/model/connector';
import { send } from '../../sandbox/http';
import { defaultBindings, WorkflowHost } from '../../sandbox/workflow/host';
import { ourConnector, ROOT, useSandboxes, useScriptHost } from './helpers';

const host = useScriptHost();
const start = useSandboxes();
const ours = ourConnector(true);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'list-pagination-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** The weekly report's Monday trigger with one ListCalls action that has the designer's Pagination setting on. */
function paginatedFlow(minimumItemCount: number, limit: number): string {
  const flow = JSON.parse(fs.readFileSync(path.join(ROOT, 'flows/power-automate/weekly-call-report.json'), 'utf8'));
  const list = flow.properties.definition.actions.Until_no_next_link.actions.List_calls_of_the_week;
  flow.properties.definition.actions = {
    List_all_calls: {
      type: 'OpenApiConnection',
      runAfter: {},
      inputs: { host: list.inputs.host, parameters: { limit }, authentication: list.inputs.authentication },
      runtimeConfiguration: { paginationPolicy: { minimumItemCount } },
    },
  };
  delete flow.properties.connectionReferences.shared_excelonlinebusiness;
  const file = path.join(dir, `paginated-${minimumItemCount}-${limit}.json`);
  fs.writeFileSync(file, JSON.stringify(flow));
  return file;
}

/** A list action's page: the platform's paging shape. */
interface Page {
  value: Array<Record<string, unknown>>;
  nextLink?: string;
  snapshotId?: number;
}

async function get<T = Page>(url: string): Promise<T> {
  const res = await send({ method: 'GET', url });
  expect(res.status, res.body).toBe(200);
  return JSON.parse(res.body) as T;
}

describe('list actions through the connector', () => {
  it('following nextLink reads every call of the first page\'s snapshot once, newest first, while calls keep arriving', async () => {
    const sb = await start({ connector: ours, scriptHost: host() });
    const before = sb.store.view('calls').map((c) => c.callID).sort((a, b) => b - a);
    const pages: Page[] = [];
    let url: string | undefined = `${sb.connection.url}${ours.buildCall('ListCalls', { limit: 7 }).path}`;
    while (url) {
      const page: Page = await get(url);
      pages.push(page);
      sb.addAnsweredCalls(3); // arrive between every two pages
      url = page.nextLink;
      expect(pages.length).toBeLessThan(20);
    }
    const got = pages.flatMap((p) => p.value.map((c) => c.callID as number));
    expect(got).toEqual(before);
    expect(pages.length).toBe(Math.ceil(before.length / 7) + (before.length % 7 === 0 ? 1 : 0));
    expect(new Set(pages.map((p) => p.snapshotId))).toEqual(new Set([before[0]]));
    for (const p of pages.slice(0, -1)) expect(p.nextLink!.startsWith(sb.connection.url)).toBe(true);
  });

  it('keeps the filters on every page (incoming calls only)', async () => {
    const sb = await start({ connector: ours, scriptHost: host() });
    const incoming = sb.store.view('calls').filter((c) => c.direction === 'in').map((c) => c.callID).sort((a, b) => b - a);
    const got: number[] = [];
    let url: string | undefined = `${sb.connection.url}${ours.buildCall('ListCalls', { direction: 'in', limit: 5 }).path}`;
    while (url) {
      const page: Page = await get(url);
      got.push(...page.value.map((c) => c.callID as number));
      url = page.nextLink;
    }
    expect(got).toEqual(incoming);
  });

  it('a dropdown lists every employee with name and number, sorted by title', async () => {
    const sb = await start({ connector: ours, scriptHost: host() });
    const page = await get<{ data: Array<Record<string, unknown>> }>(`${sb.connection.url}${ours.buildCall('ListContactChoices', {}).path}`);
    const contacts = sb.store.view('contacts');
    expect(page.data).toHaveLength(contacts.length);
    for (const c of contacts) expect(page.data).toContainEqual({ id: c.contactID, title: expect.stringContaining(`${c.firstname} ${c.lastname} (${c.number})`) });
  });

  it("the designer's Pagination (x-ms-pageable) follows nextLink back through the connector and merges value, whole pages at a time", async () => {
    const sb = await start({ connector: ours, scriptHost: host() });
    const newest = sb.store.view('calls').map((c) => c.callID).sort((a, b) => b - a);
    const flow = await WorkflowHost.start({ sandbox: sb, connector: ours, file: paginatedFlow(20, 7), root: ROOT, bindings: defaultBindings(path.join(dir, 'pages')), apiName: model.brand.apiName });
    await sb.clock.advanceTo(Date.parse('2026-11-09T07:01:00Z'));
    await flow.stop();
    expect(flow.failedRuns.map((r) => r.error)).toEqual([]);
    const outputs = flow.runs[0].actions.find((a) => a.name === 'List_all_calls')?.outputs as unknown as { body: Page & { nextOffset?: number } };
    // Pages of 7 until at least 20: three pages, 21 calls, the newest first, none twice; the last page's link stays.
    expect(outputs.body.value.map((c) => c.callID)).toEqual(newest.slice(0, 21));
    expect(outputs.body.nextLink?.startsWith(sb.connection.url)).toBe(true);
    expect(outputs.body.nextOffset).toBe(21);
  });
});
