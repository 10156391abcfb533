import { GET_CALL, op, ruleTest } from '../helpers';

ruleTest('operation-id-pascal-case', {
  pass: [{ name: 'a _V2 revision suffix', mutate: (f) => { op.getCall(f).operationId = 'GetCallByID_V2'; } }],
  fail: [
    { name: 'camelCase', fail: (f) => { op.getCall(f).operationId = 'getCallByID'; }, pointer: `${GET_CALL}/operationId` },
    { name: 'snake_case', fail: (f) => { op.getCall(f).operationId = 'Get_call_by_id'; }, pointer: `${GET_CALL}/operationId` },
  ],
});
