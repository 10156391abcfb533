// List actions and dropdowns end to end: gateway → script.csx (Mono) → mock PBX. Following nextLink
// through the connector reads the list exactly as it was at the first page, while calls arrive.
import { describe, expect, it } from 'vitest';
import { send } from '../../sandbox/http';
import { ourConnector, useSandboxes, useScriptHost } from './helpers';

const host = useScriptHost();
const start = useSandboxes();
const ours = ourConnector(true);

interface Page {
  data: Array<Record<string, unknown>>;
  nextLink?: string;
  snapshotId?: number;
}

async function get(url: string): Promise<Page> {
  const res = await send({ method: 'GET', url });
  expect(res.status, res.body).toBe(200);
  return JSON.parse(res.body) as Page;
}

describe('list actions through the connector', () => {
  it('following nextLink reads every call of the first page\'s snapshot once, newest first, while calls keep arriving', async () => {
    const sb = await start({ connector: ours, scriptHost: host() });
    const before = sb.store.view('calls').map((c) => c.callID).sort((a, b) => b - a);
    const pages: Page[] = [];
    let url: string | undefined = `${sb.connection.url}${ours.buildCall('ListCalls', { limit: 7 }).path}`;
    while (url) {
      const page = await get(url);
      pages.push(page);
      sb.addAnsweredCalls(3); // arrive between every two pages
      url = page.nextLink;
      expect(pages.length).toBeLessThan(20);
    }
    const got = pages.flatMap((p) => p.data.map((c) => c.callID as number));
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
      got.push(...page.data.map((c) => c.callID as number));
      url = page.nextLink;
    }
    expect(got).toEqual(incoming);
  });

  it('a dropdown lists every employee with name and number, sorted by title', async () => {
    const sb = await start({ connector: ours, scriptHost: host() });
    const page = await get(`${sb.connection.url}${ours.buildCall('ListContactChoices', {}).path}`);
    const contacts = sb.store.view('contacts');
    expect(page.data).toHaveLength(contacts.length);
    for (const c of contacts) expect(page.data).toContainEqual({ id: c.contactID, title: expect.stringContaining(`${c.firstname} ${c.lastname} (${c.number})`) });
  });
});
