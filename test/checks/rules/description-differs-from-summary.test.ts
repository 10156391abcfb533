import { GET_CALL, op, ruleTest } from '../helpers';

ruleTest('description-differs-from-summary', {
  fail: [{ fail: (f) => { op.getCall(f).description = 'Get call by ID.'; }, pointer: `${GET_CALL}/description` }],
});
