import { WEBHOOK, ruleTest } from '../helpers';

ruleTest('OperationMustHaveNotificationContentExtension', {
  fail: [{ fail: (f) => { delete f.definition.paths['/webhooks/CallStarted']['x-ms-notification-content']; }, pointer: WEBHOOK }],
});
