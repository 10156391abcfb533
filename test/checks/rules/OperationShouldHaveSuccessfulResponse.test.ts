import { GET_CALL, WEBHOOK, op, ruleTest } from '../helpers';

ruleTest('OperationShouldHaveSuccessfulResponse', {
  fail: [
    {
      name: 'an operation with only an error response (a warning: it still runs)',
      fail: (f) => { op.getCall(f).responses = { '404': { description: 'Not found.' } }; },
      pointer: `${GET_CALL}/responses`,
      severity: 'warn',
    },
    {
      // BoldSign's download operations: only `default` (with an empty schema).
      name: 'an operation answering only with a default response (a warning)',
      fail: (f) => { op.getCall(f).responses = { default: { description: 'default', schema: {} } }; },
      pointer: `${GET_CALL}/responses`,
      severity: 'warn',
    },
    {
      name: '`responses: {}` on an action (a warning: its outputs are untyped)',
      fail: (f) => { op.getCall(f).responses = {}; },
      pointer: `${GET_CALL}/responses`,
      severity: 'warn',
      message: /no response at all .*untyped/,
    },
    {
      // The shape of certified webhook subscriptions that ship with `responses: {}`.
      name: '`responses: {}` on a webhook subscription (a warning naming the notification content)',
      fail: (f) => { op.webhook(f).responses = {}; },
      pointer: `${WEBHOOK}/responses`,
      severity: 'warn',
      message: /webhook subscription: the trigger's outputs come from x-ms-notification-content/,
    },
    {
      // An internal operation whose only use is to return the schema of another operation's body.
      name: '`responses: {}` on an internal operation feeding a dynamic schema (a warning)',
      fail: (f) => {
        op.getCall(f).responses = {};
        op.getCall(f)['x-ms-visibility'] = 'internal';
        f.definition.definitions.Call['x-ms-dynamic-schema'] = { operationId: 'GetCallByID', parameters: {}, 'value-path': 'schema' };
      },
      pointer: `${GET_CALL}/responses`,
      severity: 'warn',
      message: /only feeds a dynamic schema/,
    },
  ],
});
