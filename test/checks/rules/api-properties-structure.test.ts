import { ruleTest } from '../helpers';

ruleTest('api-properties-structure', {
  pass: [{ name: 'connection parameter sets', mutate: (f) => { f.properties.properties.connectionParameterSets = { uiDefinition: {}, values: [] }; } }],
  fail: [
    { name: 'no properties object', fail: (f) => { f.properties = { connectionParameters: {} }; }, file: 'apiProperties.json', pointer: '', severity: 'error' },
    { name: 'capabilities as a string', fail: (f) => { f.properties.properties.capabilities = 'actions'; }, file: 'apiProperties.json', pointer: '/properties/capabilities', message: /array of strings/, severity: 'error' },
    { name: 'a connection parameter of an unknown type', fail: (f) => { f.properties.properties.connectionParameters.api_key.type = 'password'; }, file: 'apiProperties.json', pointer: '/properties/connectionParameters/api_key', message: /"password"/ },
    { name: 'policy parameters as a list', fail: (f) => { f.properties.properties.policyTemplateInstances[0].parameters = []; }, file: 'apiProperties.json', pointer: '/properties/policyTemplateInstances/0/parameters' },
    // A certified connector with `properties.script`: not read by the platform, a warning.
    { name: 'a key the platform does not read (a warning)', fail: (f) => { f.properties.properties.script = true; }, file: 'apiProperties.json', pointer: '/properties/script', severity: 'warn' },
  ],
});
