import { GET_CALLS, WEBHOOK, op, ruleTest } from '../helpers';

ruleTest('parameter-summary-required', {
  pass: [{
    name: 'a body property titled through `title`',
    mutate: (f) => {
      op.webhook(f).parameters[0]['x-ms-visibility'] = 'important';
      op.webhook(f).parameters[0].schema.properties.note = { type: 'string', title: 'Note', description: 'A note for the subscription.' };
    },
  }],
  fail: [
    { name: 'a query parameter', fail: (f) => { delete op.getCalls(f).parameters[1]['x-ms-summary']; }, pointer: `${GET_CALLS}/parameters/1` },
    {
      name: 'a visible body property',
      fail: (f) => {
        op.webhook(f).parameters[0]['x-ms-visibility'] = 'important';
        op.webhook(f).parameters[0].schema.properties.note = { type: 'string', description: 'A note for the subscription.' };
      },
      pointer: `${WEBHOOK}/parameters/0/schema/properties/note`,
    },
  ],
});
