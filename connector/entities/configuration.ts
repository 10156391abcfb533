import { defineEntity, int32, text, view } from './field';
import { BRAND } from '../brand/texts';

/** An audio prompt (greeting, announcement, music on hold) uploaded to the PBX. */
export const audioPrompt = defineEntity({
  name: 'audio prompt',
  fields: {
    id: int32('Audio Prompt ID', 'Unique ID of the audio prompt; newer prompts have higher IDs.'),
    name: text('Audio Prompt Name', `Name of the audio prompt as shown in the ${BRAND.portal}.`),
    type: int32('Audio Prompt Type Code', 'Numeric type of the prompt (for example greeting or music on hold); the code list is not published (unconfirmed).'),
  },
  required: ['id'],
  idField: 'id',
});

export const audioPromptView = view(audioPrompt, 'AudioPrompt', 'An audio prompt.', ['id', 'name', 'type']);

/** A VoIP (SIP) endpoint: a desk phone or softphone registered for an employee. */
export const voipEndpoint = defineEntity({
  name: 'VoIP endpoint',
  fields: {
    id: int32('VoIP Endpoint ID', 'Unique ID of the VoIP endpoint; newer endpoints have higher IDs.'),
    name: text('VoIP Endpoint Name', `Name of the SIP device or softphone as shown in the ${BRAND.portal}.`),
    employee_id: int32('Employee Contact ID', 'Contact ID of the employee this endpoint belongs to; empty when it is not assigned.', { nullable: true }),
  },
  required: ['id'],
  idField: 'id',
});

export const voipEndpointView = view(voipEndpoint, 'VoipEndpoint', 'A VoIP endpoint.', ['id', 'name', 'employee_id']);
