/**
 * The mock PBX's domain: what the store keeps (records) and the API objects rendered from them
 * (views). Records hold only facts; derived fields (group_membership, connectionTime, recordingID,
 * voicemailBoxName, the recording's call fields) are computed in views.ts, so every entity is
 * defined once and reused by reads, lists and (later) webhook events.
 */

import { primaryBrand } from '../../connector/brand';
import { fakeNumberOf, type Market } from '../../connector/brand/phone-numbers';
import type { WebhookEventName as WebhookEvent } from '../../connector/model/events';

export type Direction = 'in' | 'out';

/**
 * Call `status` codes. The production definition documents only "status" (an integer); these
 * values are an assumption of the mock, named here once so that nothing else hard-codes them.
 */
export const CALL_STATUS = { unanswered: 0, answered: 1, transferred: 2 } as const;
export type CallStatus = (typeof CALL_STATUS)[keyof typeof CALL_STATUS];

export interface ContactRecord {
  contactID: number;
  firstname: string;
  lastname: string;
  /** The employee's own number (fake `+3710…`) or a short internal extension. */
  number: string;
  /** The number shown to callees when this employee calls out. */
  current_callerid: string;
  archived: 0 | 1;
  created: string;
  avatar: string;
}

export interface GroupRecord {
  groupID: number;
  name: string;
  /** Ring strategy of the group (assumed: 1 = ring all, 2 = in turn). */
  type: number;
  created: string;
  members: number[];
}

export interface CallRecord {
  callID: number;
  caller: string;
  destination: string;
  direction: Direction;
  status: CallStatus;
  callStarted: string;
  /** null when nobody answered. */
  callConnected: string | null;
  callEnded: string;
  /** The employee involved (for a transferred call: the one who took it first). */
  contactID: number;
  /** Internal: the employee the call was transferred to (not an API field). */
  transferredTo: number | null;
}

export interface RecordingRecord {
  recordingID: number;
  callID: number;
  recordingURL: string;
}

export interface VoicemailBoxRecord {
  voicemailBoxID: number;
  boxName: string;
  /** The owning employee's contactID (assumption: the API calls it clientID). */
  clientID: number;
  created: string;
}

export interface VoicemailRecord {
  voicemailID: number;
  voicemailBoxID: number;
  sender: string;
  /** Message length in seconds (unconfirmed unit). */
  length: number;
  callStarted: string;
  messageURL: string;
}

export interface AudioPromptRecord {
  id: number;
  name: string;
  type: number;
}

export interface VoipEndpointRecord {
  id: number;
  name: string;
  employee_id: number;
}

export interface LostCallRecord {
  /** Internal id (lost calls carry none in the API); used by LostCaller* events. */
  lostCallID: number;
  contact_name: string;
  destination: string;
  attempts: number;
  callerid: string;
  last_contact: string;
}

/** Everything the store keeps, by kind. */
export interface EntityMap {
  contacts: ContactRecord;
  groups: GroupRecord;
  calls: CallRecord;
  recordings: RecordingRecord;
  voicemailBoxes: VoicemailBoxRecord;
  voicemails: VoicemailRecord;
  audioPrompts: AudioPromptRecord;
  voipEndpoints: VoipEndpointRecord;
  lostCalls: LostCallRecord;
}
export type EntityKind = keyof EntityMap;

/** The id field of each kind. */
export const ID_KEYS = {
  contacts: 'contactID',
  groups: 'groupID',
  calls: 'callID',
  recordings: 'recordingID',
  voicemailBoxes: 'voicemailBoxID',
  voicemails: 'voicemailID',
  audioPrompts: 'id',
  voipEndpoints: 'id',
  lostCalls: 'lostCallID',
} as const satisfies { [K in EntityKind]: keyof EntityMap[K] };
export type IdKey<K extends EntityKind> = (typeof ID_KEYS)[K];

export const ENTITY_KINDS = Object.keys(ID_KEYS) as EntityKind[];

/** A new entity: everything but the id, which the store allocates (an explicit id is allowed). */
export type NewEntity<K extends EntityKind> = Omit<EntityMap[K], IdKey<K>> & { [P in IdKey<K> & keyof EntityMap[K]]?: EntityMap[K][P] };

/** The whole data set (what a seed produces). Arrays are in id order. */
export type PbxData = { [K in EntityKind]: Array<EntityMap[K]> };

/** The webhook events the API accepts: the connector's list (one definition, read by the mock too). */
export { WEBHOOK_EVENTS, type WebhookEventName as WebhookEvent } from '../../connector/model/events';

export interface WebhookRecord {
  id: number;
  event: WebhookEvent;
  endpoint: string;
  created: string;
}

/** The n-th fake number of a market (default the primary brand's, `+3710xxxxxxx`): a range no real number uses. */
export function fakeNumber(n: number, market: Market = primaryBrand.market): string {
  return fakeNumberOf(market, n);
}
