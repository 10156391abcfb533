/**
 * Webhook event bodies, as the PBX POSTs them to a subscribed callback: `{type, version, eventType,
 * data}` (the shape of the definition's x-ms-notification-content). `data` is rendered from the
 * store's records with the PBX views, so an event and a later read of the same call agree.
 */
import { API_VERSION } from '../pbx/envelope';
import type { CallRecord, LostCallRecord, RecordingRecord, VoicemailRecord, WebhookEvent } from '../pbx/model';
import type { PbxStore } from '../pbx/store';
import { callIdentity, connectionTime, lostCallView, voicemailView } from '../pbx/views';

export type EventCategory = 'call' | 'voicemail' | 'lost_caller';

export interface PbxEvent {
  type: EventCategory;
  version: string;
  eventType: WebhookEvent;
  data: Record<string, unknown>;
}

function event(type: EventCategory, eventType: WebhookEvent, data: Record<string, unknown>): PbxEvent {
  return { type, version: API_VERSION, eventType, data };
}

/** The employee handling the call now (after a transfer: the one it went to). */
function currentEmployee(call: CallRecord): number {
  return call.transferredTo ?? call.contactID;
}

/** The events about a call's progress (CallRecorded, about its recording, is recordedEvent). */
export type CallEventType = Exclude<Extract<WebhookEvent, `Call${string}`>, 'CallRecorded'>;
export type LostCallerEventType = Extract<WebhookEvent, `LostCaller${string}`>;

/**
 * The fields shared with the call views come from callIdentity. callConnected is set here, not by
 * the views' callCore: an event always sends null for a call not (yet) connected, whatever
 * absent-value style the API renders with, and events carry no callEnded.
 */
export function callEvent(eventType: CallEventType, call: CallRecord): PbxEvent {
  const base = callIdentity(call);
  switch (eventType) {
    case 'CallStarted':
      return event('call', eventType, { ...base, contactID: call.contactID });
    case 'CallConnected':
      return event('call', eventType, { ...base, callConnected: call.callConnected, contactID: currentEmployee(call) });
    case 'CallTransfered':
    case 'CallCompleted':
      return event('call', eventType, {
        ...base,
        callConnected: call.callConnected,
        connectionTime: connectionTime(call),
        contactID: currentEmployee(call),
        previous_contactID: call.transferredTo !== null ? call.contactID : null,
      });
  }
}

export function recordedEvent(recording: RecordingRecord, call: CallRecord): PbxEvent {
  return event('call', 'CallRecorded', {
    recordingID: recording.recordingID,
    callID: call.callID,
    callStarted: call.callStarted,
    recordingURL: recording.recordingURL,
    direction: call.direction,
    connectionTime: connectionTime(call),
  });
}

export function voicemailCreatedEvent(store: PbxStore, voicemail: VoicemailRecord): PbxEvent {
  return event('voicemail', 'VoicemailCreated', voicemailView(store, voicemail));
}

export function voicemailDeletedEvent(voicemail: VoicemailRecord): PbxEvent {
  return event('voicemail', 'VoicemailDeleted', { sender: voicemail.sender, voicemailID: voicemail.voicemailID });
}

export function lostCallerEvent(eventType: LostCallerEventType, lost: LostCallRecord): PbxEvent {
  if (eventType === 'LostCallerRemoved') return event('lost_caller', eventType, { destination: lost.destination, callerid: lost.callerid });
  return event('lost_caller', eventType, lostCallView(lost));
}
