import { WEBHOOK, op, ruleTest } from '../helpers';

ruleTest('WebhookOperationsMissingNotificationUrlProperty', {
  pass: [
    {
      name: 'the callback URL in a query parameter marked x-ms-notification-url',
      mutate: (f) => {
        delete op.webhook(f).parameters[0].schema.properties.endpoint['x-ms-notification-url'];
        op.webhook(f).parameters.push({ name: 'callback', in: 'query', type: 'string', required: true, 'x-ms-visibility': 'internal', 'x-ms-notification-url': true });
      },
    },
    {
      // A polling trigger that returns one item is also `x-ms-trigger: single`, on a GET: not a webhook.
      name: 'a GET marked x-ms-trigger: single (a single-item polling trigger)',
      mutate: (f) => { op.getCall(f)['x-ms-trigger'] = 'single'; },
    },
  ],
  fail: [{ fail: (f) => { delete op.webhook(f).parameters[0].schema.properties.endpoint['x-ms-notification-url']; }, pointer: WEBHOOK, severity: 'error' }],
});
