import { WEBHOOK, op, ruleTest } from '../helpers';

ruleTest('webhook-unsubscribe', {
  pass: [
    { name: 'a lower-case location header', mutate: (f) => { const r = op.webhook(f).responses['201']; r.headers = { location: r.headers.Location }; } },
    {
      // Calendly and Microsoft's GitHub webhook tutorial: POST /<collection>, DELETE /<collection>/{id}.
      name: 'DELETE <subscribe path>/{id} for a one-segment subscribe path',
      mutate: (f) => {
        f.definition.paths['/hooks'] = { post: op.webhook(f), 'x-ms-notification-content': f.definition.paths['/webhooks/CallStarted']['x-ms-notification-content'] };
        f.definition.paths['/hooks/{hook_id}'] = { delete: op.deleteWebhook(f) };
        delete f.definition.paths['/webhooks/CallStarted'];
        delete f.definition.paths['/webhooks/{webhook_id}'];
      },
    },
    {
      // Tikit: the DELETE path is the Location itself.
      name: 'a DELETE on a bare path variable',
      mutate: (f) => {
        f.definition.paths['/{Location}'] = { delete: op.deleteWebhook(f) };
        delete f.definition.paths['/webhooks/{webhook_id}'];
      },
    },
  ],
  fail: [
    {
      // The production 1.0: 200 with no Location. A warning that names the leak.
      name: 'a subscribe response without Location (the production connector\'s 200)',
      fail: (f) => { delete op.webhook(f).responses['201'].headers; },
      pointer: `${WEBHOOK}/responses`,
      message: /Location.*leaks a subscription/,
      severity: 'warn',
    },
    {
      name: 'a DELETE of another shape (a warning: the Location may still reach it)',
      fail: (f) => { f.definition.paths['/subscriptions/{id}'] = { delete: op.deleteWebhook(f) }; delete f.definition.paths['/webhooks/{webhook_id}']; },
      pointer: WEBHOOK,
      message: /'\/webhooks\/\{id\}'/,
      severity: 'warn',
    },
    {
      // Emigo and AutoPylot Connect: webhooks with no DELETE operation at all.
      name: 'no DELETE operation at all (an error)',
      fail: (f) => { delete f.definition.paths['/webhooks/{webhook_id}']; },
      pointer: WEBHOOK,
      message: /No DELETE operation exists/,
      severity: 'error',
    },
    {
      name: 'no DELETE for a one-segment subscribe path, with the expected path spelled out (not \'//{id}\')',
      fail: (f) => {
        f.definition.paths['/hooks'] = { post: op.webhook(f), 'x-ms-notification-content': f.definition.paths['/webhooks/CallStarted']['x-ms-notification-content'] };
        delete f.definition.paths['/webhooks/CallStarted'];
        delete f.definition.paths['/webhooks/{webhook_id}'];
      },
      pointer: '/paths/~1hooks/post',
      message: /'DELETE \/hooks\/\{id\}'/,
      severity: 'error',
    },
  ],
});
