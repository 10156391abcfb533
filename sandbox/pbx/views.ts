/**
 * API objects rendered from store records, with keys in the order of the production definition.
 * Derived fields are computed here (and only here).
 */
import type {
  AudioPromptRecord,
  CallRecord,
  ContactRecord,
  GroupRecord,
  LostCallRecord,
  RecordingRecord,
  VoicemailBoxRecord,
  VoicemailRecord,
  VoipEndpointRecord,
} from './model';
import type { PbxStore } from './store';
import { parseTimestamp } from './time';

/**
 * How a value that does not exist is rendered (an unanswered call's callConnected, a call without
 * recording's recordingID). The real API's choice is unknown; `null` is the default because it is
 * the case that breaks a strict "type: string" schema, so the connector is tested against it.
 */
export type AbsentValueStyle = 'null' | 'omit' | 'empty';

export type ApiObject = Record<string, unknown>;

export interface ViewOptions {
  absent: AbsentValueStyle;
}

function absent(obj: ApiObject, key: string, kind: 'string' | 'number', style: AbsentValueStyle): void {
  if (style === 'null') obj[key] = null;
  else if (style === 'empty') obj[key] = kind === 'string' ? '' : 0;
  // 'omit': leave the key out
}

export function groupView(g: GroupRecord): ApiObject {
  return { created: g.created, groupID: g.groupID, type: g.type, name: g.name, members: g.members.map((contactID) => ({ contactID })) };
}

export function contactView(store: PbxStore, c: ContactRecord): ApiObject {
  return {
    current_callerid: c.current_callerid,
    archived: c.archived,
    firstname: c.firstname,
    lastname: c.lastname,
    created: c.created,
    number: c.number,
    contactID: c.contactID,
    group_membership: store.view('groups').filter((g) => g.members.includes(c.contactID)).map(groupView),
    avatar: c.avatar,
  };
}

/** Seconds between connect and end (0 when never connected); unit unconfirmed, assumed seconds. */
export function connectionTime(call: CallRecord): number {
  if (call.callConnected === null) return 0;
  return Math.max(0, Math.round((parseTimestamp(call.callEnded) - parseTimestamp(call.callConnected)) / 1000));
}

/** The fields every call object starts with, in the definition's order (views and call events). */
export function callIdentity(call: CallRecord): ApiObject {
  return {
    callID: call.callID,
    caller: call.caller,
    destination: call.destination,
    direction: call.direction,
    status: call.status,
    callStarted: call.callStarted,
  };
}

function callCore(call: CallRecord, opts: ViewOptions): ApiObject {
  const out = callIdentity(call);
  if (call.callConnected !== null) out.callConnected = call.callConnected;
  else absent(out, 'callConnected', 'string', opts.absent);
  out.callEnded = call.callEnded;
  return out;
}

export function callHistoryView(store: PbxStore, call: CallRecord, opts: ViewOptions): ApiObject {
  const out = callCore(call, opts);
  out.connectionTime = connectionTime(call);
  out.contactID = call.contactID;
  const recording = store.view('recordings').find((r) => r.callID === call.callID);
  if (recording) out.recordingID = recording.recordingID;
  else absent(out, 'recordingID', 'number', opts.absent);
  return out;
}

export function recordingView(store: PbxStore, r: RecordingRecord, opts: ViewOptions): ApiObject {
  const call = store.view('calls').find((c) => c.callID === r.callID);
  if (!call) return { recordingID: r.recordingID, callID: r.callID, recordingURL: r.recordingURL };
  return { recordingID: r.recordingID, ...callCore(call, opts), contactID: call.contactID, recordingURL: r.recordingURL };
}

export function voicemailBoxView(b: VoicemailBoxRecord): ApiObject {
  return { clientID: b.clientID, boxName: b.boxName, created: b.created, voicemailBoxID: b.voicemailBoxID };
}

export function voicemailView(store: PbxStore, v: VoicemailRecord): ApiObject {
  const box = store.view('voicemailBoxes').find((b) => b.voicemailBoxID === v.voicemailBoxID);
  return {
    sender: v.sender,
    voicemailID: v.voicemailID,
    length: v.length,
    callStarted: v.callStarted,
    voicemailBoxID: v.voicemailBoxID,
    voicemailBoxName: box?.boxName ?? '',
    messageURL: v.messageURL,
  };
}

export function audioPromptView(p: AudioPromptRecord): ApiObject {
  return { id: p.id, name: p.name, type: p.type };
}

export function voipEndpointView(e: VoipEndpointRecord): ApiObject {
  return { id: e.id, name: e.name, employee_id: e.employee_id };
}

export function lostCallView(l: LostCallRecord): ApiObject {
  return { contact_name: l.contact_name, destination: l.destination, attempts: l.attempts, callerid: l.callerid, last_contact: l.last_contact };
}
