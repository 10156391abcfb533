import { DELETE_WEBHOOK, GET_CALL, op, ruleTest } from '../helpers';

ruleTest('SchemaDefinitionSetIncorrectly', {
  pass: [
    { name: 'a schema on 201', mutate: (f) => { op.getCall(f).responses = { '201': op.getCall(f).responses['200'] }; } },
    // Calendly's and Kanbanize's unsubscribe: an internal DELETE answering 204 with no schema.
    { name: 'an internal DELETE that returns 204 with no schema', mutate: (f) => { op.deleteWebhook(f).responses = { '204': { description: 'Deleted.' } }; } },
    { name: 'a visible operation that only answers 204 No Content', mutate: (f) => { op.getCall(f).responses = { '204': { description: 'Done.' } }; } },
  ],
  fail: [
    { name: 'an action without output schema', fail: (f) => { delete op.getCall(f).responses['200'].schema; }, pointer: `${GET_CALL}/responses`, severity: 'warn' },
    {
      name: 'a visible DELETE that answers 200 with no schema',
      fail: (f) => { delete op.deleteWebhook(f)['x-ms-visibility']; delete op.deleteWebhook(f).responses['200'].schema; },
      pointer: `${DELETE_WEBHOOK}/responses`,
    },
    {
      name: 'a webhook without notification schema',
      fail: (f) => { delete f.definition.paths['/webhooks/CallStarted']['x-ms-notification-content'].schema; },
      pointer: '/paths/~1webhooks~1CallStarted/x-ms-notification-content',
    },
  ],
});
