import { GET_CALL, op, ruleTest } from '../helpers';

ruleTest('RestrictedCharactersInSummary', {
  pass: [{ name: 'parentheses', mutate: (f) => { op.getCall(f).summary = 'Get call by ID (V2)'; } }],
  fail: [{ fail: (f) => { op.getCall(f).summary = 'Get call/recording by ID'; }, pointer: `${GET_CALL}/summary`, message: /\// }],
});
