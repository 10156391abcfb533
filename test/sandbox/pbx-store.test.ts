import { describe, expect, it } from 'vitest';
import { CALL_STATUS, PbxStore, WebhookLimitError, connectionTime, fakeNumber, formatRiga, parseDateFilter, seedData, type StoreChange } from '../../sandbox/pbx';

const FAKE = /^\+3710\d{7}$/;
const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+0[23]:00$/;

describe('seed data', () => {
  it('is the same for the same seed and different for another', () => {
    expect(seedData({ seed: 7 })).toEqual(seedData({ seed: 7 }));
    expect(seedData({ seed: 7 })).not.toEqual(seedData({ seed: 8 }));
  });

  it('uses only fake numbers (or short extensions) and offset timestamps', () => {
    const d = seedData({ seed: 3 });
    const numbers = [
      ...d.contacts.flatMap((c) => [c.number, c.current_callerid]),
      ...d.calls.flatMap((c) => [c.caller, c.destination]),
      ...d.voicemails.map((v) => v.sender),
      ...d.lostCalls.flatMap((l) => [l.callerid, l.destination]),
    ];
    expect(numbers.length).toBeGreaterThan(50);
    for (const n of numbers) expect(n).toMatch(FAKE);
    const stamps = [...d.contacts.map((c) => c.created), ...d.calls.flatMap((c) => [c.callStarted, c.callEnded]), ...d.lostCalls.map((l) => l.last_contact)];
    for (const t of stamps) expect(t).toMatch(ISO_WITH_OFFSET);
  });

  it('covers answered, unanswered, transferred and outbound calls, with recordings, voicemails and lost calls', () => {
    const d = seedData({ seed: 1 });
    const unanswered = d.calls.filter((c) => c.status === CALL_STATUS.unanswered && c.direction === 'in');
    expect(unanswered.length).toBeGreaterThan(0);
    for (const c of unanswered) {
      expect(c.callConnected).toBeNull();
      expect(connectionTime(c)).toBe(0);
    }
    expect(d.calls.some((c) => c.status === CALL_STATUS.answered && c.direction === 'in')).toBe(true);
    expect(d.calls.some((c) => c.status === CALL_STATUS.transferred && c.transferredTo !== null)).toBe(true);
    expect(d.calls.some((c) => c.direction === 'out')).toBe(true);
    for (const kind of ['recordings', 'voicemails', 'lostCalls', 'voicemailBoxes', 'audioPrompts', 'voipEndpoints', 'groups'] as const) {
      expect(d[kind].length, kind).toBeGreaterThan(0);
    }
    // ids ascend with time, as the cursors assume
    const starts = d.calls.map((c) => Date.parse(c.callStarted));
    expect([...starts].sort((a, b) => a - b)).toEqual(starts);
  });

  it('names are fictional Latvian names with diacritics', () => {
    const d = seedData({ seed: 5, contacts: 12 });
    for (const c of d.contacts) expect(c.lastname).toMatch(/-Parauga?s?$/);
    expect(d.contacts.some((c) => /[āēīūčģķļņšž]/i.test(c.firstname + c.lastname))).toBe(true);
  });
});

describe('Riga time', () => {
  it('formats with the offset in force (EET in winter, EEST in summer)', () => {
    expect(formatRiga(Date.parse('2026-11-02T07:15:00Z'))).toBe('2026-11-02T09:15:00+02:00');
    expect(formatRiga(Date.parse('2026-07-01T07:15:00Z'))).toBe('2026-07-01T10:15:00+03:00');
  });

  it('parses date filters: zoned, local and bare dates (to = end of day)', () => {
    expect(parseDateFilter('2026-11-02T09:15:00+02:00', 'from')).toBe(Date.parse('2026-11-02T07:15:00Z'));
    expect(parseDateFilter('2026-11-02 09:15', 'from')).toBe(Date.parse('2026-11-02T07:15:00Z'));
    expect(parseDateFilter('2026-11-02', 'from')).toBe(Date.parse('2026-11-01T22:00:00Z'));
    expect(parseDateFilter('2026-11-02', 'to')).toBe(Date.parse('2026-11-02T21:59:59.999Z'));
    expect(parseDateFilter('yesterday', 'from')).toBeUndefined();
    expect(parseDateFilter('2026-02-30', 'from')).toBeUndefined();
  });
});

describe('PbxStore', () => {
  it('adds items with the next id and tells listeners', () => {
    const store = PbxStore.seeded({ seed: 1 });
    const changes: StoreChange[] = [];
    const stop = store.onChange((c) => changes.push(c));
    const before = store.maxId('calls');
    const call = store.add('calls', {
      caller: fakeNumber(42),
      destination: fakeNumber(1001),
      direction: 'in',
      status: CALL_STATUS.answered,
      callStarted: '2026-11-02T09:20:00+02:00',
      callConnected: '2026-11-02T09:20:05+02:00',
      callEnded: '2026-11-02T09:21:05+02:00',
      contactID: 1,
      transferredTo: null,
    });
    expect(call.callID).toBe(before + 1);
    expect(store.get('calls', call.callID)).toEqual(call);
    expect(changes).toEqual([{ type: 'added', kind: 'calls', item: call }]);
    stop();
    store.remove('calls', call.callID);
    expect(changes).toHaveLength(1);
    expect(store.get('calls', call.callID)).toBeUndefined();
  });

  it('refuses a duplicate id and returns copies that cannot change the store', () => {
    const store = PbxStore.seeded();
    expect(() => store.add('audioPrompts', { id: 1, name: 'x', type: 1 })).toThrow(/already exists/);
    const contact = store.get('contacts', 1)!;
    contact.firstname = 'changed';
    expect(store.get('contacts', 1)!.firstname).not.toBe('changed');
  });

  it('keeps at most the webhook limit and frees a slot on delete', () => {
    const store = PbxStore.seeded({}, { webhookLimit: 2, firstWebhookId: 57 });
    const a = store.registerWebhook('CallStarted', 'https://cb.example.invalid/a');
    store.registerWebhook('CallCompleted', 'https://cb.example.invalid/b');
    expect(a.id).toBe(57);
    expect(() => store.registerWebhook('CallStarted', 'https://cb.example.invalid/c')).toThrow(WebhookLimitError);
    expect(store.deleteWebhook(a.id)?.endpoint).toBe('https://cb.example.invalid/a');
    expect(store.registerWebhook('CallStarted', 'https://cb.example.invalid/c').id).toBe(59);
    expect(store.webhooks('CallStarted').map((h) => h.endpoint)).toEqual(['https://cb.example.invalid/c']);
  });
});
