/**
 * Plays call stories against the PBX store in virtual time: every step changes the store first
 * (so a poll at that instant sees exactly what the events announced) and then publishes its events.
 *
 * How a call lives in the store (assumptions of the sandbox, the real PBX's internals are unknown):
 * the call history row is created when the call starts (ids grow with start time, which is what the
 * polling cursors assume); until it ends, `callEnded` equals `callStarted` and `callConnected` is null.
 */
import { CALL_STATUS, type CallRecord, type ContactRecord } from '../pbx/model';
import type { PbxStore } from '../pbx/store';
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
}

export class StoryPlayer {
  readonly stats: PlayerStats = { callsStarted: 0, callsCompleted: 0, answered: 0, events: 0 };
  private pending = 0;

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

  private removeLostCaller(number: string): PbxEvent | undefined {
    const existing = this.store.view('lostCalls').find((l) => l.callerid === number);
    if (!existing) return undefined;
    const removed = this.store.remove('lostCalls', existing.lostCallID);
    return removed ? lostCallerEvent('LostCallerRemoved', removed) : undefined;
  }
}
