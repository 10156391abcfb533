import { GET_CALL, op, ruleTest } from '../helpers';

ruleTest('PathParameterMustBeRequired', {
  fail: [{ fail: (f) => { op.getCall(f).parameters[0].required = false; }, pointer: `${GET_CALL}/parameters/0` }],
});
