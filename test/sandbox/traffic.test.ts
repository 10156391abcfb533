import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../sandbox/clock';
import { DEFAULT_NOW, PbxStore } from '../../sandbox/pbx';
import { WEBHOOK_EVENTS, type WebhookEvent } from '../../sandbox/pbx/model';
import type { PbxEvent } from '../../sandbox/traffic/events';
import { StoryPlayer } from '../../sandbox/traffic/player';
import { generateDay } from '../../sandbox/traffic/stories';
import { ourConnector, useSandboxes } from './helpers';

const start = useSandboxes();
const connector = ourConnector(false);
const HOUR = 3_600_000;
const employees = [
  { contactID: 1, current_callerid: '+37100001001' },
  { contactID: 2, current_callerid: '+37100001002' },
  { contactID: 3, current_callerid: '+37100001003' },
];

describe('a day of call stories', () => {
  it('is deterministic per seed, busiest in office hours, and uses only fake numbers', () => {
    const t0 = Date.parse('2026-11-02T00:00:00+02:00');
    const a = generateDay({ seed: 5, start: t0, employees });
    expect(generateDay({ seed: 5, start: t0, employees })).toEqual(a);
    expect(generateDay({ seed: 6, start: t0, employees })).not.toEqual(a);
    expect(a).toHaveLength(400);
    const office = a.filter((s) => s.at >= t0 + 8 * HOUR && s.at < t0 + 18 * HOUR).length;
    expect(office / a.length).toBeGreaterThan(0.7);
    const numbers = a.map((s) => (s.kind === 'inbound' ? s.caller : s.destination));
    for (const n of numbers) expect(n).toMatch(/^\+3710\d{7}$/);
    const kinds = new Set(a.map((s) => (s.kind === 'inbound' ? s.outcome : `outbound-${s.callback ? 'callback' : 'new'}`)));
    expect([...kinds].sort()).toEqual(['answered', 'outbound-callback', 'outbound-new', 'transferred', 'unanswered']);
  });

  it('plays the 8 days npm start -- --days 8 asks for (the weekly report): the caller pool stays in the fake range', () => {
    const t0 = Date.parse('2026-11-02T00:00:00+02:00');
    const week = generateDay({ seed: 7, start: t0, durationMs: 8 * 24 * HOUR, employees });
    expect(week).toHaveLength(3200);
    const callers = new Set(week.flatMap((s) => (s.kind === 'inbound' ? [s.caller] : [])));
    for (const n of callers) expect(n).toMatch(/^\+37103\d{6}$/);
    expect(callers.size).toBeGreaterThan(1000);
  });
});

