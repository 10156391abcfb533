import { GET_CALL, op, ruleTest } from '../helpers';

ruleTest('description-required', {
  fail: [{ fail: (f) => { op.getCall(f).description = ''; }, pointer: GET_CALL }],
});
