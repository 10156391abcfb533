import { ruleTest } from '../helpers';

ruleTest('InvalidConnectorCategory', {
  pass: [{ name: 'spaces around the separator', mutate: (f) => { f.definition['x-ms-connector-metadata'][2].propertyValue = 'Communication; Productivity'; } }],
  fail: [{ fail: (f) => { f.definition['x-ms-connector-metadata'][2].propertyValue = 'Communication;Telephony'; }, pointer: '/x-ms-connector-metadata/2/propertyValue', message: /'Telephony'/ }],
});
