import { defineEntity, int32, text, view } from './field';

/** A caller who did not reach anyone (a "lost caller"), until someone calls back. */
export const lostCall = defineEntity({
  name: 'lost call',
  fields: {
    contact_name: text('Contact Name', 'Name the PBX knows for this lost caller or the employee it was meant for; empty when unknown (unconfirmed).', { nullable: true }),
    destination: text('Destination Number', 'Number or extension the lost caller dialled.'),
    attempts: int32('Attempts', 'How many times this caller tried without reaching anyone.'),
    callerid: text('Caller Number', 'Phone number of the lost caller, to call back.'),
    last_contact: text('Last Attempt At', "Date and time of the caller's latest unanswered attempt.", { format: 'date-time' }),
  },
  required: ['callerid'],
});

export const lostCallView = view(lostCall, 'LostCall', 'A lost caller: someone whose calls were not answered.', [
  'contact_name', 'destination', 'attempts', 'callerid', 'last_contact',
]);

/** Events publish `last_contact` without the date-time format; flows built on 1.0 are bound to that. */
export const lostCallerData = view(
  lostCall,
  'LostCallerData',
  'A lost caller, as sent in lost-caller events.',
  ['contact_name', 'destination', 'attempts', 'callerid', 'last_contact'],
  { last_contact: null },
);

export const lostCallerRemovedData = view(lostCall, 'LostCallerRemovedData', 'A lost caller who has been called back or reached someone.', [
  'destination', 'callerid',
]);
