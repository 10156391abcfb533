import { GET_CALL, op, ruleTest } from '../helpers';

ruleTest('OperationSummaryTooLong', {
  pass: [{ name: 'exactly 80 characters', mutate: (f) => { op.getCall(f).summary = 'G'.repeat(80); } }],
  fail: [{ fail: (f) => { op.getCall(f).summary = 'G'.repeat(81); }, pointer: `${GET_CALL}/summary` }],
});
