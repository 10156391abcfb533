import { DELETE_WEBHOOK, GET_CALLS, WEBHOOK, op, ruleTest } from '../helpers';

ruleTest('parameter-summary-required', {
  pass: [
    // Half the corpus hits: internal parameters (state cursors, fixed api-version values) carry no display name.
    { name: 'an internal parameter without x-ms-summary', mutate: (f) => { delete op.getCalls(f).parameters[0]['x-ms-summary']; } },
    // The internal unsubscribe DELETE of a webhook (Calendly, DocuSign): makers never see its parameters.
    { name: 'a parameter of an internal operation', mutate: (f) => { delete op.deleteWebhook(f).parameters[0]['x-ms-summary']; } },
    {
    name: 'a body property titled through `title`',
    mutate: (f) => {
      op.webhook(f).parameters[0]['x-ms-visibility'] = 'important';
      op.webhook(f).parameters[0].schema.properties.note = { type: 'string', title: 'Note', description: 'A note for the subscription.' };
    },
  }],
  fail: [
    { name: 'a parameter of a visible operation made visible again', fail: (f) => { delete op.deleteWebhook(f)['x-ms-visibility']; delete op.deleteWebhook(f).parameters[0]['x-ms-summary']; }, pointer: `${DELETE_WEBHOOK}/parameters/0`, severity: 'warn' },
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
