import { choiceView } from '../entities/choice';
import { documentedLimits } from '../model/limits';
import type { Action, Picker } from '../model/types';
import { routeOf } from './lists';
import { pickers } from './parameters';
import { choices } from './payloads';
import { pollingTriggers } from './polling';

/**
 * The internal operations behind the designer dropdowns (`x-ms-dynamic-values`). Each returns an
 * array of `{id, title}` (validator rule InvokedOperationShouldProduceArray) of bounded size:
 * script.csx reads the trigger's list, at most `maxChoices` items, and sorts them by title.
 */
function pickerOperation(picker: Picker, triggerId: string, path: string, what: string, title: string): Action {
  const trigger = pollingTriggers.find((t) => t.operationId === triggerId);
  if (!trigger) throw new Error(`no polling trigger ${triggerId} to pick from`);
  return {
    kind: 'action',
    operationId: picker.operationId,
    method: 'get',
    path,
    summary: `List ${what} for a dropdown`,
    description: `Offers the ${what} in the designer's dropdowns: the value is the ID, the title ${title}. At most ${documentedLimits.maxChoices}, sorted by title; type an ID for any other.`,
    visibility: 'internal',
    parameters: [],
    payload: choices(choiceView),
    route: routeOf(trigger),
  };
}

export const pickerOperations: readonly Action[] = [
  pickerOperation(pickers.contact, 'GetContacts', '/choices/contacts', 'employees', 'is the name and phone number'),
  pickerOperation(pickers.group, 'GetGroups', '/choices/groups', 'employee groups', 'is the group name'),
  pickerOperation(pickers.box, 'GetVoicemailBoxes', '/choices/voicemail_boxes', 'voicemail boxes', 'is the box name'),
  pickerOperation(pickers.endpoint, 'GetVoipEndpoints', '/choices/voip_endpoints', 'VoIP endpoints', 'is the endpoint name'),
  pickerOperation(pickers.recording, 'GetCallRecordings', '/choices/call_records', 'recent call recordings', 'is the start time, the caller and the direction of the call'),
];
