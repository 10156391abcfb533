import { ruleTest } from '../helpers';

ruleTest('SchemaReferenceNotFound', {
  fail: [{ fail: (f) => { f.definition.definitions.CallEvent.properties.data = { $ref: '#/definitions/Cal' }; }, pointer: '/definitions/CallEvent/properties/data/$ref', message: /Cal'/ }],
});