describe('the story player', () => {
  it('keeps the store consistent with every event it publishes, at the moment it publishes it', async () => {
    const sb = await start({ connector });
    const seen: PbxEvent[] = [];
    const problems: string[] = [];
    // Check the store the instant each event is published (what a poll at that instant would see).
    const { store } = sb;
    const player = new StoryPlayer(store, sb.clock, async (e) => {
      seen.push(e);
      const d = e.data as Record<string, unknown>;
      const call = typeof d.callID === 'number' ? store.get('calls', d.callID) : undefined;
      switch (e.eventType) {
        case 'CallStarted':
        case 'CallConnected':
        case 'CallTransfered':
        case 'CallCompleted':
          if (!call) problems.push(`${e.eventType} ${String(d.callID)}: not in the store`);
          else if (call.callConnected !== d.callConnected && e.eventType !== 'CallStarted') problems.push(`${e.eventType} ${call.callID}: callConnected differs`);
          if (e.eventType === 'CallCompleted' && call && call.callEnded === call.callStarted && d.callConnected !== null) problems.push(`CallCompleted ${call.callID}: no end time`);
          break;
        case 'CallRecorded':
          if (!store.get('recordings', d.recordingID as number)) problems.push(`CallRecorded ${String(d.recordingID)}: not in the store`);
          break;
        case 'VoicemailCreated':
          if (!store.get('voicemails', d.voicemailID as number)) problems.push(`VoicemailCreated ${String(d.voicemailID)}: not in the store`);
          break;
        case 'VoicemailDeleted':
          if (store.get('voicemails', d.voicemailID as number)) problems.push(`VoicemailDeleted ${String(d.voicemailID)}: still in the store`);
          break;
        case 'LostCallerAdded':
        case 'LostCallerUpdated':
          if (!store.view('lostCalls').some((l) => l.callerid === d.callerid)) problems.push(`${e.eventType} ${String(d.callerid)}: not a lost caller`);
          break;
        case 'LostCallerRemoved':
          if (store.view('lostCalls').some((l) => l.callerid === d.callerid)) problems.push(`LostCallerRemoved ${String(d.callerid)}: still a lost caller`);
          break;
      }
    });
    const firstNewCall = store.maxId('calls') + 1;
    player.schedule(generateDay({ seed: 11, start: sb.clock.now(), callsPerDay: 300, employees: store.all('contacts').filter((c) => c.archived === 0) }));
    await sb.clock.advanceBy(30 * HOUR);
    expect(player.remaining).toBe(0);
    expect(problems).toEqual([]);
    const types = new Set<WebhookEvent>(seen.map((e) => e.eventType));
    expect([...types].sort()).toEqual([...WEBHOOK_EVENTS].sort());
    // Every call of the day is in the call history, in start order, and ended.
    const started = seen.filter((e) => e.eventType === 'CallStarted').map((e) => (e.data as { callID: number }).callID);
    expect(started).toEqual(Array.from({ length: 300 }, (_, i) => firstNewCall + i));
    expect(seen.filter((e) => e.eventType === 'CallCompleted')).toHaveLength(300);
    // Events are shaped as the trigger schemas say.
    for (const e of seen.slice(0, 400)) expect(connector.validateEvent(e.eventType, e as never), e.eventType).toEqual([]);
  });

  it('plays an accepted Dial as the call it asks for: from the employee to the destination, a lost caller answering is removed (LostCallerRemoved), the same seed the same way', async () => {
    /** Dials one employee to each destination (in the store's own spelling, or without the +), then lets the calls finish. */
    const play = async (seed: number) => {
      const clock = new VirtualClock(Date.parse(DEFAULT_NOW));
      const sb = { clock, store: PbxStore.seeded({}, { now: clock.now }) };
      const events: PbxEvent[] = [];
      const player = new StoryPlayer(sb.store, sb.clock, async (e) => void events.push(e));
      player.playDials(seed);
      const employee = sb.store.all('contacts').find((c) => c.archived === 0)!;
      const callers = Array.from({ length: 24 }, (_, i) => `+3710300${String(1000 + i)}`);
      for (const callerid of callers) sb.store.add('lostCalls', { contact_name: '', destination: employee.number, attempts: 1, callerid, last_contact: '2026-11-02T09:00:00+02:00' });
      const before = sb.store.maxId('calls');
      callers.forEach((c, i) => sb.store.dial(employee.contactID, i % 2 === 0 ? c : c.slice(1)));
      await sb.clock.advanceBy(HOUR);
      const calls = sb.store.all('calls').filter((c) => c.callID > before);
      return { employee, callers, calls, events, stats: player.stats, lost: sb.store.all('lostCalls').map((l) => l.callerid).filter((c) => callers.includes(c)) };
    };
    const { employee, callers, calls, events, stats, lost } = await play(3);
    expect(calls).toHaveLength(callers.length);
    expect(calls.every((c) => c.direction === 'out' && c.contactID === employee.contactID && c.caller === (employee.current_callerid || employee.number))).toBe(true);
    const answered = calls.filter((c) => c.callConnected !== null);
    // Most destinations answer, some do not.
    expect(answered.length).toBeGreaterThan(callers.length / 2);
    expect(answered.length).toBeLessThan(callers.length);
    expect(stats).toMatchObject({ dials: callers.length, dialsAnswered: answered.length, lostCallersReached: answered.length });
    // Each answered call removed its lost caller, whatever the spelling of the Dial's number; the others stay lost.
    const removed = events.filter((e) => e.eventType === 'LostCallerRemoved').map((e) => e.data.callerid);
    expect(removed.sort()).toEqual(answered.map((c) => `+${c.destination.replace(/^\+/, '')}`).sort());
    expect(lost.sort()).toEqual(callers.filter((c) => !removed.includes(c)).sort());
    for (const type of ['CallStarted', 'CallCompleted'] as const) expect(events.filter((e) => e.eventType === type)).toHaveLength(callers.length);
    expect(events.filter((e) => e.eventType === 'CallConnected')).toHaveLength(answered.length);
    // The same seed plays the same calls; another seed others.
    const shape = (list: typeof calls) => list.map((c) => [c.destination, c.callStarted, c.callConnected, c.callEnded]);
    expect(shape((await play(3)).calls)).toEqual(shape(calls));
    expect(shape((await play(4)).calls)).not.toEqual(shape(calls));
  });
});
