import { WEBHOOK, op, ruleTest } from '../helpers';

ruleTest('ConsumesMissing', {
  pass: [{ name: 'document-level consumes', mutate: (f) => { delete op.webhook(f).consumes; f.definition.consumes = ['application/json']; } }],
  fail: [{ fail: (f) => { delete op.webhook(f).consumes; }, pointer: WEBHOOK }],
});
