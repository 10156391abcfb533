/**
 * Plays call stories against the PBX store in virtual time: every step changes the store first
 * (so a poll at that instant sees exactly what the events announced) and then publishes its events.
 * A Dial the PBX accepts becomes such a story too (playDials): the call it asks for, from the employee's
 * device to the destination, answered or not as the seed draws it.
 *
 * How a call lives in the store (assumptions of the sandbox, the real PBX's internals are unknown):
 * the call history row is created when the call starts (ids grow with start time, which is what the
 * polling cursors assume); until it ends, `callEnded` equals `callStarted` and `callConnected` is null.
 */
import { createHash } from 'crypto';
import { canonicalPhone } from '../../connector/brand/phone-numbers';
import { CALL_STATUS, type CallRecord, type ContactRecord } from '../pbx/model';
import type { DialRequest, PbxStore } from '../pbx/store';
import { formatRiga } from '../pbx/time';
import type { VirtualClock } from '../clock';
import { callEvent, lostCallerEvent, recordedEvent, voicemailCreatedEvent, voicemailDeletedEvent, type PbxEvent } from './events';
import type { InboundStory, OutboundStory, Story } from './stories';

export type Publish = (event: PbxEvent) => Promise<void>;

export interface PlayerStats {
  callsStarted: number;
  callsCompleted: number;
  answered: number;
  events: number;
  /** Dials the PBX accepted (`POST /dial`), each played as a call; those the destination answered. */
  dials: number;
  dialsAnswered: number;
  /** Lost callers reached (removed, `LostCallerRemoved`): called back, or answered when they called again. */
  lostCallersReached: number;
}

/** How a Dial the PBX accepted plays out (sandbox assumptions, drawn per dial from the seed). */
export const DIAL_CALLS = {
  /** Share of dialled destinations that answer. */
  answered: 0.8,
  /** The employee's device rings first: the call to the destination starts this long after the Dial. */
  pickUpMs: [2_000, 8_000],
  ringMs: [5_000, 30_000],
  talkMs: [30_000, 600_000],
  /** Share of answered calls that are recorded. */
  recorded: 0.3,
} as const;

export class StoryPlayer {
  readonly stats: PlayerStats = { callsStarted: 0, callsCompleted: 0, answered: 0, events: 0, dials: 0, dialsAnswered: 0, lostCallersReached: 0 };
  private pending = 0;
  /** Dials so far by employee and destination: the n-th dial of a pair draws its own outcome. */
  private readonly dialCounts = new Map<string, number>();

  constructor(
    private readonly store: PbxStore,
    private readonly clock: VirtualClock,
    private readonly publish: Publish,
  ) {}

  /** Steps still to play. */
  get remaining(): number {
    return this.pending;
  }

  /** Schedules every story's steps on the clock; they run as the clock advances. */
  schedule(stories: readonly Story[]): void {
    for (const story of stories) {
      if (story.kind === 'inbound') this.inbound(story);
      else this.outbound(story);
    }
  }

  /**
   * Plays every Dial the PBX accepts from now on as a call from the employee's device to the destination
   * (CallStarted, CallConnected when answered, CallCompleted, a recording now and then), and a lost caller
   * reached so is removed (LostCallerRemoved), as a callback story is. Whether the destination answers, and
   * how long it rings and talks, follow from the seed, the employee, the destination and how many times this
   * employee dialled it before, so a day replays the same. Returns the function that stops it.
   */
  playDials(seed: number): () => void {
    return this.store.onChange((change) => {
      if (change.type === 'dial-requested') this.dialled(change.item, seed);
    });
  }

