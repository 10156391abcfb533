// List actions, GetLostCalls paging and the dropdown lists, through script.csx in the Mono host.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { collectionInitializer, scanCSharp } from '../../checks/csharp';
import { documentedLimits } from '../../connector/model/limits';
import { listActions } from '../../connector/operations/lists';
import { pickerOperations } from '../../connector/operations/pickers';
import type { JsonValue } from '../../contract/scenario';
import { calls, CONNECTOR, envelope, errorEnvelope, get, ids, range, run, useScriptHost } from './helpers';

const host = useScriptHost();
const LIST = '/list/call_history';
const HISTORY = '/trigger/call_history';

const list = (query: Record<string, string>, steps: ReturnType<typeof get>[]) => run(host(), { operationId: 'ListCalls', path: LIST, query }, steps);

/** The next link's query as a plain object (and its path), or undefined. */
function nextLink(json: Record<string, unknown> | undefined): { base: string; query: Record<string, string> } | undefined {
  const link = json?.nextLink;
  if (typeof link !== 'string') return undefined;
  const url = new URL(link);
  return { base: `${url.origin}${url.pathname}`, query: Object.fromEntries(url.searchParams) };
}

describe('list actions: one page, newest first, a next link through the connector', () => {
  // The script asks the PBX for Page Size + 2 items, so that the page's last items are known to come before anything
  // unread (the PBX may list an item a place or two from where its id puts it).
  it('sends the filters unchanged to the trigger route with the cursor at 0, reads the second PBX page to learn the order, and links the next page with the snapshot pinned', async () => {
    const result = await list({ direction: 'in', date_from: '2024-03-01T00:00:00+02:00', limit: '3' }, [
      get(HISTORY, { direction: 'in', date_from: '2024-03-01T00:00:00+02:00', initial_call_id: '0', limit: '5', offset: '0' }, 200, envelope(calls([105, 104, 103, 102, 101]))),
      get(HISTORY, { direction: 'in', date_from: '2024-03-01T00:00:00+02:00', initial_call_id: '0', limit: '5', offset: '5' }, 200, envelope(calls([100, 99, 98, 97, 96]))),
    ]);
    expect(result.status).toBe(200);
    // The platform's paging shape: the items in value, the next page in nextLink; no PBX envelope, no data.
    expect(Object.keys(result.json ?? {}).sort()).toEqual(['lastId', 'nextLink', 'nextOffset', 'snapshotId', 'value']);
    expect(ids(result.json?.value)).toEqual([105, 104, 103]);
    expect(result.json).toMatchObject({ snapshotId: 105, nextOffset: 3, lastId: 103 });
    expect(nextLink(result.json)).toEqual({
      base: `${CONNECTOR}${LIST}`,
      query: { direction: 'in', date_from: '2024-03-01T00:00:00+02:00', limit: '3', offset: '3', snapshot_id: '105', after_id: '103' },
    });
  });

  it('a later page leaves out what newer calls pushed onto it (already delivered) and reads on, in one execution', async () => {
    // Two calls (107, 106) arrived after the first page [105, 104, 103]: the list moved down by two.
    const result = await list({ limit: '3', offset: '3', snapshot_id: '105', after_id: '103' }, [
      get(HISTORY, { initial_call_id: '0', limit: '5', offset: '3' }, 200, envelope(calls([104, 103, 102, 101, 100]))),
      get(HISTORY, { initial_call_id: '0', limit: '5', offset: '8' }, 200, envelope(calls([99, 98, 97, 96, 95]))),
    ]);
    expect(ids(result.json?.value)).toEqual([102, 101, 100]);
    // The next page starts where the first item not delivered (99) was read.
    expect(result.json).toMatchObject({ snapshotId: 105, nextOffset: 8, lastId: 100 });
    expect(nextLink(result.json)?.query).toEqual({ limit: '3', offset: '8', snapshot_id: '105', after_id: '100' });
    expect(result.logs.map((l) => l.message).join('\n')).toMatch(/2 delivered before or added after the first page, left out/);
  });

  it('a call that moved down between two reads of one execution is delivered once', async () => {
    // Reading on from offset 8 after one call arrived mid-call: 99 comes again.
    const result = await list({ limit: '3', offset: '3', snapshot_id: '105', after_id: '103' }, [
      get(HISTORY, { initial_call_id: '0', limit: '5', offset: '3' }, 200, envelope(calls([103, 102, 101, 100, 99]))),
      get(HISTORY, { initial_call_id: '0', limit: '5', offset: '8' }, 200, envelope(calls([99, 98, 97, 96, 95]))),
    ]);
    expect(ids(result.json?.value)).toEqual([102, 101, 100]);
    expect(nextLink(result.json)?.query).toEqual({ limit: '3', offset: '7', snapshot_id: '105', after_id: '100' });
  });

  it('leaves out calls newer than the snapshot, however far they pushed the list', async () => {
    // Five calls arrived; reading at offset 3 meets two of them (they are above the pin) before the old ones.
    const result = await list({ limit: '2', offset: '3', snapshot_id: '105', after_id: '104' }, [
      get(HISTORY, { initial_call_id: '0', limit: '4', offset: '3' }, 200, envelope(calls([107, 106, 105, 104]))),
      get(HISTORY, { initial_call_id: '0', limit: '4', offset: '7' }, 200, envelope(calls([103, 102, 101, 100]))),
    ]);
    expect(ids(result.json?.value)).toEqual([103, 102]);
    expect(nextLink(result.json)?.query).toEqual({ limit: '2', offset: '9', snapshot_id: '105', after_id: '102' });
  });

  it('the page is cut by id whatever the order within the PBX\'s pages, and its last items wait when they may be out of place', async () => {
    // Neighbours swapped, also across the two PBX pages (98 is listed after 97).
    const result = await list({ limit: '4', offset: '0', snapshot_id: '0', after_id: '0' }, [
      get(HISTORY, { initial_call_id: '0', limit: '6', offset: '0' }, 200, envelope(calls([104, 103, 101, 102, 99, 97]))),
      get(HISTORY, { initial_call_id: '0', limit: '6', offset: '6' }, 200, envelope(calls([98, 100, 96, 95, 94, 93]))),
    ]);
    expect(ids(result.json?.value)).toEqual([104, 103, 102, 101]);
    expect(result.json).toMatchObject({ snapshotId: 104, lastId: 101, nextOffset: 4 });
  });

  it('Snapshot ID alone pins the list: calls above it are left out even with After ID 0', async () => {
    const result = await list({ limit: '2', offset: '0', snapshot_id: '105', after_id: '0' }, [
      get(HISTORY, { initial_call_id: '0', limit: '4', offset: '0' }, 200, envelope(calls([107, 106, 105, 104]))),
      get(HISTORY, { initial_call_id: '0', limit: '4', offset: '4' }, 200, envelope(calls([103, 102, 101, 100]))),
    ]);
    expect(ids(result.json?.value)).toEqual([105, 104]);
    expect(result.json).toMatchObject({ snapshotId: 105, lastId: 104 });
  });

  it(`reads at most ${3} PBX pages per call; pages of skipped items then answer fewer items and link on`, async () => {
    const pages = [3, 7, 11].map((offset) => get(HISTORY, { initial_call_id: '0', limit: '4', offset: String(offset) }, 200, envelope(calls([130 - offset, 129 - offset, 128 - offset, 127 - offset]))));
    const result = await list({ limit: '2', offset: '3', snapshot_id: '100', after_id: '90' }, pages);
    expect(result.status).toBe(200);
    expect(result.json?.value).toEqual([]);
    expect(nextLink(result.json)?.query).toEqual({ limit: '2', offset: '15', snapshot_id: '100', after_id: '90' });
  });

  it('has no next link on the last page (shorter than asked)', async () => {
    const result = await list({ limit: '3', offset: '3', snapshot_id: '105', after_id: '103' }, [
      get(HISTORY, { initial_call_id: '0', limit: '5', offset: '3' }, 200, envelope(calls([102, 101]))),
    ]);
    expect(ids(result.json?.value)).toEqual([102, 101]);
    expect(result.json).not.toHaveProperty('nextLink');
    expect(result.json).not.toHaveProperty('nextOffset');
    expect(result.json?.snapshotId).toBe(105);
  });

  it('Snapshot ID and After ID 0 are the first page (a Do until loop starts from variables set to 0)', async () => {
    const result = await list({ limit: '2', offset: '0', snapshot_id: '0', after_id: '0' }, [
      get(HISTORY, { initial_call_id: '0', limit: '4', offset: '0' }, 200, envelope(calls([9, 8, 7, 6]))),
      get(HISTORY, { initial_call_id: '0', limit: '4', offset: '4' }, 200, envelope(calls([5, 4, 3, 2]))),
    ]);
    expect(result.json).toMatchObject({ snapshotId: 9, nextOffset: 2, lastId: 8 });
    expect(nextLink(result.json)?.query).toEqual({ limit: '2', offset: '2', snapshot_id: '9', after_id: '8' });
  });

  it('an empty list: value [], no next link, no snapshot', async () => {
    const result = await list({}, [get(HISTORY, { initial_call_id: '0', limit: String(documentedLimits.defaultListPageSize + 2), offset: '0' }, 200, envelope([]))]);
    expect(result.status).toBe(200);
    expect(result.json?.value).toEqual([]);
    expect(result.json).not.toHaveProperty('nextLink');
    expect(result.json).not.toHaveProperty('snapshotId');
  });

  it('a PBX that lists oldest first (told by the second page): pages run from the oldest, each sorted newest first, nothing pinned', async () => {
    const first = await list({ limit: '3' }, [
      get(HISTORY, { initial_call_id: '0', limit: '5', offset: '0' }, 200, envelope(calls([1, 2, 3, 4, 5]))),
      get(HISTORY, { initial_call_id: '0', limit: '5', offset: '5' }, 200, envelope(calls([6, 7, 8, 9, 10]))),
    ]);
    expect(ids(first.json?.value)).toEqual([3, 2, 1]);
    expect(first.json).not.toHaveProperty('snapshotId');
    expect(first.json).toMatchObject({ lastId: 3, nextOffset: 3 });
    expect(nextLink(first.json)?.query).toEqual({ limit: '3', offset: '3', after_id: '3' });
    // An After ID without a snapshot is an oldest-first walk: the next ids above it.
    const second = await list({ limit: '3', offset: '3', after_id: '3' }, [get(HISTORY, { initial_call_id: '0', limit: '5', offset: '3' }, 200, envelope(calls([4, 5, 6, 7, 8])))]);
    expect(ids(second.json?.value)).toEqual([6, 5, 4]);
    expect(nextLink(second.json)?.query).toEqual({ limit: '3', offset: '6', after_id: '6' });
  });

  it.each([
    [{ limit: '0' }, 'Page Size'],
    [{ limit: String(documentedLimits.maxListPageSize + 1) }, 'Page Size'],
    [{ offset: '-1' }, 'Offset'],
    [{ snapshot_id: 'abc' }, 'Snapshot ID'],
    [{ snapshot_id: '-5' }, 'Snapshot ID'],
    [{ after_id: '1.5' }, 'After ID'],
  ])('refuses %o with 422 naming the input, without calling the PBX', async (query, title) => {
    const result = await list(query, []);
    expect(result.status).toBe(422);
    expect(result.json).toMatchObject({ status: 'error', statusCode: 422 });
    expect(String(result.json?.message)).toContain(title);
    expect(result.outbound).toEqual([]);
  });

  it('explains a PBX error and keeps its status', async () => {
    const result = await list({}, [get(HISTORY, { initial_call_id: '0', limit: '52', offset: '0' }, 403, errorEnvelope(403, 'IP address not allowed'))]);
    expect(result.status).toBe(403);
    expect(String(result.json?.message)).toMatch(/IP address/);
  });

  it('answers 504 at the request deadline when the PBX does not answer in time, before the platform\'s limit', async () => {
    // The PBX would take 60 s; the host fails an execution that has not answered within 5 s, as the platform does.
    const result = await host().execute(
      { operationId: 'ListCalls', method: 'GET', url: `https://zvanuparvaldnieks.lmt.lv/api/v2${LIST}`, headers: { Authorization: 'Bearer k-123456' }, originalRequestUri: `${CONNECTOR}${LIST}` },
      () => ({ status: 200, body: envelope([]), latencyMs: 60_000 }),
    );
    expect(result.status).toBe(504);
    expect(JSON.parse(result.body).message).toMatch(/did not answer in time/);
    // Virtual time: cut at the request deadline (90 % of the 3.5 s budget), not when the PBX would have answered.
    expect(result.wallMs).toBe(documentedLimits.scriptBudgetMs * 0.9);
  });

  it('reads each collection on the route of its polling trigger', async () => {
    for (const op of listActions) {
      const route = op.route!;
      const result = await run(host(), { operationId: op.operationId, path: op.path }, [
        get(route.path, { [route.cursorParameter]: '0', limit: '52', offset: '0' }, 200, envelope([{ [route.idField]: 7 }, { [route.idField]: 9 }])),
      ]);
      expect((result.json?.value as Record<string, number>[]).map((i) => i[route.idField]), op.operationId).toEqual([9, 7]);
    }
  });
});

