import { ruleTest } from '../helpers';
import type { FixtureFiles } from '../fixture';

const noScript = (f: FixtureFiles): void => { (f as { script?: string }).script = undefined; };
const secret = { type: 'securestring', uiDefinition: { displayName: 'Secret', description: 'A secret.' } };

ruleTest('connection-parameter-unused', {
  pass: [
    { name: 'the api_key of an apiKey scheme, without script', mutate: noScript },
    {
      // TranslatorV3: `subscriptionKey` sent by a setheader policy.
      name: 'a secret a setheader policy sends',
      mutate: (f) => {
        noScript(f);
        f.properties.properties.connectionParameters.subscriptionKey = secret;
        f.properties.properties.policyTemplateInstances.push({ templateId: 'setheader', title: 'Key', parameters: { 'x-ms-apimTemplateParameter.name': 'Ocp-Apim-Subscription-Key', 'x-ms-apimTemplateParameter.value': "@connectionParameters('SubscriptionKey')" } });
      },
    },
    { name: 'a secret the custom code may read', mutate: (f) => { f.properties.properties.connectionParameters.subscriptionKey = secret; } },
  ],
  fail: [{
    // Scrive eSign's `customApiUrl`: a securestring no scheme, policy or script uses.
    name: 'a secret nothing sends',
    fail: (f) => { noScript(f); f.properties.properties.connectionParameters.customApiUrl = secret; },
    file: 'apiProperties.json',
    pointer: '/properties/connectionParameters/customApiUrl',
    severity: 'warn',
  }],
});
