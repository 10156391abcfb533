import { ruleTest } from '../helpers';

ruleTest('FieldLengthExceeded', {
  pass: [{ name: 'exactly 30 characters', mutate: (f) => { f.definition.info.title = 'A'.repeat(30); } }],
  fail: [{ fail: (f) => { f.definition.info.title = 'A'.repeat(31); }, pointer: '/info/title', message: /'30'/ }],
});
