import { int32, text } from './field';

/** The PBX wraps every response in `{version, status, statusCode, message, data}`. */
export const responseEnvelope = {
  version: text('API Version', 'Version of the PBX API that answered, e.g. "2".'),
  status: text('Response Status', 'Outcome reported by the PBX: "success", or "error" with the reason in Message.'),
  statusCode: int32('Response Status Code', 'HTTP-style status code the PBX reports inside the body, e.g. 200.'),
  message: text('Response Message', 'Human-readable message from the PBX; explains the problem when the status is "error".'),
} as const;

/** Every webhook event is POSTed as `{type, version, eventType, data}`. */
export const eventEnvelope = {
  type: text('Event Category', 'Category of the event, e.g. "call", "voicemail" or "lost_caller" (unconfirmed).'),
  version: text('Event Format Version', 'Version of the event format sent by the PBX.'),
  eventType: text('Event Name', 'Name of the event that fired, e.g. "CallStarted".'),
} as const;
