import { callFields } from './call';
import { defineEntity, int32, text, view } from './field';

/** A recording of a call: the call's own fields plus the audio file. */
export const recording = defineEntity({
  name: 'call recording',
  fields: {
    recordingID: int32('Recording ID', 'Unique ID of the call recording; newer recordings have higher IDs.'),
    callID: int32('Call ID', 'ID of the recorded call in the call history.'),
    caller: callFields.caller,
    destination: callFields.destination,
    direction: callFields.direction,
    status: callFields.status,
    callStarted: callFields.callStarted,
    callConnected: callFields.callConnected,
    callEnded: callFields.callEnded,
    connectionTime: callFields.connectionTime,
    contactID: callFields.contactID,
    recordingURL: text('Recording File URL', 'Link to download the audio file of the recording: on the PBX with the same API access as the connector, or a pre-signed link elsewhere (unconfirmed). Get call recording file downloads it either way.'),
  },
  required: ['recordingID'],
  idField: 'recordingID',
});

export const callRecording = view(recording, 'CallRecording', 'A recording of a call.', [
  'recordingID', 'callID', 'caller', 'destination', 'direction', 'status', 'callStarted', 'callConnected',
  'callEnded', 'contactID', 'recordingURL',
]);

export const callRecordedData = view(recording, 'CallRecordedData', 'A call recording that has just become available.', [
  'recordingID', 'callID', 'callStarted', 'recordingURL', 'direction', 'connectionTime',
]);