describe('GetLostCalls paging (added in 1.1)', () => {
  it('a full page links the next offset with the filters kept', async () => {
    const lost = [{ callerid: '+3710000001' }, { callerid: '+3710000002' }];
    const result = await run(host(), { operationId: 'GetLostCalls', path: '/lost_calls', query: { destination: '+3710000009', limit: '2' } }, [
      get('/lost_calls', { destination: '+3710000009', limit: '2' }, 200, envelope(lost)),
    ]);
    expect(result.json?.data).toEqual(lost);
    expect(nextLink(result.json)).toEqual({ base: `${CONNECTOR}/lost_calls`, query: { destination: '+3710000009', limit: '2', offset: '2' } });
  });

  it('a page longer than asked: an entry that repeats another of the page exactly reaches the flow once, the same caller lost again at another time stays, and the next offset moves by the places asked for', async () => {
    const lost = (callerid: string, at: string) => ({ contact_name: '', destination: '+37100001000', attempts: 1, callerid, last_contact: `2026-11-02T${at}:00+02:00` });
    const [first, second, again] = [lost('+37100040001', '09:00'), lost('+37100040002', '09:01'), lost('+37100040002', '09:05')];
    // Three places asked for, four entries written: the second twice (as a join would write it).
    const result = await run(host(), { operationId: 'GetLostCalls', path: '/lost_calls', query: { limit: '3' } }, [get('/lost_calls', { limit: '3' }, 200, envelope([again, second, second, first]))]);
    expect(result.status).toBe(200);
    expect(result.json?.data).toEqual([again, second, first]);
    expect(nextLink(result.json)).toEqual({ base: `${CONNECTOR}/lost_calls`, query: { limit: '3', offset: '3' } });
    // Without a Page Size too: a repeat is never a second lost call.
    const unsized = await run(host(), { operationId: 'GetLostCalls', path: '/lost_calls' }, [get('/lost_calls', {}, 200, envelope([second, first, first]))]);
    expect(unsized.json?.data).toEqual([second, first]);
  });

  it('no link on a short page, nor without a Page Size (the PBX default is unknown); the body is otherwise unchanged', async () => {
    const body = envelope([{ callerid: '+3710000001' }]);
    const short = await run(host(), { operationId: 'GetLostCalls', path: '/lost_calls', query: { limit: '2', offset: '4' } }, [get('/lost_calls', { limit: '2', offset: '4' }, 200, body)]);
    expect(short.json).toEqual(body);
    const unsized = await run(host(), { operationId: 'GetLostCalls', path: '/lost_calls' }, [get('/lost_calls', {}, 200, body)]);
    expect(unsized.json).toEqual(body);
  });
});

