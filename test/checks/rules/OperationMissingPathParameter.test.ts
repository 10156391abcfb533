import { GET_CALL, op, ruleTest } from '../helpers';

ruleTest('OperationMissingPathParameter', {
  fail: [{ fail: (f) => { op.getCall(f).parameters = []; }, pointer: GET_CALL, message: /'call_id'/ }],
});
