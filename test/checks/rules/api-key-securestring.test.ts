import { ruleTest } from '../helpers';

ruleTest('api-key-securestring', {
  fail: [
    { name: 'a plain string key', fail: (f) => { f.properties.properties.connectionParameters.api_key.type = 'string'; }, file: 'apiProperties.json', pointer: '/properties/connectionParameters/api_key/type' },
    { name: 'no key parameter for an apiKey scheme', fail: (f) => { f.properties.properties.connectionParameters = {}; }, file: 'apiProperties.json', pointer: '/properties' },
  ],
});
