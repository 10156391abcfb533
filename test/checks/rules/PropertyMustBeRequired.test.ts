import { GET_CALLS, WEBHOOK, op, ruleTest } from '../helpers';

ruleTest('PropertyMustBeRequired', {
  fail: [
    { name: 'an optional internal query parameter with a default', fail: (f) => { op.getCalls(f).parameters[0].required = false; }, pointer: `${GET_CALLS}/parameters/0` },
    {
      name: 'an optional internal body property with a default',
      fail: (f) => { op.webhook(f).parameters[0].schema.properties.kind = { type: 'string', default: 'json', 'x-ms-visibility': 'internal' }; },
      pointer: `${WEBHOOK}/parameters/0/schema/properties/kind`,
    },
  ],
});
