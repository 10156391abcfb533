import { GET_CALLS, op, policy, ruleTest } from '../helpers';
import type { FixtureFiles } from '../fixture';

/** The fixture's trigger answered by script.csx instead of the policy (this connector since 1.1). */
function answeredByScript(f: FixtureFiles, cursor = 'initial_call_id'): void {
  f.properties.properties.policyTemplateInstances = [];
  f.properties.properties.scriptOperations.push('GetCalls');
  f.script = f.script.replace('public class Script : ScriptBase\n{', `public class Script : ScriptBase\n{\n    private static readonly Dictionary<string, PollingTrigger> PollingTriggers = new Dictionary<string, PollingTrigger>\n    {\n        { "GetCalls", new PollingTrigger("${cursor}", "callID") },\n    };\n`);
}

ruleTest('polling-trigger-state', {
  pass: [
    { name: 'a bracketed state expression', mutate: (f) => { policy(f)['x-ms-apimTemplateParameter.triggerConfig'].initial_call_id = "@{triggerBody()?['data'][0]?['callID']}"; } },
    { name: 'a trigger without policy whose protocol script.csx answers', mutate: (f) => answeredByScript(f) },
  ],
  fail: [
    {
      name: 'a script-answered trigger missing from scriptOperations',
      fail: (f) => { answeredByScript(f); f.properties.properties.scriptOperations = ['CallStarted']; },
      pointer: GET_CALLS,
      message: /does not answer its protocol/,
    },
    {
      name: 'a script-answered trigger whose cursor is not internal',
      fail: (f) => { answeredByScript(f); delete op.getCalls(f).parameters[0]['x-ms-visibility']; },
      pointer: `${GET_CALLS}/parameters/0`,
      message: /internal/,
    },
    {
      name: 'a script-answered trigger whose cursor is not a parameter',
      fail: (f) => answeredByScript(f, 'initial_id'),
      pointer: GET_CALLS,
      message: /'initial_id', which is not a query parameter/,
    },
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
