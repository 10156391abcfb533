import { GET_CALL, op, ruleTest } from '../helpers';

ruleTest('OperationIdSanitized', {
  pass: [{ name: 'a revision suffix', mutate: (f) => { op.getCall(f).operationId = 'GetCallByID_V2'; } }],
  fail: [{ fail: (f) => { op.getCall(f).operationId = 'Get-Call.ByID'; }, pointer: `${GET_CALL}/operationId`, message: /GetCallByID/ }],
});
