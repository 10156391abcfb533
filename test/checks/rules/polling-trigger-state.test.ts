import { GET_CALLS, op, policy, ruleTest } from '../helpers';
import type { FixtureFiles } from '../fixture';

const STATE = '/properties/policyTemplateInstances/0/parameters/x-ms-apimTemplateParameter.triggerConfig/initial_call_id';
const setState = (f: FixtureFiles, value: unknown): void => { policy(f)['x-ms-apimTemplateParameter.triggerConfig'].initial_call_id = value; };
const dropPolicy = (f: FixtureFiles): void => { f.properties.properties.policyTemplateInstances = []; };

ruleTest('polling-trigger-state', {
  pass: [
    { name: 'a bracketed state expression', mutate: (f) => setState(f, "@{triggerBody()?['data'][0]?['callID']}") },
    // The TripPin tutorial: the state is a filter with the expression embedded in it.
    { name: 'an expression embedded in a filter (TripPin\'s `TripId gt @{...}`)', mutate: (f) => setState(f, 'callID gt @{triggerBody().data[0].callID}') },
    {
      // Nosco and Scrive eSign: a timestamp cursor (`lastStageChange`, `mtime`).
      name: 'a timestamp cursor',
      mutate: (f) => { f.definition.definitions.Call.properties.started = { type: 'string', format: 'date-time', 'x-ms-summary': 'Started', description: 'When the call started.' }; setState(f, '@{triggerBody().data[0].started}'); },
    },
    {
      // App Power Forms: a cursor the API returns beside the array (`@{triggerBody().timestamp}`).
      name: 'a cursor at the top of the body',
      mutate: (f) => setState(f, '@{triggerBody().status}'),
    },
    {
      // SurveyMonkey and DocuSign: no policy, the script answers 202/200 + Location.
      name: 'a trigger the script answers (no policy)',
      mutate: (f) => {
        dropPolicy(f);
        f.properties.properties.scriptOperations.push('GetCalls');
        f.script = f.script.replace('if (this.Context.OperationId == "CallStarted")', 'if (this.Context.OperationId == "GetCalls") { return null; }\n        if (this.Context.OperationId == "CallStarted")');
      },
    },
    {
      name: 'a trigger whose definition shows the API answers the protocol (202 + Location)',
      mutate: (f) => { dropPolicy(f); op.getCalls(f).responses['202'] = { description: 'Nothing new.', headers: { Location: { type: 'string' } } }; },
    },
  ],
  fail: [
    {
      // Actsoft, Egnyte, JIRA: no policy, no script, nothing declared — a warning.
      name: 'a trigger with no policy, script or sign of the protocol (a warning)',
      fail: (f) => { policy(f)['x-ms-apimTemplate-operationName'] = ['GetCallByID']; },
      pointer: GET_CALLS,
      severity: 'warn',
    },
    {
      name: 'a trigger the script does not run for (not in scriptOperations)',
      fail: (f) => { dropPolicy(f); f.script = f.script.replace('"CallStarted")', '"CallStarted" || this.Context.OperationId == "GetCalls")'); },
      pointer: GET_CALLS,
      severity: 'warn',
    },
    { name: 'a state parameter that is not internal', fail: (f) => { delete op.getCalls(f).parameters[0]['x-ms-visibility']; }, pointer: `${GET_CALLS}/parameters/0`, message: /internal/, severity: 'warn' },
    { name: 'a state parameter without default', fail: (f) => { delete op.getCalls(f).parameters[0].default; }, pointer: `${GET_CALLS}/parameters/0`, message: /defaulted/ },
    {
      // The Events Calendar: `triggerConfig: { "": "1" }` — an error, the state goes nowhere.
      name: 'an empty state-parameter name (an error)',
      fail: (f) => { policy(f)['x-ms-apimTemplateParameter.triggerConfig'] = { '': '1' }; },
      file: 'apiProperties.json',
      pointer: '/properties/policyTemplateInstances/0/parameters/x-ms-apimTemplateParameter.triggerConfig/',
      message: /empty state parameter/,
      severity: 'error',
    },
    {
      // Template ids compare without case (Microsoft's own connectors write `dynamicHostUrl`): a
      // `PollingTrigger` policy is read like `pollingtrigger`.
      name: 'the same empty name in a policy whose template id is written `PollingTrigger`',
      fail: (f) => { f.properties.properties.policyTemplateInstances[0].templateId = 'PollingTrigger'; policy(f)['x-ms-apimTemplateParameter.triggerConfig'] = { '': '1' }; },
      file: 'apiProperties.json',
      pointer: '/properties/policyTemplateInstances/0/parameters/x-ms-apimTemplateParameter.triggerConfig/',
      message: /empty state parameter/,
      severity: 'error',
    },
    {
      // Event Tickets: a constant state value.
      name: 'a constant state value',
      fail: (f) => setState(f, '1'),
      file: 'apiProperties.json',
      pointer: STATE,
      message: /never advances/,
      severity: 'warn',
    },
    { name: 'an expression naming a missing field', fail: (f) => setState(f, '@{triggerBody().data[0].id}'), file: 'apiProperties.json', pointer: STATE, severity: 'warn' },
    { name: 'an expression naming an object, not a value', fail: (f) => setState(f, '@{triggerBody().data[0]}'), file: 'apiProperties.json', pointer: STATE },
    {
      name: 'a data path that is not the array',
      fail: (f) => { policy(f)['x-ms-apimTemplateParameter.triggerDataPath'] = '@triggerBody().status'; },
      file: 'apiProperties.json',
      pointer: '/properties/policyTemplateInstances/0/parameters/x-ms-apimTemplateParameter.triggerDataPath',
    },
    { name: 'a state expression without its closing brace', fail: (f) => setState(f, '@{triggerBody().data[0].callID'), file: 'apiProperties.json', pointer: STATE },
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
