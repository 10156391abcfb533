import { WEBHOOK, op, ruleTest } from '../helpers';

ruleTest('NotificationUrlNotInternal', {
  pass: [{ name: 'only the body parameter internal', mutate: (f) => { delete op.webhook(f).parameters[0].schema.properties.endpoint['x-ms-visibility']; } }],
  fail: [{
    fail: (f) => {
      delete op.webhook(f).parameters[0]['x-ms-visibility'];
      delete op.webhook(f).parameters[0].schema.properties.endpoint['x-ms-visibility'];
    },
    pointer: `${WEBHOOK}/parameters/0/schema/properties/endpoint`,
  }],
});
