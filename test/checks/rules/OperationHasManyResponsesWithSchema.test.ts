import { GET_CALL, op, ruleTest } from '../helpers';

const error = { type: 'object', properties: { message: { type: 'string', 'x-ms-summary': 'Message', description: 'Why it failed.' } } };

ruleTest('OperationHasManyResponsesWithSchema', {
  pass: [
    { name: 'error responses without a schema beside the success schema', mutate: (f) => { op.getCall(f).responses['404'] = { description: 'No such call.' }; } },
    { name: 'a default response without a schema', mutate: (f) => { op.getCall(f).responses.default = { description: 'Operation failed.' }; } },
  ],
  fail: [
    { name: 'an error response with a schema beside the success schema', fail: (f) => { op.getCall(f).responses['404'] = { description: 'No such call.', schema: error }; }, pointer: `${GET_CALL}/responses`, severity: 'warn', message: /\(200, 404\), only one schema will be used in the designer/ },
    { name: 'two success responses with a schema', fail: (f) => { op.getCall(f).responses['201'] = { description: 'Created.', schema: error }; }, pointer: `${GET_CALL}/responses`, severity: 'warn' },
  ],
});
