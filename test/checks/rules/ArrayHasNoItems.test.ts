import { GET_CALLS, op, ruleTest } from '../helpers';

ruleTest('ArrayHasNoItems', {
  pass: [{ name: 'an array query parameter with items', mutate: (f) => { op.getCalls(f).parameters.push({ name: 'ids', in: 'query', type: 'array', items: { type: 'integer' }, 'x-ms-summary': 'IDs', description: 'Call IDs.' }); } }],
  fail: [
    { name: 'an output array without items', fail: (f) => { f.definition.definitions.Call.properties.tags = { type: 'array', 'x-ms-summary': 'Tags', description: 'Labels.' }; }, pointer: '/definitions/Call/properties/tags', severity: 'warn' },
    { name: 'an array query parameter without items', fail: (f) => { op.getCalls(f).parameters.push({ name: 'ids', in: 'query', type: 'array', 'x-ms-summary': 'IDs', description: 'Call IDs.' }); }, pointer: `${GET_CALLS}/parameters/2` },
  ],
});
