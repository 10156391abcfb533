/**
 * Deterministic seed data: the same seed number always gives the same data set (no clock, no
 * Math.random). Names are fictional Latvian names (the "-Paraugs" / "-Parauga" suffix = "sample"),
 * numbers are the market's fakes (`+3710…` by default, `+3700…` for Lithuania), timestamps are Riga
 * local time with offset (the same offsets as Vilnius).
 */
import { DEFAULT_PBX_HOST, recordingLink, type RecordingLinkKind } from './recordings';
import {
  CALL_STATUS,
  fakeNumber,
  type CallRecord,
  type ContactRecord,
  type GroupRecord,
  type LostCallRecord,
  type PbxData,
  type RecordingRecord,
  type VoicemailBoxRecord,
  type VoicemailRecord,
} from './model';
import type { Market } from '../../connector/brand/phone-numbers';
import { formatRiga, parseTimestamp } from './time';

export interface SeedOptions {
  /** Any integer; equal seeds give equal data. */
  seed?: number;
  /** The "now" of the data set: every timestamp is at or before it. */
  now?: string;
  contacts?: number;
  calls?: number;
  /** The PBX's public host, which recording links on the PBX point at (sandbox/pbx/recordings.ts). */
  pbxHost?: string;
  /** Whose numbers the data holds (fakes of that market); default the primary brand's. */
  market?: Market;
  /** The kinds of recording link written (sandbox/pbx/recordings.ts; default all). */
  recordingLinks?: readonly RecordingLinkKind[];
}

export const DEFAULT_NOW = '2026-11-02T09:15:00+02:00';


/** mulberry32: a tiny, well-distributed 32-bit PRNG; enough for test data. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const MALE = ['Jānis', 'Pēteris', 'Kārlis', 'Mārtiņš', 'Andris', 'Edgars', 'Rūdolfs', 'Oskars'];
const FEMALE = ['Līga', 'Ilze', 'Inese', 'Dace', 'Zane', 'Ieva', 'Anna', 'Māra'];
const SURNAME_STEMS = ['Bērziņ', 'Kalniņ', 'Ozoliņ', 'Liepiņ', 'Krūmiņ', 'Zvaigzn', 'Ābeliņ', 'Siliņ'];

function surname(stem: string, female: boolean): string {
  // -iņš/-iņa for the diminutive stems, -e/-s otherwise; all carry the fictional "Paraugs" suffix.
  if (stem.endsWith('iņ')) return female ? `${stem}a-Parauga` : `${stem}š-Paraugs`;
  return female ? `${stem}e-Parauga` : `${stem}s-Paraugs`;
}

/** A fictional full name, [first, last]. */
export function fictionalName(rand: () => number): [string, string] {
  const female = rand() < 0.5;
  const first = pick(rand, female ? FEMALE : MALE);
  return [first, surname(pick(rand, SURNAME_STEMS), female)];
}

function pick<T>(rand: () => number, items: readonly T[]): T {
  return items[Math.floor(rand() * items.length)];
}

function between(rand: () => number, min: number, max: number): number {
  return min + Math.floor(rand() * (max - min + 1));
}

const GROUP_NAMES = ['Pārdošana', 'Klientu atbalsts', 'Vadība'];
const PROMPT_NAMES = ['Sveiciens darba laikā', 'Ārpus darba laika', 'Gaidīšanas mūzika', 'Brīvdienu paziņojums', 'Rindas paziņojums'];
const SECOND = 1000;
const DAY = 86_400_000;

