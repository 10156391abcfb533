import { WEBHOOK, op, ruleTest } from '../helpers';

ruleTest('webhook-trigger-lost', {
  pass: [{ name: 'an action without notification content', mutate: (f) => { delete op.webhook(f)['x-ms-trigger']; delete f.definition.paths['/webhooks/CallStarted']['x-ms-notification-content']; } }],
  fail: [
    { name: 'a subscribe POST that lost x-ms-trigger (a warning: one definition cannot tell it from a webhook action)', fail: (f) => { delete op.webhook(f)['x-ms-trigger']; }, pointer: WEBHOOK, message: /no 'x-ms-trigger'.*webhook action/, severity: 'warn' },
    {
      // The shape of a certified "wait for the next signature" action: an action POST under a path
      // with notification content, registering the callback URL the platform waits on.
      name: 'a webhook action that waits for one callback, as a warning',
      fail: (f) => {
        f.definition.paths['/documents/{document_id}/wait'] = {
          'x-ms-notification-content': { description: 'The event that resumes the flow.', schema: { type: 'object', properties: { status: { type: 'string', description: 'Document status.' } } } },
          post: {
            operationId: 'WaitForNextEvent',
            summary: 'Wait for the next event',
            description: 'Waits until the next event happens on the document.',
            parameters: [
              { name: 'document_id', in: 'path', required: true, type: 'string', 'x-ms-summary': 'Document ID', description: 'The document.', 'x-ms-url-encoding': 'single' },
              { name: 'body', in: 'body', required: true, schema: { type: 'object', required: ['callbackUrl'], properties: { callbackUrl: { type: 'string', 'x-ms-notification-url': true, 'x-ms-visibility': 'internal', description: 'Callback.' } } } },
            ],
            responses: { 200: { description: 'The wait is registered.' } },
          },
        };
      },
      pointer: '/paths/~1documents~1{document_id}~1wait/post',
      message: /'WaitForNextEvent'.*webhook action/,
      severity: 'warn',
    },
  ],
});
