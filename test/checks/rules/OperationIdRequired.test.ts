import { GET_CALL, op, ruleTest } from '../helpers';

ruleTest('OperationIdRequired', {
  fail: [{ fail: (f) => { delete op.getCall(f).operationId; }, pointer: GET_CALL }],
});
