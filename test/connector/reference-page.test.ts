/**
 * Every action and trigger on the published reference page of the connector (Microsoft Learn,
 * "Zvanu Parvaldnieks (Preview)") must still exist, with the parameter keys and returned fields the
 * page shows, in the project's generated apiDefinition.swagger.json (checked after $ref resolution)
 * and in the committed compatibility baseline.
 *
 * The table below is transcribed from the page. Notation of the page: returned paths are joined with
 * dots and do not mark arrays (`data.group_membership.members.contactID`); a container that is a list
 * is a row of type `array of object`. `toSurfacePath` turns that into the surface notation
 * (`data[]/group_membership[]/members[]/contactID`). Body properties are listed on the page by their
 * property name (`destination`); the surface lists them as `body/destination`.
 * The page truncates webhook trigger names to "Call", "Lost" and "Voicemail"; each is matched to its
 * operationId by the event its page description names (the page says LostCallerCreated/Deleted for the
 * operations LostCallerAdded/Removed).
 */
import * as fs from 'fs';
import * as path from 'path';
import { describe, expect, it } from 'vitest';
import { loadBaseline } from '../../connector/compat/guard';
import { extractSurface, type Surface, type SurfaceOperation, type SurfaceParameter } from '../../connector/compat/surface';

type PageType = 'string' | 'integer' | 'date-time' | 'array of object';

interface PublishedOperation {
  /** The name the page shows. */
  page: string;
  kind: 'action' | 'trigger';
  operationId: string;
  /** [key, required, type] as the page's Parameters table shows them. */
  parameters: Array<[string, boolean, PageType]>;
  /** [path, type] as the page's Returns table shows them. */
  returns: Array<[string, PageType]>;
}

