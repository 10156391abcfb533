import { GET_CALLS, op, ruleTest } from '../helpers';

ruleTest('DefaultValueMustMatchType', {
  fail: [
    { name: 'a string default of an integer parameter', fail: (f) => { op.getCalls(f).parameters[0].default = '0'; }, pointer: `${GET_CALLS}/parameters/0/default`, message: /'string'.*'integer'/ },
    { name: 'a schema default', fail: (f) => { f.definition.definitions.Call.properties.caller.default = 5; }, pointer: '/definitions/Call/properties/caller/default' },
  ],
});
