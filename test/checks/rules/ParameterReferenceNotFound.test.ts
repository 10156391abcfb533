import { GET_CALLS, op, ruleTest } from '../helpers';

ruleTest('ParameterReferenceNotFound', {
  fail: [{ fail: (f) => { op.getCalls(f).parameters[1] = { $ref: '#/parameters/Direction' }; }, pointer: `${GET_CALLS}/parameters/1/$ref` }],
});
