import { callHistoryEntry } from '../entities/call';
import { audioPromptView, voipEndpointView } from '../entities/configuration';
import { contactView } from '../entities/contact';
import { groupInList } from '../entities/group';
import { callRecording } from '../entities/recording';
import { voicemailBoxView, voicemailView } from '../entities/voicemail';
import type { Parameter, PollingTrigger, ViewRef } from '../model/types';
import { cursors, filter } from './parameters';
import { list } from './payloads';
import { BRAND } from '../brand/texts';

interface PollingSpec {
  operationId: string;
  resource: string;
  summary: string;
  description: string;
  hint: string;
  view: ViewRef;
  cursor: Parameter;
  parameters: Parameter[];
}

/** Parameter order is the published one; the cursor sits where 1.0 had it. */
function polling(spec: PollingSpec): PollingTrigger {
  const idField = spec.view.entity.idField;
  if (!idField) throw new Error(`${spec.operationId}: entity ${spec.view.entity.name} has no id field to poll by`);
  return {
    kind: 'polling',
    operationId: spec.operationId,
    method: 'get',
    path: `/trigger/${spec.resource}`,
    summary: spec.summary,
    description: spec.description,
    visibility: 'important',
    parameters: spec.parameters,
    payload: list(spec.view),
    stateParameter: spec.cursor.name,
    cursorField: idField,
    policyTitle: `${spec.operationId}PollingTriggerPolicy`,
    hint: spec.hint,
  };
}

const PAGING_NOTE =
  ' Every new item starts one run, newest first; a burst larger than one check can fetch is delivered over the next checks, ' +
  'none skipped or repeated.';

export const pollingTriggers: readonly PollingTrigger[] = [
  polling({
    operationId: 'GetContacts',
    resource: 'contacts',
    summary: 'When an employee is added',
    description: 'Starts a run for each employee (contact) added to the virtual PBX since the last check.' + PAGING_NOTE,
    hint: `To see it fire, add an employee in the ${BRAND.portal}.`,
    view: contactView,
    cursor: cursors.contact,
    parameters: [filter.limit.as('important'), filter.offset.as('important'), filter.contactId.as('important'), cursors.contact],
  }),
  polling({
    operationId: 'GetGroups',
    resource: 'groups',
    summary: 'When an employee group is created',
    description: 'Starts a run for each employee group created since the last check, optionally only groups of one employee.' + PAGING_NOTE,
    hint: `To see it fire, create an employee group in the ${BRAND.portal}.`,
    view: groupInList,
    cursor: cursors.group,
    parameters: [filter.groupId.as(), cursors.group, filter.contactId.as(), filter.limit.as(), filter.offset.as()],
  }),
  polling({
    operationId: 'GetCallRecordings',
    resource: 'call_records',
    summary: 'When a call recording is created',
    description:
      'Starts a run for each new call recording, optionally only for a number, an employee, a direction or a date range.' + PAGING_NOTE,
    hint: 'To see it fire, make a call on a line with call recording turned on.',
    view: callRecording,
    cursor: cursors.record,
    parameters: [
      filter.recordId.as('important'), cursors.record, filter.limit.as('important'), filter.offset.as('important'),
      filter.destination.as('important'), filter.source.as('important'), filter.direction.as('important'),
      filter.callContactId.as('important'), filter.dateFrom.as('important'), filter.dateTo.as(),
    ],
  }),
  polling({
    operationId: 'GetCallHistory',
    resource: 'call_history',
    summary: 'When a call is added to the call history',
    description:
      'Starts a run for each new call history entry, optionally only for a number, an employee, a direction or a date range.' + PAGING_NOTE,
    hint: `To see it fire, make or receive a call on a number of your ${BRAND.product} account.`,
    view: callHistoryEntry,
    cursor: cursors.call,
    parameters: [
      filter.callId.as(), cursors.call, filter.limit.as('important'), filter.offset.as('important'),
      filter.destination.as('important'), filter.source.as('important'), filter.direction.as('important'),
      filter.callContactId.as(), filter.dateFrom.as('important'), filter.dateTo.as(),
    ],
  }),
  polling({
    operationId: 'GetVoicemailBoxes',
    resource: 'voicemail_boxes',
    summary: 'When a voicemail box is created',
    description: 'Starts a run for each voicemail box created since the last check.' + PAGING_NOTE,
    hint: `To see it fire, create a voicemail box in the ${BRAND.portal}.`,
    view: voicemailBoxView,
    cursor: cursors.box,
    parameters: [filter.boxId.as('important'), cursors.box, filter.limit.as('important'), filter.offset.as('important')],
  }),
  polling({
    operationId: 'GetVoicemails',
    resource: 'voicemails',
    summary: 'When a voicemail is added to a voicemail box',
    description:
      'Starts a run for each new voicemail message, optionally only for a caller, an employee, a voicemail box or a date range.' + PAGING_NOTE,
    hint: 'To see it fire, call a number of your account, let it go to voicemail and leave a message.',
    view: voicemailView,
    cursor: cursors.voicemail,
    parameters: [
      filter.voicemailId.as('important'), cursors.voicemail, filter.limit.as('important'), filter.offset.as('important'),
      filter.source.as('important'), filter.contactId.as(), filter.boxId.as(), filter.dateFrom.as('important'), filter.dateTo.as(),
    ],
  }),
  polling({
    operationId: 'GetAudioPrompts',
    resource: 'audio_prompts',
    summary: 'When an audio prompt is added',
    description: 'Starts a run for each audio prompt (greeting, announcement, music on hold) added since the last check.' + PAGING_NOTE,
    hint: `To see it fire, upload an audio prompt in the ${BRAND.portal}.`,
    view: audioPromptView,
    cursor: cursors.prompt,
    parameters: [filter.promptId.as('important'), cursors.prompt, filter.limit.as('important'), filter.offset.as('important')],
  }),
  polling({
    operationId: 'GetVoipEndpoints',
    resource: 'voip_endpoints',
    summary: 'When a VoIP endpoint is added',
    description: 'Starts a run for each VoIP endpoint (SIP desk phone or softphone) added since the last check.' + PAGING_NOTE,
    hint: `To see it fire, add a VoIP endpoint for an employee in the ${BRAND.portal}.`,
    view: voipEndpointView,
    cursor: cursors.endpoint,
    parameters: [filter.endpointId.as('important'), cursors.endpoint, filter.limit.as('important'), filter.offset.as('important')],
  }),
];
