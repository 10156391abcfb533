import { DELETE_WEBHOOK, GET_CALL, WEBHOOK, op, ruleTest } from '../helpers';

ruleTest('summary-no-trailing-punctuation', {
  pass: [{ name: 'a closing parenthesis', mutate: (f) => { op.getCall(f).summary = 'Get call by ID (V2)'; } }],
  fail: [
    { name: 'an operation summary with a period', fail: (f) => { op.getCall(f).summary = 'Get call by ID.'; }, pointer: `${GET_CALL}/summary` },
    { name: 'a parameter summary with a period', fail: (f) => { op.deleteWebhook(f).parameters[0]['x-ms-summary'] = 'Unique ID of the webhook.'; }, pointer: `${DELETE_WEBHOOK}/parameters/0/x-ms-summary` },
    {
      name: 'a body property title with a colon',
      fail: (f) => {
        op.webhook(f).parameters[0]['x-ms-visibility'] = 'important';
        op.webhook(f).parameters[0].schema.properties.note = { type: 'string', title: 'Note:', description: 'A note.' };
      },
      pointer: `${WEBHOOK}/parameters/0/schema/properties/note/title`,
    },
  ],
});
