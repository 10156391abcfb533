import { GET_CALL, op, ruleTest } from '../helpers';

ruleTest('OperationShouldHaveSuccessfulResponse', {
  fail: [{ fail: (f) => { op.getCall(f).responses = { '404': { description: 'Not found.' } }; }, pointer: `${GET_CALL}/responses` }],
});
