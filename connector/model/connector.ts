import { primaryBrand } from '../brand';
import { applyBrand, BRAND } from '../brand/texts';
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
  description: `API key from the ${BRAND.apiKeyPage} of the ${BRAND.portal}; with or without "Bearer " in front.`,
  tooltip: `Paste the API key created in the ${BRAND.portal} (${BRAND.apiKeyPage}).`,
};

/** The connector for one brand: the one model, its brand placeholders filled from the profile. */
export function connectorFor(brand: BrandProfile): ConnectorModel {
  return applyBrand({
    brand,
    auth: apiKeyAuth,
    operations: [...actions, ...listActions, ...pollingTriggers, ...webhookTriggers, deleteWebhook, ...pickerOperations],
  });
}

/** The primary brand's connector (the top-level files). */
export const connector: ConnectorModel = connectorFor(primaryBrand);
