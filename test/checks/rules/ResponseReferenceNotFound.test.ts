import { GET_CALL, op, ruleTest } from '../helpers';

ruleTest('ResponseReferenceNotFound', {
  fail: [{ fail: (f) => { op.getCall(f).responses['404'] = { $ref: '#/responses/NotFound' }; }, pointer: `${GET_CALL}/responses/404/$ref` }],
});
