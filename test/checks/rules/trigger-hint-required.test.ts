import { GET_CALLS, WEBHOOK, op, ruleTest } from '../helpers';

ruleTest('trigger-hint-required', {
  fail: [
    { name: 'a webhook trigger', fail: (f) => { delete op.webhook(f)['x-ms-trigger-hint']; }, pointer: WEBHOOK },
    { name: 'a polling trigger', fail: (f) => { op.getCalls(f)['x-ms-trigger-hint'] = ''; }, pointer: GET_CALLS },
  ],
});
