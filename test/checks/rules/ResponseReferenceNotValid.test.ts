import { GET_CALL, op, ruleTest } from '../helpers';

ruleTest('ResponseReferenceNotValid', {
  pass: [{
    name: 'a valid shared response',
    mutate: (f) => {
      f.definition.responses = { NotFound: { description: 'Not found.' } };
      op.getCall(f).responses['404'] = { $ref: '#/responses/NotFound' };
    },
  }],
  fail: [{ fail: (f) => { op.getCall(f).responses['404'] = { $ref: '#/definitions/NotFound' }; }, pointer: `${GET_CALL}/responses/404/$ref` }],
});