const PUBLISHED: PublishedOperation[] = [
  {
    page: 'Dial',
    kind: 'action',
    operationId: 'Dial',
    parameters: [['destination', true, 'string'], ['contactID', true, 'integer']],
    returns: [
      ['version', 'string'],
      ['status', 'string'],
      ['statusCode', 'integer'],
      ['message', 'string'],
    ],
  },
  {
    page: 'Get Audio Prompt By ID',
    kind: 'action',
    operationId: 'GetAudioPromptByID',
    parameters: [['prompt_id', true, 'integer']],
    returns: [
      ['version', 'string'],
      ['status', 'string'],
      ['statusCode', 'integer'],
      ['message', 'string'],
      ['data.id', 'integer'],
      ['data.name', 'string'],
      ['data.type', 'integer'],
    ],
  },
  {
    page: 'Get Call History Item By ID',
    kind: 'action',
    operationId: 'GetCallHistoryItemByID',
    parameters: [['call_id', true, 'integer']],
    returns: [
      ['version', 'string'],
      ['status', 'string'],
      ['statusCode', 'integer'],
      ['message', 'string'],
      ['data.callID', 'integer'],
      ['data.caller', 'string'],
      ['data.destination', 'string'],
      ['data.direction', 'string'],
      ['data.status', 'integer'],
      ['data.callStarted', 'string'],
      ['data.callConnected', 'string'],
      ['data.callEnded', 'string'],
      ['data.connectionTime', 'integer'],
      ['data.contactID', 'integer'],
      ['data.recordingID', 'integer'],
    ],
  },
  {
    page: 'Get Call Recording by ID',
    kind: 'action',
    operationId: 'GetCallRecordingByID',
    parameters: [['record_id', true, 'integer']],
    returns: [
      ['version', 'string'],
      ['status', 'string'],
      ['statusCode', 'integer'],
      ['message', 'string'],
      ['data.recordingID', 'integer'],
      ['data.callID', 'integer'],
      ['data.caller', 'string'],
      ['data.destination', 'string'],
      ['data.direction', 'string'],
      ['data.status', 'integer'],
      ['data.callStarted', 'string'],
      ['data.callConnected', 'string'],
      ['data.callEnded', 'string'],
      ['data.contactID', 'integer'],
      ['data.recordingURL', 'string'],
    ],
  },
  {
    page: 'Get Contacts by ID',
    kind: 'action',
    operationId: 'GetContactsByID',
    parameters: [['contact_id', true, 'integer']],
    returns: [
      ['version', 'string'],
      ['status', 'string'],
      ['statusCode', 'integer'],
      ['message', 'string'],
      ['data.current_callerid', 'string'],
      ['data.archived', 'integer'],
      ['data.firstname', 'string'],
      ['data.lastname', 'string'],
      ['data.created', 'string'],
      ['data.number', 'string'],
      ['data.contactID', 'integer'],
      ['data.group_membership', 'array of object'],
      ['data.group_membership.created', 'string'],
      ['data.group_membership.groupID', 'integer'],
      ['data.group_membership.type', 'integer'],
      ['data.group_membership.name', 'string'],
      ['data.group_membership.members', 'array of object'],
      ['data.group_membership.members.contactID', 'integer'],
      ['data.avatar', 'string'],
    ],
  },
  {
    page: 'Get Group By ID',
    kind: 'action',
    operationId: 'GetGroupByID',
    parameters: [['group_id', true, 'integer']],
    returns: [
      ['version', 'string'],
      ['status', 'string'],
      ['statusCode', 'integer'],
      ['message', 'string'],
      ['data.created', 'date-time'],
      ['data.groupID', 'integer'],
      ['data.type', 'integer'],
      ['data.name', 'string'],
      ['data.members', 'array of object'],
      ['data.members.contactID', 'integer'],
    ],
  },
  {
    page: 'Get lost calls',
    kind: 'action',
    operationId: 'GetLostCalls',
    parameters: [
      ['limit', false, 'integer'],
      ['offset', false, 'integer'],
      ['destination', false, 'string'],
      ['date_from', false, 'date-time'],
      ['date_to', false, 'date-time'],
    ],
    returns: [
      ['version', 'string'],
      ['status', 'string'],
      ['statusCode', 'integer'],
      ['message', 'string'],
      ['data', 'array of object'],
      ['data.contact_name', 'string'],
      ['data.destination', 'string'],
      ['data.attempts', 'integer'],
      ['data.callerid', 'string'],
      ['data.last_contact', 'date-time'],
    ],
  },
  {
    page: 'Get Voicemail Box By ID',
    kind: 'action',
    operationId: 'GetVoicemailBoxByID',
    parameters: [['box_id', true, 'integer']],
    returns: [
      ['version', 'string'],
      ['status', 'string'],
      ['statusCode', 'integer'],
      ['message', 'string'],
      ['data.clientID', 'integer'],
      ['data.boxName', 'string'],
      ['data.created', 'string'],
      ['data.voicemailBoxID', 'integer'],
    ],
  },
  {
    page: 'Get Voicemail By ID',
    kind: 'action',
    operationId: 'GetVoicemailByID',
    parameters: [['voicemail_id', true, 'integer']],
    returns: [
      ['version', 'string'],
      ['status', 'string'],
      ['statusCode', 'integer'],
      ['message', 'string'],
      ['data.sender', 'string'],
      ['data.voicemailID', 'integer'],
      ['data.length', 'integer'],
      ['data.callStarted', 'string'],
      ['data.voicemailBoxID', 'integer'],
      ['data.voicemailBoxName', 'string'],
      ['data.messageURL', 'string'],
    ],
  },
  {
    page: 'Get VoIP Endpoint By ID',
    kind: 'action',
    operationId: 'GetVoipEndpointByID',
    parameters: [['endpoint_id', true, 'integer']],
    returns: [
      ['version', 'string'],
      ['status', 'string'],
      ['statusCode', 'integer'],
      ['message', 'string'],
      ['data.id', 'integer'],
      ['data.name', 'string'],
      ['data.employee_id', 'integer'],
    ],
  },
  {
    page: 'Call',
    kind: 'trigger',
    operationId: 'CallCompleted', // matched by its page description, which names CallCompletedEvent
    parameters: [],
    returns: [
      ['type', 'string'],
      ['version', 'string'],
      ['eventType', 'string'],
      ['data.callID', 'integer'],
      ['data.caller', 'string'],
      ['data.destination', 'string'],
      ['data.direction', 'string'],
      ['data.status', 'integer'],
      ['data.callStarted', 'string'],
      ['data.callConnected', 'string'],
      ['data.connectionTime', 'integer'],
      ['data.contactID', 'integer'],
      ['data.previous_contactID', 'integer'],
    ],
  },
  {
    page: 'Call',
    kind: 'trigger',
    operationId: 'CallConnected', // matched by its page description, which names CallConnectedEvent
    parameters: [],
    returns: [
      ['type', 'string'],
      ['version', 'string'],
      ['eventType', 'string'],
      ['data.callID', 'integer'],
      ['data.caller', 'string'],
      ['data.destination', 'string'],
      ['data.direction', 'string'],
      ['data.status', 'integer'],
      ['data.callStarted', 'string'],
      ['data.callConnected', 'string'],
      ['data.contactID', 'integer'],
    ],
  },
  {
    page: 'Call',
    kind: 'trigger',
    operationId: 'CallRecorded', // matched by its page description, which names CallRecorded
    parameters: [],
    returns: [
      ['type', 'string'],
      ['version', 'string'],
      ['eventType', 'string'],
      ['data.recordingID', 'integer'],
      ['data.callID', 'integer'],
      ['data.callStarted', 'string'],
      ['data.recordingURL', 'string'],
      ['data.direction', 'string'],
      ['data.connectionTime', 'integer'],
    ],
  },
  {
    page: 'Call',
    kind: 'trigger',
    operationId: 'CallStarted', // matched by its page description, which names CallStarted
    parameters: [],
    returns: [
      ['type', 'string'],
      ['version', 'string'],
      ['eventType', 'string'],
      ['data.callID', 'integer'],
      ['data.caller', 'string'],
      ['data.destination', 'string'],
      ['data.direction', 'string'],
      ['data.status', 'integer'],
      ['data.callStarted', 'string'],
      ['data.contactID', 'integer'],
    ],
  },
  {
    page: 'Call',
    kind: 'trigger',
    operationId: 'CallTransfered', // matched by its page description, which names CallTransfered
    parameters: [],
    returns: [
      ['type', 'string'],
      ['version', 'string'],
      ['eventType', 'string'],
      ['data.callID', 'integer'],
      ['data.caller', 'string'],
      ['data.destination', 'string'],
      ['data.status', 'integer'],
      ['data.callStarted', 'string'],
      ['data.callConnected', 'string'],
      ['data.connectionTime', 'integer'],
      ['data.contactID', 'integer'],
      ['data.previous_contactID', 'integer'],
      ['data.direction', 'string'],
    ],
  },
  {
    page: 'Get Audio Prompts',
    kind: 'trigger',
    operationId: 'GetAudioPrompts',
    parameters: [
      ['prompt_id', false, 'integer'],
      ['limit', false, 'integer'],
      ['offset', false, 'integer'],
    ],
    returns: [
      ['version', 'string'],
      ['status', 'string'],
      ['statusCode', 'integer'],
      ['message', 'string'],
      ['data', 'array of object'],
      ['data.id', 'integer'],
      ['data.name', 'string'],
      ['data.type', 'integer'],
    ],
  },
  {
    page: 'Get call History',
    kind: 'trigger',
    operationId: 'GetCallHistory',
    parameters: [
      ['call_id', false, 'integer'],
      ['limit', false, 'integer'],
      ['offset', false, 'integer'],
      ['destination', false, 'string'],
      ['source', false, 'string'],
      ['direction', false, 'string'],
      ['contact_id', false, 'integer'],
      ['date_from', false, 'date-time'],
      ['date_to', false, 'date-time'],
    ],
    returns: [
      ['version', 'string'],
      ['status', 'string'],
      ['statusCode', 'integer'],
      ['message', 'string'],
      ['data', 'array of object'],
      ['data.callID', 'integer'],
      ['data.caller', 'string'],
      ['data.destination', 'string'],
      ['data.direction', 'string'],
      ['data.status', 'integer'],
      ['data.callStarted', 'string'],
      ['data.callConnected', 'string'],
      ['data.callEnded', 'string'],
      ['data.connectionTime', 'integer'],
      ['data.contactID', 'integer'],
      ['data.recordingID', 'integer'],
    ],
  },
  {
    page: 'Get Call Recordings',
    kind: 'trigger',
    operationId: 'GetCallRecordings',
    parameters: [
      ['record_id', false, 'integer'],
      ['limit', false, 'integer'],
      ['offset', false, 'integer'],
      ['destination', false, 'string'],
      ['source', false, 'string'],
      ['direction', false, 'string'],
      ['contact_id', false, 'integer'],
      ['date_from', false, 'date-time'],
      ['date_to', false, 'date-time'],
    ],
    returns: [
      ['version', 'string'],
      ['status', 'string'],
      ['statusCode', 'integer'],
      ['message', 'string'],
      ['data', 'array of object'],
      ['data.recordingID', 'integer'],
      ['data.callID', 'integer'],
      ['data.caller', 'string'],
      ['data.destination', 'string'],
      ['data.direction', 'string'],
      ['data.status', 'integer'],
      ['data.callStarted', 'string'],
      ['data.callConnected', 'string'],
      ['data.callEnded', 'string'],
      ['data.contactID', 'integer'],
      ['data.recordingURL', 'string'],
    ],
  },
  {
    page: 'Get Contacts',
    kind: 'trigger',
    operationId: 'GetContacts',
    parameters: [
      ['limit', false, 'integer'],
      ['offset', false, 'integer'],
      ['contact_id', false, 'integer'],
    ],
    returns: [
      ['version', 'string'],
      ['status', 'string'],
      ['statusCode', 'integer'],
      ['message', 'string'],
      ['data', 'array of object'],
      ['data.current_callerid', 'string'],
      ['data.archived', 'integer'],
      ['data.firstname', 'string'],
      ['data.lastname', 'string'],
      ['data.created', 'string'],
      ['data.number', 'string'],
      ['data.contactID', 'integer'],
      ['data.group_membership', 'array of object'],
      ['data.group_membership.created', 'string'],
      ['data.group_membership.groupID', 'integer'],
      ['data.group_membership.type', 'integer'],
      ['data.group_membership.name', 'string'],
      ['data.group_membership.members', 'array of object'],
      ['data.group_membership.members.contactID', 'integer'],
      ['data.avatar', 'string'],
    ],
  },
  {
    page: 'Get Groups',
    kind: 'trigger',
    operationId: 'GetGroups',
    parameters: [
      ['group_id', false, 'integer'],
      ['contact_id', false, 'integer'],
      ['limit', false, 'integer'],
      ['offset', false, 'integer'],
    ],
    returns: [
      ['version', 'string'],
      ['status', 'string'],
      ['statusCode', 'integer'],
      ['message', 'string'],
      ['data', 'array of object'],
      ['data.created', 'string'],
      ['data.groupID', 'integer'],
      ['data.type', 'integer'],
      ['data.name', 'string'],
      ['data.members', 'array of object'],
      ['data.members.contactID', 'integer'],
    ],
  },
  {
    page: 'Get Voicemail Boxes',
    kind: 'trigger',
    operationId: 'GetVoicemailBoxes',
    parameters: [
      ['box_id', false, 'integer'],
      ['limit', false, 'integer'],
      ['offset', false, 'integer'],
    ],
    returns: [
      ['version', 'string'],
      ['status', 'string'],
      ['statusCode', 'integer'],
      ['message', 'string'],
      ['data', 'array of object'],
      ['data.clientID', 'integer'],
      ['data.boxName', 'string'],
      ['data.created', 'string'],
      ['data.voicemailBoxID', 'integer'],
    ],
  },
  {
    page: 'Get voicemails',
    kind: 'trigger',
    operationId: 'GetVoicemails',
    parameters: [
      ['voicemail_id', false, 'integer'],
      ['limit', false, 'integer'],
      ['offset', false, 'integer'],
      ['source', false, 'string'],
      ['contact_id', false, 'integer'],
      ['box_id', false, 'integer'],
      ['date_from', false, 'date-time'],
      ['date_to', false, 'date-time'],
    ],
    returns: [
      ['version', 'string'],
      ['status', 'string'],
      ['statusCode', 'integer'],
      ['message', 'string'],
      ['data', 'array of object'],
      ['data.sender', 'string'],
      ['data.voicemailID', 'integer'],
      ['data.length', 'integer'],
      ['data.callStarted', 'string'],
      ['data.voicemailBoxID', 'integer'],
      ['data.voicemailBoxName', 'string'],
      ['data.messageURL', 'string'],
    ],
  },
  {
    page: 'Get VoIP Endpoints',
    kind: 'trigger',
    operationId: 'GetVoipEndpoints',
    parameters: [
      ['endpoint_id', false, 'integer'],
      ['limit', false, 'integer'],
      ['offset', false, 'integer'],
    ],
    returns: [
      ['version', 'string'],
      ['status', 'string'],
      ['statusCode', 'integer'],
      ['message', 'string'],
      ['data', 'array of object'],
      ['data.id', 'integer'],
      ['data.name', 'string'],
      ['data.employee_id', 'integer'],
    ],
  },
  {
    page: 'Lost',
    kind: 'trigger',
    operationId: 'LostCallerAdded', // matched by its page description, which names LostCallerCreated
    parameters: [],
    returns: [
      ['type', 'string'],
      ['version', 'string'],
      ['eventType', 'string'],
      ['data.contact_name', 'string'],
      ['data.destination', 'string'],
      ['data.attempts', 'integer'],
      ['data.callerid', 'string'],
      ['data.last_contact', 'string'],
    ],
  },
  {
    page: 'Lost',
    kind: 'trigger',
    operationId: 'LostCallerRemoved', // matched by its page description, which names LostCallerDeleted
    parameters: [],
    returns: [
      ['type', 'string'],
      ['version', 'string'],
      ['eventType', 'string'],
      ['data.destination', 'string'],
      ['data.callerid', 'string'],
    ],
  },
  {
    page: 'Lost',
    kind: 'trigger',
    operationId: 'LostCallerUpdated', // matched by its page description, which names LostCallerUpdated
    parameters: [],
    returns: [
      ['type', 'string'],
      ['version', 'string'],
      ['eventType', 'string'],
      ['data.contact_name', 'string'],
      ['data.destination', 'string'],
      ['data.attempts', 'integer'],
      ['data.callerid', 'string'],
      ['data.last_contact', 'string'],
    ],
  },
  {
    page: 'Voicemail',
    kind: 'trigger',
    operationId: 'VoicemailCreated', // matched by its page description, which names VoicemailCreated
    parameters: [],
    returns: [
      ['type', 'string'],
      ['version', 'string'],
      ['eventType', 'string'],
      ['data.sender', 'string'],
      ['data.voicemailID', 'integer'],
      ['data.length', 'integer'],
      ['data.callStarted', 'string'],
      ['data.voicemailBoxID', 'integer'],
      ['data.voicemailBoxName', 'string'],
      ['data.messageURL', 'string'],
    ],
  },
  {
    page: 'Voicemail',
    kind: 'trigger',
    operationId: 'VoicemailDeleted', // matched by its page description, which names VoicemailDeleted
    parameters: [],
    returns: [
      ['type', 'string'],
      ['version', 'string'],
      ['eventType', 'string'],
      ['data.sender', 'string'],
      ['data.voicemailID', 'integer'],
    ],
  },];

