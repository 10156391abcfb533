import { WEBHOOK, op, ruleTest } from '../helpers';

ruleTest('webhook-trigger-lost', {
  pass: [{ name: 'an action without notification content', mutate: (f) => { delete op.webhook(f)['x-ms-trigger']; delete f.definition.paths['/webhooks/CallStarted']['x-ms-notification-content']; } }],
  fail: [{ name: 'a subscribe POST that lost x-ms-trigger', fail: (f) => { delete op.webhook(f)['x-ms-trigger']; }, pointer: WEBHOOK, message: /no 'x-ms-trigger'/, severity: 'error' }],
});