describe('dropdown lists', () => {
  const contacts = (from: number, to: number): JsonValue[] =>
    range(from, to).map((id) => ({ contactID: id, firstname: `Vārds${id}`, lastname: 'Fiktīvs', number: `+37100000${String(id).padStart(3, '0')}`, archived: id === 1 ? 1 : 0 }));

  it('offers id and "name (number)", every page read, sorted by title', async () => {
    const result = await run(host(), { operationId: 'ListContactChoices', path: '/choices/contacts' }, [
      get('/trigger/contacts', { initial_contact_id: '0', limit: '100', offset: '0' }, 200, envelope(contacts(120, 21))),
      get('/trigger/contacts', { initial_contact_id: '0', limit: '100', offset: '100' }, 200, envelope(contacts(20, 1))),
    ]);
    expect(result.status).toBe(200);
    const data = result.json?.data as Array<{ id: number; title: string }>;
    expect(data).toHaveLength(120);
    expect(data.find((c) => c.id === 7)).toEqual({ id: 7, title: 'Vārds7 Fiktīvs (+37100000007)' });
    expect(data.find((c) => c.id === 1)?.title).toMatch(/\(archived\)$/);
    const titles = data.map((c) => c.title);
    expect(titles).toEqual([...titles].sort((a, b) => a.localeCompare(b, 'en', { sensitivity: 'base' })));
  });

  it(`stops at ${documentedLimits.maxChoices} items however long the list is`, async () => {
    const pages = [0, 1, 2].map((p) => get('/trigger/contacts', { initial_contact_id: '0', limit: '100', offset: String(p * 100) }, 200, envelope(contacts(1000 - p * 100, 901 - p * 100))));
    const result = await run(host(), { operationId: 'ListContactChoices', path: '/choices/contacts' }, pages);
    expect((result.json?.data as unknown[]).length).toBe(documentedLimits.maxChoices);
  });

  it('names each item by its name field; an item without a name by its ID', async () => {
    const result = await run(host(), { operationId: 'ListGroupChoices', path: '/choices/groups' }, [
      get('/trigger/groups', { initial_group_id: '0', limit: '100', offset: '0' }, 200, envelope([{ groupID: 4, name: 'Pārdošana' }, { groupID: 2, name: null }])),
    ]);
    expect(result.json?.data).toEqual([{ id: 2, title: 'ID 2' }, { id: 4, title: 'Pārdošana' }]);
  });
});

