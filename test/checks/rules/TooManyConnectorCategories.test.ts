import { ruleTest } from '../helpers';

ruleTest('TooManyConnectorCategories', {
  fail: [{ fail: (f) => { f.definition['x-ms-connector-metadata'][2].propertyValue = 'Communication;IT Operations;Productivity'; }, pointer: '/x-ms-connector-metadata/2/propertyValue' }],
});
