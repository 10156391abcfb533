import { WEBHOOK, op, ruleTest } from '../helpers';

ruleTest('WebhookOperationsMissingNotificationUrlProperty', {
  fail: [{ fail: (f) => { delete op.webhook(f).parameters[0].schema.properties.endpoint['x-ms-notification-url']; }, pointer: WEBHOOK }],
});