describe('the script tables follow the model', () => {
  const source = fs.readFileSync(path.resolve(__dirname, '../../script.csx'), 'utf8');
  const scanned = scanCSharp(source);
  const table = (name: string) =>
    Object.fromEntries(collectionInitializer(scanned, name)!.entries.map((e) => [e.key.value, e.args.slice(0, 3).map((a) => a.value)]));

  it('ListActions: each list action with its trigger route, cursor and id field', () => {
    expect(table('ListActions')).toEqual(Object.fromEntries(listActions.map((op) => [op.operationId, [op.route!.path.replace('/trigger/', ''), op.route!.cursorParameter, op.route!.idField]])));
  });

  it('Choices: each dropdown list with its trigger route, cursor and id field', () => {
    expect(table('Choices')).toEqual(Object.fromEntries(pickerOperations.map((op) => [op.operationId, [op.route!.path.replace('/trigger/', ''), op.route!.cursorParameter, op.route!.idField]])));
  });

  it('the limits match the model', () => {
    const constant = (name: string) => Number(new RegExp(`const int ${name} = (\\d+);`).exec(source)?.[1]);
    expect(constant('MaxListPageSize')).toBe(documentedLimits.maxListPageSize);
    expect(constant('MaxChoices')).toBe(documentedLimits.maxChoices);
    expect(constant('DefaultListPageSize')).toBe(documentedLimits.defaultListPageSize);
  });
});
