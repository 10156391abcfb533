import { documentedLimits } from '../model/limits';
import type { Action, ListRoute, PollingTrigger } from '../model/types';
import { listing } from './parameters';
import { page } from './payloads';
import { pollingTriggers } from './polling';

/**
 * A list action for each PBX collection. The PBX lists a collection only on the polling trigger's
 * route (`/trigger/<collection>`), so each list action is the trigger's filters (same parameter
 * names and texts) on a connector path of its own (`/list/<collection>`, which the PBX does not
 * have: if the custom code were bypassed, the call fails instead of doing something else), and
 * script.csx sends it to the trigger's route with the cursor at 0.
 */
export function routeOf(trigger: PollingTrigger): ListRoute {
  return { path: trigger.path, cursorParameter: trigger.stateParameter, idField: trigger.cursorField };
}

function triggerNamed(operationId: string): PollingTrigger {
  const trigger = pollingTriggers.find((t) => t.operationId === operationId);
  if (!trigger) throw new Error(`no polling trigger ${operationId} to list by`);
  return trigger;
}

const PAGING_NOTE =
  ` Newest first, up to ${documentedLimits.maxListPageSize} per page; Next Link leads to the next page while more remain, ` +
  'and items added while you page through the list neither repeat nor shift the pages.';

/** The trigger's filters (without its cursor, page size and offset) and the list's paging inputs. */
function listAction(operationId: string, triggerId: string, summary: string, description: string): Action {
  const trigger = triggerNamed(triggerId);
  const route = routeOf(trigger);
  const filters = trigger.parameters.filter((p) => p.name !== trigger.stateParameter && p.name !== 'limit' && p.name !== 'offset');
  return {
    kind: 'action',
    operationId,
    method: 'get',
    path: route.path.replace(/^\/trigger\//, '/list/'),
    summary,
    description: description + PAGING_NOTE,
    visibility: 'important',
    parameters: [...filters, listing.limit.as('advanced'), listing.offset.as('advanced'), listing.snapshotId.as('advanced'), listing.afterId.as('advanced')],
    payload: page(trigger.payload.view),
    pageable: true,
    route,
  };
}

export const listActions: readonly Action[] = [
  listAction('ListContacts', 'GetContacts', 'List employees', 'Lists the employees (contacts) of the virtual PBX, optionally only one.'),
  listAction('ListGroups', 'GetGroups', 'List employee groups', 'Lists the employee groups, optionally only the groups of one employee.'),
  listAction('ListCallRecordings', 'GetCallRecordings', 'List call recordings',
    'Lists call recordings, optionally only for a number, an employee, a direction or a date range.'),
  listAction('ListCalls', 'GetCallHistory', 'List calls of the call history',
    'Lists the calls of the call history, optionally only for a number, an employee, a direction or a date range.'),
  listAction('ListVoicemailBoxes', 'GetVoicemailBoxes', 'List voicemail boxes', 'Lists the voicemail boxes of the virtual PBX.'),
  listAction('ListVoicemails', 'GetVoicemails', 'List voicemails',
    'Lists voicemail messages, optionally only for a caller, an employee, a voicemail box or a date range.'),
  listAction('ListAudioPrompts', 'GetAudioPrompts', 'List audio prompts', 'Lists the audio prompts (greetings, announcements, music on hold).'),
  listAction('ListVoipEndpoints', 'GetVoipEndpoints', 'List VoIP endpoints', 'Lists the VoIP endpoints (SIP desk phones and softphones).'),
];
