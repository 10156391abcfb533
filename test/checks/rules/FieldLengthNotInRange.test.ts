import { ruleTest } from '../helpers';

ruleTest('FieldLengthNotInRange', {
  fail: [
    { name: 'a short description', fail: (f) => { f.definition.info.description = 'Too short.'; }, pointer: '/info/description' },
    { name: 'a long description', fail: (f) => { f.definition.info.description = 'x'.repeat(501); }, pointer: '/info/description' },
  ],
});
