import { GET_CALL, op, ruleTest } from '../helpers';

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
      name: '`responses: {}` (an error: nothing to map at runtime)',
      fail: (f) => { op.getCall(f).responses = {}; },
      pointer: `${GET_CALL}/responses`,
      severity: 'error',
      message: /no response at all/,
    },
  ],
});
