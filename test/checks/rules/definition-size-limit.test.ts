import { ruleTest } from '../helpers';

ruleTest('definition-size-limit', {
  pass: [{ name: 'just under 1 MB', mutate: (f) => { f.definitionBytes = 1024 * 1024 - 1; } }],
  fail: [{ name: 'a definition of 1 MB', fail: (f) => { f.definitionBytes = 1024 * 1024; }, pointer: '', severity: 'error' }],
});
