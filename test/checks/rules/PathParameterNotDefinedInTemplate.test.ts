import { GET_CALL, op, ruleTest } from '../helpers';

ruleTest('PathParameterNotDefinedInTemplate', {
  fail: [{ fail: (f) => { op.getCall(f).parameters.push({ name: 'tenant', in: 'path', required: true, type: 'string' }); }, pointer: `${GET_CALL}/parameters/1` }],
});
