import { GET_CALL, op, ruleTest } from '../helpers';

ruleTest('DefaultResponseHasSchema', {
  fail: [
    { name: 'a default response with a schema', fail: (f) => { op.getCall(f).responses.default.schema = { type: 'object' }; }, pointer: `${GET_CALL}/responses/default/schema`, severity: 'error' },
    // BoldSign's and Tikit's shape: `default: { description: 'default', schema: {} }` — an empty schema is still a schema.
    { name: 'an empty schema on the default response', fail: (f) => { op.getCall(f).responses.default = { description: 'default', schema: {} }; }, pointer: `${GET_CALL}/responses/default/schema`, severity: 'error' },
  ],
});