/** Page path → surface path: every enclosing container the page lists as `array of object` gets `[]`. */
function toSurfacePath(pagePath: string, arrays: ReadonlySet<string>): string {
  const segments = pagePath.split('.');
  return segments
    .map((segment, i) => {
      const prefix = segments.slice(0, i + 1).join('.');
      return i < segments.length - 1 && arrays.has(prefix) ? `${segment}[]` : segment;
    })
    .join('/');
}

function typeMatches(item: { type: string | null; format: string | null }, pageType: PageType): boolean {
  switch (pageType) {
    case 'integer':
      return item.type === 'integer';
    case 'date-time':
      return item.type === 'string' && item.format === 'date-time';
    case 'string':
      return item.type === 'string' && item.format !== 'date-time';
    case 'array of object':
      return item.type === 'array';
  }
}

/** The parameter the page's key names: a plain parameter, or a property of the body parameter. */
function findParameter(op: SurfaceOperation, key: string): { param: SurfaceParameter; required: boolean } | undefined {
  const plain = op.parameters.find((p) => p.in !== 'body' && p.path === key);
  if (plain !== undefined) return { param: plain, required: plain.required };
  const body = op.parameters.find((p) => p.in === 'body' && !p.path.includes('/'));
  const property = body && op.parameters.find((p) => p.in === 'body' && p.path === `${body.path}/${key}`);
  return body && property ? { param: property, required: body.required && property.required } : undefined;
}

