// List actions, dropdowns, GetLostCalls paging and by-ID reads under every PBX profile
// (test/profiles/harness.ts): script.csx in the Mono host against the mock PBX in-process. A walk follows
// nextLink as a Do until loop or the designer would; nothing may be lost or read twice, whatever the order
// within pages, an empty page's answer, a page longer than asked or the size of the ids.
import { describe, expect, it } from 'vitest';
import { documentedLimits } from '../../connector/model/limits';
import type { MockPbx } from '../script/poll-loop';
import { CONNECTOR, useScriptHost } from '../script/helpers';
import { connectorUrl, execute, expectExactlyOnce, expectNoPbxHeaders, idsOf, itemsOf, MATRIX, mockUnder, publicIds, type Execution } from './harness';

const host = useScriptHost();

interface Walk {
  pages: Execution[];
  items: Array<Record<string, unknown>>;
}

/** Follows nextLink from `url` until a page has none; every page must be a 200 without the PBX's headers. */
async function walk(pbx: MockPbx, url: string, operationId: string, between?: () => void): Promise<Walk> {
  const pages: Execution[] = [];
  for (let next: string | undefined = url; next !== undefined; ) {
    const page = await execute(host(), pbx, next, operationId);
    pages.push(page);
    expect(page.result.status, `page ${pages.length}: ${page.result.body.slice(0, 300)}`).toBe(200);
    expectNoPbxHeaders(page.result, `page ${pages.length}`);
    const link = page.json?.nextLink;
    if (link !== undefined && link !== null) {
      expect(typeof link === 'string' && link.startsWith(`${CONNECTOR}/`), `page ${pages.length}: nextLink ${String(link)}`).toBe(true);
    }
    next = typeof link === 'string' && link !== '' ? link : undefined;
    expect(pages.length, 'pages').toBeLessThan(40);
    between?.();
  }
  return { pages, items: pages.flatMap((p) => itemsOf(p.json)) };
}

/** Adds employees until the account holds exactly `count`. */
function employees(pbx: MockPbx, count: number): number[] {
  const template = pbx.store.view('contacts')[0];
  for (let n = pbx.store.view('contacts').length; n < count; n++) {
    pbx.store.add('contacts', { ...template, contactID: undefined, firstname: `Darbinieks${n}`, number: `+37100030${String(n).padStart(3, '0')}` });
  }
  return pbx.store.view('contacts').map((c) => c.contactID);
}

describe.each(MATRIX)('PBX profile $name: list walks, dropdowns, lost calls', (profile) => {
  it('ListCalls by nextLink reads every call of the first page once while calls arrive between pages', async () => {
    const pbx = mockUnder(profile);
    const before = pbx.addCalls(75);
    const arrived: number[] = [];
    const { items } = await walk(pbx, connectorUrl('/list/call_history', { limit: '20' }), 'ListCalls', () => arrived.push(...pbx.addCalls(2)));
    const got = idsOf(items, 'callID');
    const want = publicIds(pbx, before);
    // Calls that arrived during the walk may come too (a PBX listing oldest first puts them last), once at most.
    const late = publicIds(pbx, arrived);
    expectExactlyOnce(
      got.filter((id) => !late.includes(id)),
      want,
    );
    expect(got.filter((id, i) => got.indexOf(id) !== i)).toEqual([]);
  });

  it('a walk whose last page is full ends with an empty page, not an error', async () => {
    const pbx = mockUnder(profile);
    const calls = pbx.addCalls(60);
    const { items, pages } = await walk(pbx, connectorUrl('/list/call_history', { limit: '20' }), 'ListCalls');
    expectExactlyOnce(idsOf(items, 'callID'), publicIds(pbx, calls));
    expect(pages.length).toBeGreaterThanOrEqual(3);
  });

  for (const count of [100, 200]) it(`a dropdown of exactly ${count} employees offers every one of them`, async () => {
    const pbx = mockUnder(profile);
    const all = employees(pbx, count);
    const answer = await execute(host(), pbx, connectorUrl('/choices/contacts'), 'ListContactChoices');
    expect(answer.result.status, answer.result.body.slice(0, 300)).toBe(200);
    expectNoPbxHeaders(answer.result, 'dropdown');
    expect(count).toBeLessThanOrEqual(documentedLimits.maxChoices);
    expectExactlyOnce(idsOf(itemsOf(answer.json), 'id'), publicIds(pbx, all));
  });

  it('a dropdown of a list with nothing in it is empty, not an error', async () => {
    const pbx = mockUnder(profile);
    for (const endpoint of pbx.store.all('voipEndpoints')) pbx.store.remove('voipEndpoints', endpoint.id);
    const answer = await execute(host(), pbx, connectorUrl('/choices/voip_endpoints'), 'ListVoipEndpointChoices');
    expect(answer.result.status, answer.result.body.slice(0, 300)).toBe(200);
    expect(itemsOf(answer.json)).toEqual([]);
  });

  it('GetLostCalls by nextLink reads every lost caller once, the last page full', async () => {
    const pbx = mockUnder(profile);
    const callers = Array.from({ length: 20 }, (_, i) => `+37100040${String(i).padStart(3, '0')}`);
    callers.forEach((callerid, i) =>
      pbx.store.add('lostCalls', { contact_name: '', destination: '+37100001000', attempts: 1, callerid, last_contact: `2026-11-02T0${Math.floor(i / 10)}:${String(i % 10).padStart(2, '0')}:00+02:00` }),
    );
    const { items } = await walk(pbx, connectorUrl('/lost_calls', { limit: '10' }), 'GetLostCalls');
    expectExactlyOnce(
      items.map((l) => String(l.callerid)),
      callers,
    );
  });

  it('a by-ID read answers the item with its id exactly as the PBX wrote it; a missing ID stays a 404', async () => {
    const pbx = mockUnder(profile);
    const [id] = pbx.addCalls(1);
    const found = await execute(host(), pbx, connectorUrl(`/call_history/${pbx.api.publicId(id)}`), 'GetCallHistoryItemByID');
    expect(found.result.status, found.result.body.slice(0, 300)).toBe(200);
    expectNoPbxHeaders(found.result, 'by-ID read');
    expect(String((found.json?.data as Record<string, unknown>).callID)).toBe(pbx.api.publicId(id));
    const missing = await execute(host(), pbx, connectorUrl(`/call_history/${pbx.api.publicId(id + 1000)}`), 'GetCallHistoryItemByID');
    expect(missing.result.status).toBe(404);
    expectNoPbxHeaders(missing.result, 'by-ID 404');
  });
});
