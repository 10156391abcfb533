import { DELETE_WEBHOOK, GET_CALLS, op, ruleTest } from '../helpers';

ruleTest('parameter-description-required', {
  pass: [
    { name: 'an internal parameter without description', mutate: (f) => { delete op.getCalls(f).parameters[0].description; } },
    { name: 'a parameter of an internal operation', mutate: (f) => { delete op.deleteWebhook(f).parameters[0].description; } },
  ],
  fail: [
    { name: 'a missing description', fail: (f) => { delete op.getCalls(f).parameters[1].description; }, pointer: `${GET_CALLS}/parameters/1` },
    {
      name: 'a description equal to the display name',
      fail: (f) => { delete op.deleteWebhook(f)['x-ms-visibility']; op.deleteWebhook(f).parameters[0].description = 'Webhook ID.'; },
      pointer: `${DELETE_WEBHOOK}/parameters/0/description`,
    },
  ],
});