  private dialled(request: DialRequest, seed: number): void {
    const pair = `${request.contactID} ${canonicalPhone(request.destination)}`;
    const n = (this.dialCounts.get(pair) ?? 0) + 1;
    this.dialCounts.set(pair, n);
    const digest = createHash('sha256').update(`${seed}|${pair}|${n}`).digest();
    const draw = (i: number): number => digest.readUInt32BE(4 * i) / 2 ** 32;
    const within = ([min, max]: readonly [number, number], u: number): number => min + Math.floor(u * (max - min + 1));
    const answered = draw(0) < DIAL_CALLS.answered;
    this.stats.dials++;
    if (answered) this.stats.dialsAnswered++;
    this.outbound({
      kind: 'outbound',
      at: this.clock.now() + within(DIAL_CALLS.pickUpMs, draw(1)),
      contactID: request.contactID,
      destination: request.destination,
      ringMs: within(DIAL_CALLS.ringMs, draw(2)),
      answered,
      talkMs: within(DIAL_CALLS.talkMs, draw(3)),
      recorded: answered && draw(4) < DIAL_CALLS.recorded,
      callback: true,
    });
  }

  private step(at: number, run: () => Promise<void>): void {
    this.pending++;
    this.clock.at(at, async () => {
      this.pending--;
      await run();
    });
  }

  private async emit(...events: PbxEvent[]): Promise<void> {
    for (const e of events) {
      this.stats.events++;
      await this.publish(e);
    }
  }

  private employee(contactID: number): ContactRecord {
    const found = this.store.get('contacts', contactID);
    if (!found) throw new Error(`story: no employee ${contactID}`);
    return found;
  }

  private startCall(at: number, fields: Pick<CallRecord, 'caller' | 'destination' | 'direction' | 'contactID'>): CallRecord {
    this.stats.callsStarted++;
    const stamp = formatRiga(at);
    return this.store.add('calls', { ...fields, status: CALL_STATUS.unanswered, callStarted: stamp, callConnected: null, callEnded: stamp, transferredTo: null });
  }

  private inbound(s: InboundStory): void {
    let callID = 0;
    const connectAt = s.at + s.ringMs;
    const endAt = s.outcome === 'unanswered' ? s.at + s.ringMs : connectAt + s.talkMs;
    this.step(s.at, async () => {
      const call = this.startCall(s.at, { caller: s.caller, destination: this.employee(s.contactID).number, direction: 'in', contactID: s.contactID });
      callID = call.callID;
      await this.emit(callEvent('CallStarted', call));
    });
    if (s.outcome !== 'unanswered') {
      this.step(connectAt, async () => {
        const call = this.store.update('calls', callID, { status: CALL_STATUS.answered, callConnected: formatRiga(connectAt) });
        await this.emit(callEvent('CallConnected', call));
      });
    }
    if (s.outcome === 'transferred' && s.transferTo !== undefined) {
      const transferAt = connectAt + Math.min(s.transferAfterMs ?? 0, s.talkMs);
      this.step(transferAt, async () => {
        const call = this.store.update('calls', callID, { status: CALL_STATUS.transferred, transferredTo: s.transferTo ?? null });
        await this.emit(callEvent('CallTransfered', call));
      });
    }
    this.step(endAt, async () => {
      const call = this.store.update('calls', callID, { callEnded: formatRiga(endAt) });
      this.stats.callsCompleted++;
      const events = [callEvent('CallCompleted', call)];
      if (s.outcome === 'unanswered') events.push(this.lostCaller(call, endAt));
      else {
        this.stats.answered++;
        const removed = this.removeLostCaller(call.caller);
        if (removed) events.push(removed);
      }
      await this.emit(...events);
    });
    if (s.recorded) this.recording(() => callID, endAt + 5_000);
    if (s.voicemail) {
      const vm = s.voicemail;
      let voicemailID = 0;
      const leftAt = endAt + (vm.lengthSeconds + 2) * 1000;
      this.step(leftAt, async () => {
        const box = this.store.view('voicemailBoxes').find((b) => b.clientID === s.contactID);
        if (!box) return; // the employee has no voicemail box: the caller just hangs up
        const voicemail = this.store.add('voicemails', {
          voicemailBoxID: box.voicemailBoxID,
          sender: s.caller,
          length: vm.lengthSeconds,
          callStarted: formatRiga(s.at),
          messageURL: '',
        });
        voicemailID = voicemail.voicemailID;
        const withUrl = this.store.update('voicemails', voicemailID, { messageURL: `https://voicemail.pbx.invalid/${voicemailID}.wav` });
        await this.emit(voicemailCreatedEvent(this.store, withUrl));
      });
      if (vm.deleteAfterMs !== undefined) {
        this.step(leftAt + vm.deleteAfterMs, async () => {
          const removed = voicemailID ? this.store.remove('voicemails', voicemailID) : undefined;
          if (removed) await this.emit(voicemailDeletedEvent(removed));
        });
      }
    }
  }

