import { ruleTest } from '../helpers';

ruleTest('AdditionalPropertyNotAllowedAdjacentToRef', {
  fail: [{
    fail: (f) => { f.definition.definitions.CallEvent.properties.data['x-ms-summary'] = 'Call'; },
    pointer: '/definitions/CallEvent/properties/data',
    message: /'x-ms-summary'/,
  }],
});
