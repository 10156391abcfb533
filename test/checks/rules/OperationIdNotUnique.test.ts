import { GET_CALLS, op, ruleTest } from '../helpers';

ruleTest('OperationIdNotUnique', {
  fail: [{ fail: (f) => { op.getCalls(f).operationId = 'GetCallByID'; }, pointer: `${GET_CALLS}/operationId`, message: /GetCallByID/ }],
});
