import { GET_CALL, op, ruleTest } from '../helpers';

ruleTest('DefaultResponseHasSchema', {
  fail: [{ fail: (f) => { op.getCall(f).responses.default.schema = { type: 'object' }; }, pointer: `${GET_CALL}/responses/default/schema` }],
});
