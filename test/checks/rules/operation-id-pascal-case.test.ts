import { GET_CALL, op, ruleTest } from '../helpers';

ruleTest('operation-id-pascal-case', {
  pass: [
    { name: 'a _V2 revision suffix', mutate: (f) => { op.getCall(f).operationId = 'GetCallByID_V2'; } },
    // Egnyte's `pollCreatedFiles`, Zoho Mail's lowerCamel ids.
    { name: 'lowerCamel', mutate: (f) => { op.getCall(f).operationId = 'getCallByID'; } },
    // Actsoft's `FormController_Poll`.
    { name: 'an underscore between parts', mutate: (f) => { op.getCall(f).operationId = 'CallController_Get'; } },
  ],
  fail: [
    { name: 'a hyphen', fail: (f) => { op.getCall(f).operationId = 'get-call-by-id'; }, pointer: `${GET_CALL}/operationId`, severity: 'warn' },
    { name: 'a space', fail: (f) => { op.getCall(f).operationId = 'Get call'; }, pointer: `${GET_CALL}/operationId` },
    { name: 'a leading underscore', fail: (f) => { op.getCall(f).operationId = '_GetCall'; }, pointer: `${GET_CALL}/operationId` },
  ],
});
