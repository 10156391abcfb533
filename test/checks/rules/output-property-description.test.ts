import { ruleTest } from '../helpers';

ruleTest('output-property-description', {
  fail: [
    {
      name: 'a description that repeats the name in other words ("Call ID" for callID)',
      fail: (f) => { f.definition.definitions.Call.properties.callID.description = 'Call ID'; },
      pointer: '/definitions/Call/properties/callID/description',
    },
    {
      name: 'a description that repeats the name verbatim',
      fail: (f) => { f.definition.definitions.CallEvent.properties.eventType.description = 'eventType'; },
      pointer: '/definitions/CallEvent/properties/eventType/description',
    },
    {
      name: 'a missing description',
      fail: (f) => { delete f.definition.definitions.Call.properties.caller.description; },
      pointer: '/definitions/Call/properties/caller',
    },
  ],
});
