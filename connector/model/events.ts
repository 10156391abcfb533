/**
 * The webhook events of the PBX API (`POST /webhooks/<Event>`), spelled as the API spells them
 * (`CallTransfered` sic). Part of the connector's surface: the webhook triggers, the contract
 * coverage and the mock PBX all read this one list, including events no trigger exposes yet.
 */
export const WEBHOOK_EVENTS = [
  'CallStarted',
  'CallConnected',
  'CallCompleted',
  'CallTransfered',
  'CallRecorded',
  'VoicemailCreated',
  'VoicemailDeleted',
  'LostCallerAdded',
  'LostCallerUpdated',
  'LostCallerRemoved',
] as const;
export type WebhookEventName = (typeof WEBHOOK_EVENTS)[number];
