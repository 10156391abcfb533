import { callCompletedData, callConnectedData, callStartedData, callTransferedData } from '../entities/call';
import { lostCallerData, lostCallerRemovedData } from '../entities/lost-call';
import { callRecordedData } from '../entities/recording';
import { voicemailDeletedData, voicemailView } from '../entities/voicemail';
import type { WebhookEventName } from '../model/events';
import type { BodyParameter, ViewRef, WebhookEvent, WebhookTrigger } from '../model/types';
import { webhookId } from './payloads';
import { BRAND } from '../brand/texts';

/** The subscription body: the platform fills in its callback URL; nobody else sees it. */
const subscription: BodyParameter = {
  name: 'body',
  title: 'Subscription',
  description: 'The webhook subscription the platform registers for this trigger; filled in automatically.',
  visibility: 'internal',
  properties: {
    endpoint: {
      type: 'string',
      title: 'Callback URL',
      description: 'URL the PBX posts each event to; the platform sets it when the flow is saved.',
      visibility: 'internal',
      notificationUrl: true,
    },
  },
  required: ['endpoint'],
};

interface WebhookSpec {
  event: WebhookEventName;
  summary: string;
  /** When the PBX sends the event ("when ..."), ending with a period. */
  when: string;
  hint: string;
  data: ViewRef;
  category: WebhookEvent['category'];
}

function webhook(spec: WebhookSpec): WebhookTrigger {
  return {
    kind: 'webhook',
    operationId: spec.event,
    method: 'post',
    path: `/webhooks/${spec.event}`,
    summary: spec.summary,
    description: `Starts a run ${spec.when}`,
    visibility: 'important',
    parameters: [],
    body: subscription,
    payload: webhookId,
    hint: spec.hint,
    event: {
      name: spec.event,
      schemaName: `${spec.event}Event`,
      description: `The ${spec.event} event the PBX sends ${spec.when}`,
      data: spec.data,
      category: spec.category,
    },
  };
}

const CALL_HINT = `To see it fire, make or receive a call on a number of your ${BRAND.product} account.`;

/** Published order of the 1.0 definition. */
export const webhookTriggers: readonly WebhookTrigger[] = [
  webhook({
    event: 'CallConnected',
    summary: 'When a call is answered',
    when: 'when a call is answered by an employee or a device.',
    hint: CALL_HINT,
    data: callConnectedData,
    category: 'call',
  }),
  webhook({
    event: 'CallCompleted',
    summary: 'When a call ends',
    when: 'when a call has ended, answered or not.',
    hint: CALL_HINT,
    data: callCompletedData,
    category: 'call',
  }),
  webhook({
    event: 'VoicemailCreated',
    summary: 'When a voicemail is left',
    when: 'when a caller has left a voicemail message.',
    hint: 'To see it fire, call a number of your account, let it go to voicemail and leave a message.',
    data: voicemailView,
    category: 'voicemail',
  }),
  webhook({
    event: 'VoicemailDeleted',
    summary: 'When a voicemail is deleted',
    when: 'when a user has deleted a voicemail message.',
    hint: `To see it fire, delete a voicemail message in the ${BRAND.portal}.`,
    data: voicemailDeletedData,
    category: 'voicemail',
  }),
  webhook({
    event: 'LostCallerAdded',
    summary: 'When a caller is lost',
    when: 'when a call is not answered and the caller is registered as a lost caller.',
    hint: 'To see it fire, call a number of your account and hang up before anyone answers.',
    data: lostCallerData,
    category: 'lost_caller',
  }),
  webhook({
    event: 'LostCallerUpdated',
    summary: 'When a lost caller tries again',
    when: 'when a lost caller calls again without reaching anyone, so the attempts and the last attempt time change.',
    hint: 'To see it fire, call a number of your account twice and hang up before anyone answers.',
    data: lostCallerData,
    category: 'lost_caller',
  }),
  webhook({
    event: 'LostCallerRemoved',
    summary: 'When a lost caller is reached',
    when: 'when a lost caller is called back by an employee or is answered on a later call.',
    hint: 'To see it fire, call back a lost caller from an employee number.',
    data: lostCallerRemovedData,
    category: 'lost_caller',
  }),
  webhook({
    event: 'CallRecorded',
    summary: 'When a call recording is ready',
    when: 'when the recording of a call has been created.',
    hint: 'To see it fire, make a call on a line with call recording turned on.',
    data: callRecordedData,
    category: 'call',
  }),
  webhook({
    event: 'CallTransfered',
    summary: 'When a call is transferred',
    when: 'when a call is transferred to another party, by a blind or an attended transfer.',
    hint: 'To see it fire, answer a call and transfer it to a colleague.',
    data: callTransferedData,
    category: 'call',
  }),
  webhook({
    event: 'CallStarted',
    summary: 'When a call starts',
    when: 'when a call starts ringing, incoming or outgoing.',
    hint: CALL_HINT,
    data: callStartedData,
    category: 'call',
  }),
];
