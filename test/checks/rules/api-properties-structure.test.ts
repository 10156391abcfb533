import type { FixtureFiles } from '../fixture';
import { ruleTest } from '../helpers';

ruleTest('api-properties-structure', {
  pass: [{ name: 'connection parameter sets', mutate: (f) => { f.properties.properties.connectionParameterSets = { uiDefinition: {}, values: [] }; } }],
  fail: [
    { name: 'no properties object', fail: (f) => { f.properties = { connectionParameters: {} }; }, file: 'apiProperties.json', pointer: '', severity: 'error' },
    // Valid JSON that is no object: it used to pass with no finding at all, as if the file were absent.
    { name: 'a file that holds null', fail: (f) => { f.properties = null as unknown as FixtureFiles['properties']; }, file: 'apiProperties.json', pointer: '', message: /holds null, not an object/, severity: 'error' },
    { name: 'a file that holds an array', fail: (f) => { f.properties = [] as unknown as FixtureFiles['properties']; }, file: 'apiProperties.json', pointer: '', message: /holds an array, not an object/, severity: 'error' },
    { name: 'capabilities as a string', fail: (f) => { f.properties.properties.capabilities = 'actions'; }, file: 'apiProperties.json', pointer: '/properties/capabilities', message: /array of strings/, severity: 'error' },
    { name: 'a connection parameter of an unknown type', fail: (f) => { f.properties.properties.connectionParameters.api_key.type = 'password'; }, file: 'apiProperties.json', pointer: '/properties/connectionParameters/api_key', message: /"password"/ },
    { name: 'policy parameters as a list', fail: (f) => { f.properties.properties.policyTemplateInstances[0].parameters = []; }, file: 'apiProperties.json', pointer: '/properties/policyTemplateInstances/0/parameters' },
    // A certified connector with `properties.script`: not read by the platform, a warning.
    { name: 'a key the platform does not read (a warning)', fail: (f) => { f.properties.properties.script = true; }, file: 'apiProperties.json', pointer: '/properties/script', severity: 'warn' },
  ],
});
