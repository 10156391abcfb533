import { GET_CALL, GET_CALLS, op, ruleTest } from '../helpers';

ruleTest('description-ends-with-period', {
  pass: [{ name: 'a single word', mutate: (f) => { op.getCall(f).parameters[0].description = 'Identifier'; } }],
  fail: [
    { name: 'an operation description', fail: (f) => { op.getCalls(f).description = 'Triggers when a new call is registered'; }, pointer: `${GET_CALLS}/description` },
    { name: 'a parameter description', fail: (f) => { op.getCall(f).parameters[0].description = 'Unique ID of the call'; }, pointer: `${GET_CALL}/parameters/0/description` },
  ],
});
