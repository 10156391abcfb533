import { type Rule, SOURCES } from '../rule';
import { notificationUrlSites } from '../notification';
import { opId } from '../walk';

export const rule: Rule = {
  id: 'WebhookOperationsMissingNotificationUrlProperty',
  severity: 'error',
  description: 'Every webhook subscribe operation (a POST with `x-ms-trigger: single`) has a body property (or a parameter) marked `x-ms-notification-url: true`.',
  fix: 'Mark the body property that carries the callback URL with `"x-ms-notification-url": true` (string, internal, required).',
  severityReason: 'Runtime: without a notification URL property the platform cannot tell the API where to send events, so the trigger never fires.',
  source: SOURCES.validator,
  check(c) {
    return c.webhookOperations()
      // The callback URL may also travel in a query or header parameter marked the same way.
      .filter((op) => notificationUrlSites(c, op).length === 0 && !c.parameters(op).some((p) => p.node['x-ms-notification-url'] === true))
      .map((op) => ({ pointer: op.pointer, ...opId(op), message: `The webhook operation '${op.operationId ?? op.path}' is missing notification URL property.` }));
  },
};
