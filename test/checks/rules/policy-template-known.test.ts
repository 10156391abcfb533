import { ruleTest } from '../helpers';

ruleTest('policy-template-known', {
  pass: [
    { name: 'a setheader policy beside the polling one', mutate: (f) => { f.properties.properties.policyTemplateInstances.push({ templateId: 'setheader', title: 'h', parameters: {} }); } },
    // Microsoft's own certified connectors (CognitiveServicesQuestionAnswering's `dynamicHostUrl`,
    // `SetProperty`, `setQueryParameter`): template ids compare without case.
    {
      name: 'template ids in the case Microsoft\'s own connectors write them',
      mutate: (f) => {
        f.properties.properties.policyTemplateInstances.push(
          { templateId: 'dynamicHostUrl', title: 'Set host from connection parameter', parameters: { 'x-ms-apimTemplateParameter.urlTemplate': "@connectionParameters('siteUrl')" } },
          { templateId: 'SetProperty', title: 'p', parameters: {} },
          { templateId: 'setQueryParameter', title: 'q', parameters: {} },
        );
      },
    },
  ],
  fail: [
    {
      name: 'a template the documentation does not list (a warning, with the near one)',
      fail: (f) => { f.properties.properties.policyTemplateInstances[0].templateId = 'pollingtriger'; },
      file: 'apiProperties.json',
      pointer: '/properties/policyTemplateInstances/0/templateId',
      message: /template 'pollingtriger', which the policy template documentation does not list \(did you mean 'pollingtrigger'\?\)/,
      severity: 'warn',
    },
    {
      // Two pairs of neighbouring letters swapped count as two slips, as npm run check's flags count them (lib/edit-distance).
      name: 'a template id with two pairs of letters swapped: the near one is still named',
      fail: (f) => { f.properties.properties.policyTemplateInstances[0].templateId = 'esthaeder'; },
      file: 'apiProperties.json',
      pointer: '/properties/policyTemplateInstances/0/templateId',
      message: /did you mean 'setheader'\?/,
      severity: 'warn',
    },
    {
      name: 'a policy without templateId (an error)',
      fail: (f) => { delete f.properties.properties.policyTemplateInstances[0].templateId; },
      file: 'apiProperties.json',
      pointer: '/properties/policyTemplateInstances/0/templateId',
      severity: 'error',
    },
    {
      name: 'an empty templateId (an error)',
      fail: (f) => { f.properties.properties.policyTemplateInstances[0].templateId = ''; },
      file: 'apiProperties.json',
      pointer: '/properties/policyTemplateInstances/0/templateId',
      message: /has no templateId/,
      severity: 'error',
    },
  ],
});
