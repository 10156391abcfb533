import { ruleTest } from '../helpers';

ruleTest('policy-template-known', {
  pass: [{ name: 'a setheader policy beside the polling one', mutate: (f) => { f.properties.properties.policyTemplateInstances.push({ templateId: 'setheader', title: 'h', parameters: {} }); } }],
  fail: [
    // The symptom would be "no polling policy names GetCalls"; the finding points at the policy instead.
    {
      name: 'a misspelt template id',
      fail: (f) => { f.properties.properties.policyTemplateInstances[0].templateId = 'pollingTrigger'; },
      file: 'apiProperties.json',
      pointer: '/properties/policyTemplateInstances/0/templateId',
      message: /unknown template 'pollingTrigger' \(did you mean 'pollingtrigger'\?\)/,
      severity: 'error',
    },
    { name: 'a policy without templateId', fail: (f) => { delete f.properties.properties.policyTemplateInstances[0].templateId; }, file: 'apiProperties.json', pointer: '/properties/policyTemplateInstances/0/templateId' },
  ],
});