  private outbound(s: OutboundStory): void {
    let callID = 0;
    const connectAt = s.at + s.ringMs;
    const endAt = s.answered ? connectAt + s.talkMs : s.at + s.ringMs;
    this.step(s.at, async () => {
      const employee = this.employee(s.contactID);
      const call = this.startCall(s.at, { caller: employee.current_callerid || employee.number, destination: s.destination, direction: 'out', contactID: s.contactID });
      callID = call.callID;
      await this.emit(callEvent('CallStarted', call));
    });
    if (s.answered) {
      this.step(connectAt, async () => {
        const call = this.store.update('calls', callID, { status: CALL_STATUS.answered, callConnected: formatRiga(connectAt) });
        await this.emit(callEvent('CallConnected', call));
      });
    }
    this.step(endAt, async () => {
      const call = this.store.update('calls', callID, { callEnded: formatRiga(endAt) });
      this.stats.callsCompleted++;
      const events = [callEvent('CallCompleted', call)];
      if (s.answered) {
        this.stats.answered++;
        // A callback that got through: the caller is no longer lost.
        const removed = this.removeLostCaller(s.destination);
        if (removed) events.push(removed);
      }
      await this.emit(...events);
    });
    if (s.recorded) this.recording(() => callID, endAt + 5_000);
  }

  private recording(callID: () => number, at: number): void {
    this.step(at, async () => {
      const call = this.store.get('calls', callID());
      if (!call) return;
      const rec = this.store.add('recordings', { callID: call.callID, recordingURL: '' });
      const withUrl = this.store.update('recordings', rec.recordingID, { recordingURL: this.store.recordingLink(rec.recordingID) });
      await this.emit(recordedEvent(withUrl, call));
    });
  }

  private lostCaller(call: CallRecord, at: number): PbxEvent {
    // The name the PBX gives a lost caller: the employee the call was meant for (what it shows is unconfirmed).
    const employee = call.contactID === null ? undefined : this.store.get('contacts', call.contactID);
    const contactName = employee ? `${employee.firstname} ${employee.lastname}`.trim() : '';
    const existing = this.store.view('lostCalls').find((l) => l.callerid === call.caller);
    if (existing) {
      const updated = this.store.update('lostCalls', existing.lostCallID, { attempts: existing.attempts + 1, last_contact: formatRiga(at), destination: call.destination, contact_name: contactName });
      return lostCallerEvent('LostCallerUpdated', updated);
    }
    const added = this.store.add('lostCalls', { contact_name: contactName, destination: call.destination, attempts: 1, callerid: call.caller, last_contact: formatRiga(at) });
    return lostCallerEvent('LostCallerAdded', added);
  }

  /** A lost caller reached (the number in any spelling, as a Dial may write it): removed, and the event that says so. */
  private removeLostCaller(number: string): PbxEvent | undefined {
    const canonical = canonicalPhone(number);
    const existing = this.store.view('lostCalls').find((l) => canonicalPhone(l.callerid) === canonical);
    if (!existing) return undefined;
    const removed = this.store.remove('lostCalls', existing.lostCallID);
    if (!removed) return undefined;
    this.stats.lostCallersReached++;
    return lostCallerEvent('LostCallerRemoved', removed);
  }
}