export function seedData(options: SeedOptions = {}): PbxData {
  const rand = prng(options.seed ?? 1);
  const now = parseTimestamp(options.now ?? DEFAULT_NOW);
  const contactCount = options.contacts ?? 8;
  const market = options.market;
  // The company's main number; employees call out with it unless they show their own.
  const mainNumber = fakeNumber(1000, market);
  const callCount = options.calls ?? 40;

  const contacts: ContactRecord[] = [];
  for (let id = 1; id <= contactCount; id++) {
    const [firstname, lastname] = fictionalName(rand);
    const own = fakeNumber(1000 + id, market);
    contacts.push({
      contactID: id,
      firstname,
      lastname,
      number: own,
      current_callerid: rand() < 0.5 ? mainNumber : own,
      archived: id === contactCount && contactCount > 2 ? 1 : 0,
      created: formatRiga(now - (400 - id * 7) * DAY - between(rand, 0, 36_000) * SECOND),
      avatar: rand() < 0.5 ? '' : `https://avatars.pbx.invalid/${id}.png`,
    });
  }
  const active = contacts.filter((c) => c.archived === 0);

  const groups: GroupRecord[] = GROUP_NAMES.map((name, i) => ({
    groupID: i + 1,
    name,
    type: 1 + (i % 2),
    created: formatRiga(now - (380 - i * 30) * DAY),
    members: active.filter((c, j) => j % GROUP_NAMES.length === i || (i === 2 && j === 0)).map((c) => c.contactID),
  }));

  // Calls: ids ascend with time, spread over the three days before `now`.
  const calls: CallRecord[] = [];
  const recordings: RecordingRecord[] = [];
  let t = now - 3 * DAY;
  const step = Math.floor((3 * DAY) / (callCount + 1));
  for (let id = 1; id <= callCount; id++) {
    t += between(rand, Math.floor(step / 2), step);
    const employee = pick(rand, active);
    const external = fakeNumber(2_000_000 + between(rand, 0, 999_999), market);
    const roll = rand();
    const kind = roll < 0.45 ? 'answered' : roll < 0.65 ? 'unanswered' : roll < 0.75 ? 'transferred' : 'outbound';
    const ring = between(rand, 3, 25) * SECOND;
    const talk = between(rand, 15, 600) * SECOND;
    const outboundAnswered = rand() < 0.7;
    const answered = kind !== 'unanswered' && (kind !== 'outbound' || outboundAnswered);
    const transferTo = kind === 'transferred' ? active.find((c) => c.contactID !== employee.contactID) : undefined;
    calls.push({
      callID: id,
      caller: kind === 'outbound' ? employee.current_callerid : external,
      destination: kind === 'outbound' ? external : employee.number,
      direction: kind === 'outbound' ? 'out' : 'in',
      status: kind === 'transferred' ? CALL_STATUS.transferred : answered ? CALL_STATUS.answered : CALL_STATUS.unanswered,
      callStarted: formatRiga(t),
      callConnected: answered ? formatRiga(t + ring) : null,
      callEnded: formatRiga(answered ? t + ring + talk : t + 30 * SECOND),
      contactID: employee.contactID,
      transferredTo: transferTo?.contactID ?? null,
    });
    if (answered && rand() < 0.5) {
      const recordingID = recordings.length + 1;
      recordings.push({ recordingID, callID: id, recordingURL: recordingLink(options.pbxHost ?? DEFAULT_PBX_HOST, recordingID, options.recordingLinks) });
    }
  }

  const voicemailBoxes: VoicemailBoxRecord[] = active.slice(0, 4).map((c, i) => ({
    voicemailBoxID: i + 1,
    boxName: `${c.firstname} ${c.lastname} balss pasts`,
    clientID: c.contactID,
    created: formatRiga(parseTimestamp(c.created) + DAY),
  }));

  const voicemails: VoicemailRecord[] = [];
  const lostCalls: LostCallRecord[] = [];
  for (const call of calls) {
    if (call.direction !== 'in' || call.callConnected !== null) continue;
    const box = voicemailBoxes.find((b) => b.clientID === call.contactID);
    if (box && rand() < 0.6) {
      const voicemailID = voicemails.length + 1;
      voicemails.push({
        voicemailID,
        voicemailBoxID: box.voicemailBoxID,
        sender: call.caller,
        length: between(rand, 4, 90),
        callStarted: call.callStarted,
        messageURL: `https://voicemail.pbx.invalid/${voicemailID}.wav`,
      });
    }
    const [first, last] = fictionalName(rand);
    lostCalls.push({
      lostCallID: lostCalls.length + 1,
      contact_name: rand() < 0.3 ? '' : `${first} ${last}`,
      destination: call.destination,
      attempts: between(rand, 1, 3),
      callerid: call.caller,
      last_contact: call.callStarted,
    });
  }

  return {
    contacts,
    groups,
    calls,
    recordings,
    voicemailBoxes,
    voicemails,
    audioPrompts: PROMPT_NAMES.map((name, i) => ({ id: i + 1, name, type: 1 + (i % 3) })),
    voipEndpoints: active.slice(0, 4).map((c, i) => ({
      id: i + 1,
      name: i % 2 === 0 ? `${c.firstname} galda tālrunis` : `${c.firstname} datora lietotne`,
      employee_id: c.contactID,
    })),
    lostCalls,
  };
}
