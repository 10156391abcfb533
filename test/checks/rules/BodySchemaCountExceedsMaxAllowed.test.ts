import { GET_CALL, op, ruleTest } from '../helpers';

ruleTest('BodySchemaCountExceedsMaxAllowed', {
  fail: [{
    fail: (f) => {
      const properties: Record<string, object> = {};
      for (let i = 0; i < 512; i++) properties[`p${i}`] = { type: 'string' };
      op.getCall(f).responses['200'].schema = { type: 'object', properties };
    },
    pointer: `${GET_CALL}/responses/200/schema`,
    message: /513/,
  }],
});
