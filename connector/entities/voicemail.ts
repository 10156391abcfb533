import { defineEntity, int32, text, view } from './field';
import { BRAND } from '../brand/texts';

/** A voicemail box that callers can leave messages in. */
export const voicemailBox = defineEntity({
  name: 'voicemail box',
  fields: {
    clientID: int32('Client Account ID', `ID of the ${BRAND.product} customer account that owns the voicemail box.`),
    boxName: text('Voicemail Box Name', `Name of the voicemail box as shown in the ${BRAND.portal}.`),
    created: text('Created At', 'Date and time the voicemail box was created.'),
    voicemailBoxID: int32('Voicemail Box ID', 'Unique ID of the voicemail box; newer boxes have higher IDs.'),
  },
  required: ['voicemailBoxID'],
  idField: 'voicemailBoxID',
});

export const voicemailBoxView = view(voicemailBox, 'VoicemailBox', 'A voicemail box.', [
  'clientID', 'boxName', 'created', 'voicemailBoxID',
]);

/** A voicemail message left by a caller. */
export const voicemail = defineEntity({
  name: 'voicemail',
  fields: {
    sender: text('Caller Number', 'Phone number of the caller who left the voicemail message; empty when the caller withheld it.', { nullable: true }),
    voicemailID: int32('Voicemail ID', 'Unique ID of the voicemail message; newer messages have higher IDs.'),
    length: int32('Length (Seconds)', 'Duration of the voicemail message, in seconds (unit unconfirmed).'),
    callStarted: text('Call Started At', 'Date and time the call that left the message started.'),
    voicemailBoxID: int32('Voicemail Box ID', 'ID of the voicemail box the message was left in.'),
    voicemailBoxName: text('Voicemail Box Name', 'Name of the voicemail box the message was left in.'),
    messageURL: text('Message File URL', 'Link to download the audio file of the voicemail message (unconfirmed: may need the same API access as the connector).'),
  },
  required: ['voicemailID'],
  idField: 'voicemailID',
});

export const voicemailView = view(voicemail, 'Voicemail', 'A voicemail message.', [
  'sender', 'voicemailID', 'length', 'callStarted', 'voicemailBoxID', 'voicemailBoxName', 'messageURL',
]);

export const voicemailDeletedData = view(voicemail, 'VoicemailDeletedData', 'A voicemail message that has just been deleted.', [
  'sender', 'voicemailID',
]);
