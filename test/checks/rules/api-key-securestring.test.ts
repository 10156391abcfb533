import { ruleTest } from '../helpers';

ruleTest('api-key-securestring', {
  pass: [
    {
      // TranslatorV3: the key is a securestring `subscriptionKey` a setheader policy sends; no `api_key`.
      name: 'a securestring key with another name, sent by a header policy',
      mutate: (f) => {
        const props = f.properties.properties;
        props.connectionParameters = { subscriptionKey: { ...props.connectionParameters.api_key } };
        props.policyTemplateInstances.push({ templateId: 'setheader', title: 'Key', parameters: { 'x-ms-apimTemplateParameter.name': 'Ocp-Apim-Subscription-Key', 'x-ms-apimTemplateParameter.value': "@connectionParameters('subscriptionKey')", 'x-ms-apimTemplateParameter.existsAction': 'override', 'x-ms-apimTemplate-policySection': 'Request' } });
      },
    },
    { name: 'a plain-string setting that is not a secret', mutate: (f) => { f.properties.properties.connectionParameters.region = { type: 'string' }; } },
  ],
  fail: [
    { name: 'a plain string key', fail: (f) => { f.properties.properties.connectionParameters.api_key.type = 'string'; }, file: 'apiProperties.json', pointer: '/properties/connectionParameters/api_key/type', severity: 'warn' },
    { name: 'a plain string subscription key', fail: (f) => { f.properties.properties.connectionParameters.subscriptionKey = { type: 'string' }; }, file: 'apiProperties.json', pointer: '/properties/connectionParameters/subscriptionKey/type' },
    { name: 'no key parameter for an apiKey scheme', fail: (f) => { f.properties.properties.connectionParameters = {}; }, file: 'apiProperties.json', pointer: '/properties' },
  ],
});
