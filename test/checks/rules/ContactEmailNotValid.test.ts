import { ruleTest } from '../helpers';

ruleTest('ContactEmailNotValid', {
  fail: [{ fail: (f) => { f.definition.info.contact.email = 'support at example.com'; }, pointer: '/info/contact/email' }],
});
