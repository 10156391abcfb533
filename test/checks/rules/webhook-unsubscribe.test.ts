import { WEBHOOK, op, ruleTest } from '../helpers';

ruleTest('webhook-unsubscribe', {
  pass: [{ name: 'a lower-case location header', mutate: (f) => { const r = op.webhook(f).responses['201']; r.headers = { location: r.headers.Location }; } }],
  fail: [
    {
      name: 'a subscribe response without Location (the production connector\'s 200)',
      fail: (f) => { delete op.webhook(f).responses['201'].headers; },
      pointer: `${WEBHOOK}/responses`,
      message: /Location/,
    },
    {
      name: 'no DELETE operation under the webhook collection',
      fail: (f) => { f.definition.paths['/subscriptions/{id}'] = { delete: op.deleteWebhook(f) }; delete f.definition.paths['/webhooks/{webhook_id}']; },
      pointer: WEBHOOK,
      message: /\/webhooks\/\{id\}/,
    },
  ],
});
