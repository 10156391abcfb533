import { zvanuParvaldnieks } from '../brand/zvanu-parvaldnieks';
import { actions, deleteWebhook } from '../operations/actions';
import { listActions } from '../operations/lists';
import { pickerOperations } from '../operations/pickers';
import { pollingTriggers } from '../operations/polling';
import { webhookTriggers } from '../operations/webhooks';
import type { ApiKeyAuth, BrandProfile, ConnectorModel } from './types';

export const apiKeyAuth: ApiKeyAuth = {
  parameter: 'api_key',
  securityName: 'API Key',
  header: 'Authorization',
  displayName: 'API Key',
  description: 'API key from the Integration page of the Zvanu Parvaldnieks portal; with or without "Bearer " in front.',
  tooltip: 'Paste the API key created in the Zvanu Parvaldnieks portal (Integration page).',
};

/** The connector for one brand; a second brand of the platform is a second profile. */
export function connectorFor(brand: BrandProfile): ConnectorModel {
  return {
    brand,
    auth: apiKeyAuth,
    operations: [...actions, ...listActions, ...pollingTriggers, ...webhookTriggers, deleteWebhook, ...pickerOperations],
  };
}

export const connector: ConnectorModel = connectorFor(zvanuParvaldnieks);
