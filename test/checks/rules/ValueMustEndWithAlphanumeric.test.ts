import { ruleTest } from '../helpers';

ruleTest('ValueMustEndWithAlphanumeric', {
  fail: [
    { name: 'a trailing period', fail: (f) => { f.definition.info.title = 'Sample.'; }, pointer: '/info/title' },
    { name: 'a trailing space', fail: (f) => { f.definition.info.title = 'Sample '; }, pointer: '/info/title' },
  ],
});
