import { WEBHOOK, op, ruleTest } from '../helpers';

ruleTest('NotificationUrlNotRequired', {
  pass: [{
    name: 'a nested URL required at every level',
    mutate: (f) => {
      const schema = op.webhook(f).parameters[0].schema;
      op.webhook(f).parameters[0].schema = { type: 'object', required: ['subscription'], properties: { subscription: schema } };
    },
  }],
  fail: [
    { name: 'the property not in required', fail: (f) => { op.webhook(f).parameters[0].schema.required = []; }, pointer: `${WEBHOOK}/parameters/0/schema/properties/endpoint` },
    { name: 'an optional body parameter', fail: (f) => { op.webhook(f).parameters[0].required = false; }, pointer: `${WEBHOOK}/parameters/0` },
    {
      name: 'an optional parent',
      fail: (f) => {
        const schema = op.webhook(f).parameters[0].schema;
        op.webhook(f).parameters[0].schema = { type: 'object', properties: { subscription: schema } };
      },
      pointer: `${WEBHOOK}/parameters/0/schema/properties/subscription`,
    },
  ],
});
