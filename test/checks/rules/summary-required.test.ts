import { GET_CALLS, op, ruleTest } from '../helpers';

ruleTest('summary-required', {
  fail: [{ fail: (f) => { delete op.getCalls(f).summary; }, pointer: GET_CALLS }],
});
