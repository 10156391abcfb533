import { GET_CALLS, op, ruleTest } from '../helpers';

ruleTest('ParameterReferenceNotValid', {
  pass: [{
    name: 'a valid shared parameter',
    mutate: (f) => {
      f.definition.parameters = { Direction: op.getCalls(f).parameters[1] };
      op.getCalls(f).parameters[1] = { $ref: '#/parameters/Direction' };
    },
  }],
  fail: [{ fail: (f) => { op.getCalls(f).parameters[1] = { $ref: '#/definitions/Direction' }; }, pointer: `${GET_CALLS}/parameters/1/$ref` }],
});