function checkAgainstPage(surface: Surface): void {
  for (const published of PUBLISHED) {
    const label = `${published.operationId} ("${published.page}" on the page)`;
    const op = surface.operations.find((o) => o.operationId === published.operationId);
    expect(op, `${label} is missing`).toBeDefined();
    if (op === undefined) continue;
    expect(op.visibility, `${label} must not be internal`).not.toBe('internal');
    if (published.kind === 'action') expect(op.trigger, `${label} is an action`).toBe('none');
    else expect(op.trigger, `${label} is a trigger`).not.toBe('none');

    for (const [key, required, type] of published.parameters) {
      const found = findParameter(op, key);
      expect(found, `${label}: parameter ${key} is missing`).toBeDefined();
      if (found === undefined) continue;
      expect(found.required, `${label}: parameter ${key} required`).toBe(required);
      expect(found.param.visibility, `${label}: parameter ${key} must stay visible`).not.toBe('internal');
      expect(typeMatches(found.param, type), `${label}: parameter ${key} is ${found.param.type}/${found.param.format}, page says ${type}`).toBe(true);
    }

    const arrays = new Set(published.returns.filter(([, type]) => type === 'array of object').map(([p]) => p));
    for (const [pagePath, type] of published.returns) {
      const fieldPath = toSurfacePath(pagePath, arrays);
      const field = op.outputs.find((f) => f.path === fieldPath);
      expect(field, `${label}: returned field ${pagePath} (${fieldPath}) is missing`).toBeDefined();
      if (field === undefined) continue;
      expect(typeMatches(field, type), `${label}: returned field ${fieldPath} is ${field.type}/${field.format}, page says ${type}`).toBe(true);
    }
  }
}

const PROJECT_DEFINITION = path.resolve(__dirname, '../../apiDefinition.swagger.json');

describe('the published reference page', () => {
  it('maps page paths to surface paths', () => {
    const arrays = new Set(['data', 'data.group_membership', 'data.group_membership.members']);
    expect(toSurfacePath('data', arrays)).toBe('data');
    expect(toSurfacePath('data.callID', arrays)).toBe('data[]/callID');
    expect(toSurfacePath('data.group_membership.members.contactID', arrays)).toBe('data[]/group_membership[]/members[]/contactID');
    expect(toSurfacePath('data.callID', new Set())).toBe('data/callID');
  });

  it('is fully present in the project apiDefinition.swagger.json', () => {
    if (!fs.existsSync(PROJECT_DEFINITION)) {
      throw new Error(`${PROJECT_DEFINITION} is missing: generate it with npm run build`);
    }
    checkAgainstPage(extractSurface(JSON.parse(fs.readFileSync(PROJECT_DEFINITION, 'utf8')) as object));
  });

  it('is fully present in the committed compatibility baseline', () => {
    checkAgainstPage(loadBaseline());
  });
});
