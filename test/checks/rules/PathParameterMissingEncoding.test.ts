import { GET_CALL, op, ruleTest } from '../helpers';

ruleTest('PathParameterMissingEncoding', {
  pass: [{ name: 'double encoding', mutate: (f) => { op.getCall(f).parameters[0]['x-ms-url-encoding'] = 'double'; } }],
  fail: [{ fail: (f) => { delete op.getCall(f).parameters[0]['x-ms-url-encoding']; }, pointer: `${GET_CALL}/parameters/0` }],
});
