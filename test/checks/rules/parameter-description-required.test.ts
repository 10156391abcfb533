import { DELETE_WEBHOOK, GET_CALLS, op, ruleTest } from '../helpers';

ruleTest('parameter-description-required', {
  fail: [
    { name: 'a missing description', fail: (f) => { delete op.getCalls(f).parameters[1].description; }, pointer: `${GET_CALLS}/parameters/1` },
    {
      name: 'a description equal to the display name',
      fail: (f) => { op.deleteWebhook(f).parameters[0].description = 'Webhook ID.'; },
      pointer: `${DELETE_WEBHOOK}/parameters/0/description`,
    },
  ],
});
