import { GET_CALLS, op, policy, ruleTest } from '../helpers';

ruleTest('polling-trigger-state', {
  pass: [{ name: 'a bracketed state expression', mutate: (f) => { policy(f)['x-ms-apimTemplateParameter.triggerConfig'].initial_call_id = "@{triggerBody()?['data'][0]?['callID']}"; } }],
  fail: [
    { name: 'a trigger no policy names', fail: (f) => { policy(f)['x-ms-apimTemplate-operationName'] = ['GetCallByID']; }, pointer: GET_CALLS },
    { name: 'a state parameter that is not internal', fail: (f) => { delete op.getCalls(f).parameters[0]['x-ms-visibility']; }, pointer: `${GET_CALLS}/parameters/0`, message: /internal/ },
    { name: 'a state parameter without default', fail: (f) => { delete op.getCalls(f).parameters[0].default; }, pointer: `${GET_CALLS}/parameters/0`, message: /defaulted/ },
    {
      name: 'an expression naming a missing field',
      fail: (f) => { policy(f)['x-ms-apimTemplateParameter.triggerConfig'].initial_call_id = '@{triggerBody().data[0].id}'; },
      file: 'apiProperties.json',
      pointer: '/properties/policyTemplateInstances/0/parameters/x-ms-apimTemplateParameter.triggerConfig/initial_call_id',
    },
    {
      name: 'an expression naming a string field',
      fail: (f) => { policy(f)['x-ms-apimTemplateParameter.triggerConfig'].initial_call_id = '@{triggerBody().data[0].caller}'; },
      file: 'apiProperties.json',
      pointer: '/properties/policyTemplateInstances/0/parameters/x-ms-apimTemplateParameter.triggerConfig/initial_call_id',
    },
    {
      name: 'a data path that is not the array',
      fail: (f) => { policy(f)['x-ms-apimTemplateParameter.triggerDataPath'] = '@triggerBody().status'; },
      file: 'apiProperties.json',
      pointer: '/properties/policyTemplateInstances/0/parameters/x-ms-apimTemplateParameter.triggerDataPath',
    },
    {
      name: 'a state expression without its closing brace',
      fail: (f) => { policy(f)['x-ms-apimTemplateParameter.triggerConfig'].initial_call_id = '@{triggerBody().data[0].callID'; },
      file: 'apiProperties.json',
      pointer: '/properties/policyTemplateInstances/0/parameters/x-ms-apimTemplateParameter.triggerConfig/initial_call_id',
    },
    {
      name: 'a data path with a closing brace but no opening one',
      fail: (f) => { policy(f)['x-ms-apimTemplateParameter.triggerDataPath'] = '@triggerBody().data}'; },
      file: 'apiProperties.json',
      pointer: '/properties/policyTemplateInstances/0/parameters/x-ms-apimTemplateParameter.triggerDataPath',
    },
    {
      name: 'a state parameter that is not a query parameter',
      fail: (f) => { policy(f)['x-ms-apimTemplateParameter.triggerConfig'] = { initial_id: '@{triggerBody().data[0].callID}' }; },
      file: 'apiProperties.json',
      pointer: '/properties/policyTemplateInstances/0/parameters/x-ms-apimTemplateParameter.triggerConfig/initial_id',
    },
    {
      name: 'a policy naming an unknown operation',
      fail: (f) => { policy(f)['x-ms-apimTemplate-operationName'].push('GetCall'); },
      file: 'apiProperties.json',
      pointer: '/properties/policyTemplateInstances/0/parameters/x-ms-apimTemplate-operationName/1',
    },
  ],
});
