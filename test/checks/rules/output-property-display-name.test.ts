import { GET_CALL, op, ruleTest } from '../helpers';

ruleTest('output-property-display-name', {
  pass: [{ name: 'an internal output property without one', mutate: (f) => { f.definition.definitions.Call.properties.raw = { type: 'string', 'x-ms-visibility': 'internal' }; } }],
  fail: [
    {
      name: 'a property of a shared definition (reported at the definition)',
      fail: (f) => { delete f.definition.definitions.Call.properties.callID['x-ms-summary']; },
      pointer: '/definitions/Call/properties/callID',
    },
    {
      name: 'an inline response property',
      fail: (f) => { delete op.getCall(f).responses['200'].schema.properties.status['x-ms-summary']; },
      pointer: `${GET_CALL}/responses/200/schema/properties/status`,
    },
  ],
});
