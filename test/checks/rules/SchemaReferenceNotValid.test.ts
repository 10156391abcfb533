import { ruleTest } from '../helpers';

ruleTest('SchemaReferenceNotValid', {
  fail: [{ fail: (f) => { f.definition.definitions.CallEvent.properties.data = { $ref: '#/components/schemas/Call' }; }, pointer: '/definitions/CallEvent/properties/data/$ref' }],
});
