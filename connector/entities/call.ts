import { defineEntity, int32, text, view } from './field';
import { BRAND } from '../brand/texts';

/**
 * A call as the PBX reports it in call history and in call events. Fields shared with recordings
 * (a recording is of a call) are exported as `callFields` so both entities use the same texts.
 */
export const callFields = {
  callID: int32('Call ID', `Unique ID of the call in ${BRAND.product}; newer calls have higher IDs.`),
  caller: text('Caller Number', 'Phone number of the calling party (who placed the call), or an internal extension.'),
  destination: text('Destination Number', 'Phone number or extension the call was placed to (who was called).'),
  direction: text('Direction', 'Direction of the call seen from your company: "in" for an incoming call, "out" for an outgoing call.'),
  status: int32('Call Status Code', 'Numeric status of the call as the PBX reports it (for example answered or not answered); the code list is not published (unconfirmed).'),
  callStarted: text('Call Started At', 'Date and time the call started (began ringing), as the PBX sends it.'),
  callConnected: text('Call Answered At', 'Date and time the call was answered; empty for a call that was not answered.', { nullable: true }),
  callEnded: text('Call Ended At', 'Date and time the call ended (hung up), as the PBX sends it.'),
  connectionTime: int32('Talk Time (Seconds)', 'How long the call was connected after it was answered, in seconds (unit unconfirmed); 0 for an unanswered call.'),
  contactID: int32('Employee Contact ID', 'Contact ID of the employee who handled the call; empty when no employee took part (unconfirmed).', { nullable: true }),
} as const;

export const call = defineEntity({
  name: 'call',
  fields: {
    ...callFields,
    recordingID: int32('Recording ID', 'ID of the recording of this call; empty when the call was not recorded.', { nullable: true }),
    previous_contactID: int32('Previous Employee Contact ID', 'Contact ID of the employee who had the call before it was transferred or completed by someone else; empty when there was none.', { nullable: true }),
  },
  required: ['callID'],
  idField: 'callID',
});

export const callHistoryEntry = view(call, 'CallHistoryEntry', 'One call of the call history.', [
  'callID', 'caller', 'destination', 'direction', 'status', 'callStarted', 'callConnected', 'callEnded',
  'connectionTime', 'contactID', 'recordingID',
]);

export const callStartedData = view(call, 'CallStartedData', 'A call that has just started ringing.', [
  'callID', 'caller', 'destination', 'direction', 'status', 'callStarted', 'contactID',
]);

export const callConnectedData = view(call, 'CallConnectedData', 'A call that has just been answered.', [
  'callID', 'caller', 'destination', 'direction', 'status', 'callStarted', 'callConnected', 'contactID',
]);

export const callCompletedData = view(call, 'CallCompletedData', 'A call that has just ended.', [
  'callID', 'caller', 'destination', 'direction', 'status', 'callStarted', 'callConnected', 'connectionTime',
  'contactID', 'previous_contactID',
]);

export const callTransferedData = view(call, 'CallTransferedData', 'A call that has just been transferred to another party.', [
  'callID', 'caller', 'destination', 'status', 'callStarted', 'callConnected', 'connectionTime', 'contactID',
  'previous_contactID', 'direction',
]);
