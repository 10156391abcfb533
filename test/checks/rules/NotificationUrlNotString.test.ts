import { WEBHOOK, op, ruleTest } from '../helpers';

ruleTest('NotificationUrlNotString', {
  fail: [{ fail: (f) => { op.webhook(f).parameters[0].schema.properties.endpoint.type = 'object'; }, pointer: `${WEBHOOK}/parameters/0/schema/properties/endpoint` }],
});
