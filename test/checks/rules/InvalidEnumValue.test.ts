import { GET_CALLS, op, ruleTest } from '../helpers';

ruleTest('InvalidEnumValue', {
  fail: [
    { name: 'a parameter enum', fail: (f) => { op.getCalls(f).parameters[1].enum = ['in', 2]; }, pointer: `${GET_CALLS}/parameters/1/enum/1` },
    { name: 'a schema enum', fail: (f) => { f.definition.definitions.Call.properties.callID.enum = [1, '2']; }, pointer: '/definitions/Call/properties/callID/enum/1' },
  ],
});
