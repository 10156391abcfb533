import { GET_CALL, op, ruleTest } from '../helpers';

ruleTest('SchemaDefinitionSetIncorrectly', {
  pass: [{ name: 'a schema on 201', mutate: (f) => { op.getCall(f).responses = { '201': op.getCall(f).responses['200'] }; } }],
  fail: [
    { name: 'an action without output schema', fail: (f) => { delete op.getCall(f).responses['200'].schema; }, pointer: `${GET_CALL}/responses` },
    {
      name: 'a webhook without notification schema',
      fail: (f) => { delete f.definition.paths['/webhooks/CallStarted']['x-ms-notification-content'].schema; },
      pointer: '/paths/~1webhooks~1CallStarted/x-ms-notification-content',
    },
  ],
});
