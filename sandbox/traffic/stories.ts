/**
 * A day of call traffic as data: deterministic "call stories" (the same seed gives the same day).
 * Inbound calls are answered, transferred or missed (a missed caller becomes a lost caller and may
 * leave a voicemail, which is later deleted); employees call out, and some of those calls are
 * callbacks to lost callers (removing them when answered). Most calls fall in office hours, Riga time.
 * Pure: no clock, no store; the player (player.ts) turns stories into store changes and events.
 */
import type { Market } from '../../connector/brand/phone-numbers';
import { fakeNumber, type ContactRecord } from '../pbx/model';
import { prng } from '../pbx/seed';
import { rigaOffsetHours } from '../pbx/time';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

export interface InboundStory {
  kind: 'inbound';
  at: number;
  caller: string;
  /** The employee the call rings first. */
  contactID: number;
  ringMs: number;
  outcome: 'answered' | 'transferred' | 'unanswered';
  /** Talk time once connected (answered / transferred). */
  talkMs: number;
  /** Transferred calls: to whom, and after how much talk. */
  transferTo?: number;
  transferAfterMs?: number;
  recorded: boolean;
  /** Unanswered calls: a voicemail left (if the employee has a box), deleted after `deleteAfterMs` when given. */
  voicemail?: { lengthSeconds: number; deleteAfterMs?: number };
}

export interface OutboundStory {
  kind: 'outbound';
  at: number;
  contactID: number;
  destination: string;
  ringMs: number;
  answered: boolean;
  talkMs: number;
  recorded: boolean;
  /** A callback to a lost caller (for the record; the player removes the lost caller if answered). */
  callback: boolean;
}

export type Story = InboundStory | OutboundStory;

export interface DayOptions {
  seed?: number;
  /** Start of the period (epoch ms). */
  start: number;
  durationMs?: number;
  /** Calls in 24 hours (scaled for other durations). */
  callsPerDay?: number;
  /** Employees who take calls (active contacts). */
  employees: ReadonlyArray<Pick<ContactRecord, 'contactID' | 'current_callerid'>>;
  /** Whose numbers outside callers have (fakes of that market); default the primary brand's. */
  market?: Market;
}

/** Relative call volume per Riga local hour (office hours busy, nights nearly silent). */
const HOUR_WEIGHT = [0.1, 0.05, 0.05, 0.05, 0.05, 0.1, 0.3, 0.8, 2.5, 4, 4.5, 4.2, 3, 3.8, 4.2, 4, 3.2, 2, 0.9, 0.6, 0.4, 0.3, 0.2, 0.15];

function localHour(epochMs: number): number {
  return new Date(epochMs + rigaOffsetHours(epochMs) * HOUR).getUTCHours();
}

export function generateDay(options: DayOptions): Story[] {
  const rand = prng(options.seed ?? 7);
  const duration = options.durationMs ?? 24 * HOUR;
  const total = Math.round(((options.callsPerDay ?? 400) * duration) / (24 * HOUR));
  const employees = options.employees;
  if (employees.length === 0) throw new Error('generateDay: no employees to take calls');
  const between = (min: number, max: number) => min + Math.floor(rand() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)];

  // Call start times: draw minutes weighted by the local hour (rejection sampling, deterministic).
  const maxWeight = Math.max(...HOUR_WEIGHT);
  const starts: number[] = [];
  while (starts.length < total) {
    const t = options.start + Math.floor(rand() * duration);
    if (rand() * maxWeight <= HOUR_WEIGHT[localHour(t)]) starts.push(t);
  }
  starts.sort((a, b) => a - b);

  // A pool of outside callers, so that some call twice (a lost caller's second attempt). It stays in
  // +37103xxxxxx however many days are played: 7,919 apart (jitter below that) until more callers
  // than that spacing fits, then packed closer, so numbers stay distinct and a day stays as it was.
  const pool = Math.min(100_000, Math.max(20, Math.round(total * 0.6)));
  const step = Math.min(7919, Math.floor(1_000_000 / pool));
  const callers = Array.from({ length: pool }, (_, i) => fakeNumber(3_000_000 + i * step + between(0, Math.min(7000, step - 1)), options.market));
  const missed: string[] = [];
  const stories: Story[] = [];
  for (const at of starts) {
    const employee = pick(employees);
    const roll = rand();
    if (roll < 0.7) {
      const outcomeRoll = rand();
      const outcome = outcomeRoll < 0.68 ? 'answered' : outcomeRoll < 0.8 ? 'transferred' : 'unanswered';
      const caller = pick(callers);
      const others = employees.filter((e) => e.contactID !== employee.contactID);
      const story: InboundStory = {
        kind: 'inbound',
        at,
        caller,
        contactID: employee.contactID,
        ringMs: between(3, 25) * SECOND,
        outcome,
        talkMs: between(20, 480) * SECOND,
        recorded: outcome !== 'unanswered' && rand() < 0.4,
      };
      if (outcome === 'transferred' && others.length > 0) {
        story.transferTo = pick(others).contactID;
        story.transferAfterMs = between(10, 90) * SECOND;
      } else if (outcome === 'transferred') {
        story.outcome = 'answered';
      }
      if (outcome === 'unanswered') {
        story.ringMs = 30 * SECOND;
        missed.push(caller);
        if (rand() < 0.45) story.voicemail = { lengthSeconds: between(4, 90), deleteAfterMs: rand() < 0.6 ? between(20, 240) * MINUTE : undefined };
      }
      stories.push(story);
    } else {
      // Outbound: a callback to a recent lost caller when there is one (60 %), else a new number.
      const callback = missed.length > 0 && rand() < 0.6;
      const destination = callback ? missed.splice(Math.floor(rand() * missed.length), 1)[0] : fakeNumber(4_000_000 + between(0, 999_999), options.market);
      const answered = rand() < 0.75;
      stories.push({
        kind: 'outbound',
        at,
        contactID: employee.contactID,
        destination,
        ringMs: between(5, 30) * SECOND,
        answered,
        talkMs: between(30, 600) * SECOND,
        recorded: answered && rand() < 0.3,
        callback,
      });
    }
  }
  return stories;
}
