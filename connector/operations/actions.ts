import { callHistoryEntry } from '../entities/call';
import { audioPromptView, voipEndpointView } from '../entities/configuration';
import { contactView } from '../entities/contact';
import { groupById } from '../entities/group';
import { lostCallView } from '../entities/lost-call';
import { callRecording } from '../entities/recording';
import { voicemailBoxView, voicemailView } from '../entities/voicemail';
import type { Action } from '../model/types';
import { filter, path, pickers } from './parameters';
import { empty, item, linked } from './payloads';

const byId = (
  operationId: string,
  route: string,
  summary: string,
  description: string,
  parameter: (typeof path)[keyof typeof path],
  payload: Action['payload'],
): Action => ({
  kind: 'action',
  operationId,
  method: 'get',
  path: route,
  summary,
  description,
  visibility: 'important',
  parameters: [parameter.as()],
  payload,
});

export const actions: readonly Action[] = [
  byId('GetContactsByID', '/contacts/{contact_id}', 'Get contact by ID',
    'Reads one employee (contact) of the virtual PBX, with the groups the employee belongs to.',
    path.contactId, item(contactView)),
  byId('GetGroupByID', '/groups/{group_id}', 'Get group by ID',
    'Reads one employee group with its members.', path.groupId, item(groupById)),
  byId('GetCallRecordingByID', '/call_records/{record_id}', 'Get call recording by ID',
    'Reads one call recording, with the call it belongs to and a link to the audio file.',
    path.recordId, item(callRecording)),
  byId('GetCallHistoryItemByID', '/call_history/{call_id}', 'Get call history entry by ID',
    'Reads one call of the call history: who called whom, when, for how long and with what result.',
    path.callId, item(callHistoryEntry)),
  byId('GetVoicemailBoxByID', '/voicemail_boxes/{box_id}', 'Get voicemail box by ID',
    'Reads one voicemail box.', path.boxId, item(voicemailBoxView)),
  byId('GetVoicemailByID', '/voicemails/{voicemail_id}', 'Get voicemail by ID',
    'Reads one voicemail message, with the caller and a link to the audio file.',
    path.voicemailId, item(voicemailView)),
  byId('GetAudioPromptByID', '/audio_prompts/{prompt_id}', 'Get audio prompt by ID',
    'Reads one audio prompt (greeting, announcement or music on hold).', path.promptId, item(audioPromptView)),
  byId('GetVoipEndpointByID', '/voip_endpoints/{endpoint_id}', 'Get VoIP endpoint by ID',
    'Reads one VoIP endpoint (SIP desk phone or softphone).', path.endpointId, item(voipEndpointView)),
  {
    kind: 'action',
    operationId: 'GetLostCalls',
    method: 'get',
    path: '/lost_calls',
    summary: 'List lost callers',
    description:
      'Lists callers who did not reach anyone: calls not answered and not yet called back, or callers who tried again the same day without reaching an employee.',
    visibility: 'important',
    // Next Link added in 1.1 (additive) while a full page came back. Not pageable: its items stay in data (1.0's
    // output), and the designer's Pagination merges value (README "List actions, paging and dropdowns").
    parameters: [
      filter.limit.as('important'),
      filter.offset.as('important'),
      filter.destination.as('important'),
      filter.dateFrom.as('important'),
      filter.dateTo.as('important'),
    ],
    payload: linked(lostCallView),
  },
  {
    kind: 'action',
    operationId: 'Dial',
    method: 'post',
    path: '/dial',
    summary: 'Start a call',
    description:
      "Starts a new call: the PBX first rings the employee's device and, when answered, connects it to the destination number.",
    parameters: [],
    body: {
      name: 'body',
      title: 'Call Request',
      description: 'Who should call whom.',
      visibility: 'important',
      properties: {
        destination: {
          type: 'string',
          title: 'Destination Number',
          description: 'Phone number or extension to call: a number in international form (+, country code, number) or an extension.',
          visibility: 'important',
        },
        contactID: {
          type: 'integer',
          format: 'int32',
          title: 'Employee Contact ID',
          description: 'Contact ID of the employee whose device places the call.',
          visibility: 'important',
          picker: pickers.contact,
        },
      },
      required: ['contactID', 'destination'],
    },
    payload: empty,
  },
];

/** Used by the platform only: unsubscribes a webhook through the `Location` of its subscription. */
export const deleteWebhook: Action = {
  kind: 'action',
  operationId: 'DeleteWebhookByID',
  method: 'delete',
  path: '/webhooks/{webhook_id}',
  summary: 'Delete webhook by ID',
  description:
    'Removes a webhook subscription; the platform calls it when a flow with a webhook trigger is turned off, edited or deleted.',
  visibility: 'internal',
  parameters: [path.webhookId.as()],
  payload: empty,
};
