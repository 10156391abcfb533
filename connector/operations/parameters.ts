import { documentedLimits } from '../model/limits';
import type { Format, Parameter, Picker, ScalarType, Visibility } from '../model/types';

/**
 * Every parameter is defined once here. The published 1.0 definition shows the same parameter
 * with different visibility in different operations; flows do not depend on visibility, but we keep
 * the published value (`as(visibility)`) so the designer looks the same to existing users.
 */
type Def = Omit<Parameter, 'visibility'>;

export interface ParameterDef extends Def {
  /** The parameter with the visibility an operation publishes (`undefined`: designer default). */
  as(visibility?: Visibility): Parameter;
}

function define(def: Def): ParameterDef {
  return {
    ...def,
    as(visibility?: Visibility): Parameter {
      return visibility === undefined ? { ...def } : { ...def, visibility };
    },
  };
}

/**
 * The designer dropdowns, by the internal operation that lists their items (connector/operations/pickers.ts).
 * Every visible input taking one of these IDs offers the dropdown.
 */
const picker = (operationId: string): Picker => ({ operationId, valuePath: 'id', titlePath: 'title' });
export const pickers = {
  contact: picker('ListContactChoices'),
  group: picker('ListGroupChoices'),
  box: picker('ListVoicemailBoxChoices'),
  endpoint: picker('ListVoipEndpointChoices'),
};

function pathId(name: string, title: string, description: string, choices?: Picker): ParameterDef {
  return define({ name, in: 'path', type: 'integer', required: true, title, description, urlEncoding: 'single', ...(choices ? { picker: choices } : {}) });
}

function query(name: string, type: ScalarType, title: string, description: string, format?: Format, choices?: Picker): ParameterDef {
  return define({ name, in: 'query', type, ...(format ? { format } : {}), required: false, title, description, ...(choices ? { picker: choices } : {}) });
}

/** The polling cursor: the platform stores it between polls; 0 on the first poll. */
function cursor(name: string, title: string, items: string): Parameter {
  return {
    name,
    in: 'query',
    type: 'integer',
    required: true,
    visibility: 'internal',
    default: 0,
    title,
    description: `Cursor kept by the platform between polls: only ${items} with a higher ID are returned. Set automatically; 0 starts from now.`,
  };
}

export const path = {
  contactId: pathId('contact_id', 'Contact ID', 'Unique ID of the employee (contact) to read.', pickers.contact),
  groupId: pathId('group_id', 'Group ID', 'Unique ID of the employee group to read.', pickers.group),
  recordId: pathId('record_id', 'Recording ID', 'Unique ID of the call recording to read.'),
  callId: pathId('call_id', 'Call ID', 'Unique ID of the call history entry to read.'),
  boxId: pathId('box_id', 'Voicemail Box ID', 'Unique ID of the voicemail box to read.', pickers.box),
  voicemailId: pathId('voicemail_id', 'Voicemail ID', 'Unique ID of the voicemail message to read.'),
  promptId: pathId('prompt_id', 'Audio Prompt ID', 'Unique ID of the audio prompt to read.'),
  endpointId: pathId('endpoint_id', 'VoIP Endpoint ID', 'Unique ID of the VoIP endpoint to read.', pickers.endpoint),
  webhookId: pathId('webhook_id', 'Webhook ID', 'Unique ID of the webhook subscription to remove, as returned when it was created.'),
};

export const filter = {
  limit: query(
    'limit',
    'integer',
    'Page Size',
    `Largest number of items the PBX returns per request. Triggers keep fetching pages until every new item is delivered; ${documentedLimits.defaultPageSize} when empty.`,
  ),
  offset: query('offset', 'integer', 'Offset', 'Number of matching items to skip before the first one returned; leave empty unless you page through results yourself.'),
  destination: query('destination', 'string', 'Destination Number', 'Only items whose call was placed to this number or extension.'),
  source: query('source', 'string', 'Caller Number', 'Only items whose call came from this number (the calling party).'),
  direction: query('direction', 'string', 'Direction', 'Only incoming ("in") or only outgoing ("out") calls; empty for both.'),
  callContactId: query('contact_id', 'integer', 'Employee Contact ID', 'Only items that involve the employee with this contact ID.', undefined, pickers.contact),
  contactId: query('contact_id', 'integer', 'Contact ID', 'Only the employee, or the groups of the employee, with this contact ID.', undefined, pickers.contact),
  dateFrom: query('date_from', 'string', 'From Date', 'Only items on or after this date and time (ISO 8601, e.g. 2026-11-02T00:00:00+02:00).', 'date-time'),
  dateTo: query('date_to', 'string', 'To Date', 'Only items on or before this date and time (ISO 8601, e.g. 2026-11-02T23:59:59+02:00).', 'date-time'),
  recordId: query('record_id', 'integer', 'Recording ID', 'Only the call recording with this ID.'),
  callId: query('call_id', 'integer', 'Call ID', 'Only the call with this ID.'),
  boxId: query('box_id', 'integer', 'Voicemail Box ID', 'Only items of the voicemail box with this ID.', undefined, pickers.box),
  voicemailId: query('voicemail_id', 'integer', 'Voicemail ID', 'Only the voicemail message with this ID.'),
  promptId: query('prompt_id', 'integer', 'Audio Prompt ID', 'Only the audio prompt with this ID.'),
  endpointId: query('endpoint_id', 'integer', 'VoIP Endpoint ID', 'Only the VoIP endpoint with this ID.', undefined, pickers.endpoint),
  groupId: query('group_id', 'integer', 'Group ID', 'Only the employee group with this ID.', undefined, pickers.group),
};

/** Paging inputs of the list actions: the PBX's own `limit` and `offset`, and the two guards the next link carries. */
export const listing = {
  limit: query(
    'limit',
    'integer',
    'Page Size',
    `Number of items per page, 1 to ${documentedLimits.maxListPageSize}; ${documentedLimits.defaultListPageSize} when empty.`,
  ),
  offset: query(
    'offset',
    'integer',
    'Offset',
    'Where to start reading the list: 0 (or empty) for the first page, then Next Offset of the previous page. In a Do until loop also pass Snapshot ID and Last ID (as After ID) of the previous page.',
  ),
  snapshotId: query(
    'snapshot_id',
    'integer',
    'Snapshot ID',
    'Pins the list as it was when its first page was read: items with a higher ID (added later) are left out. Empty or 0 on the first page; then Snapshot ID of the first page (Next Link carries it).',
  ),
  afterId: query(
    'after_id',
    'integer',
    'After ID',
    'Where the previous page stopped: pass its Last ID, so that an item read again (pushed onto this page by newer ones) is not repeated; only items below it follow (above it when the PBX lists oldest first). Empty or 0 on the first page (Next Link carries it).',
  ),
};

export const cursors = {
  contact: cursor('initial_contact_id', 'Last Seen Contact ID', 'employees'),
  group: cursor('initial_group_id', 'Last Seen Group ID', 'employee groups'),
  record: cursor('initial_record_id', 'Last Seen Recording ID', 'call recordings'),
  call: cursor('initial_call_id', 'Last Seen Call ID', 'calls'),
  box: cursor('initial_box_id', 'Last Seen Voicemail Box ID', 'voicemail boxes'),
  voicemail: cursor('initial_voicemail_id', 'Last Seen Voicemail ID', 'voicemail messages'),
  prompt: cursor('initial_prompt_id', 'Last Seen Audio Prompt ID', 'audio prompts'),
  endpoint: cursor('initial_endpoint_id', 'Last Seen VoIP Endpoint ID', 'VoIP endpoints'),
};
