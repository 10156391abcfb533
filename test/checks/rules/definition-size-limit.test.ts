import { ruleTest } from '../helpers';

ruleTest('definition-size-limit', {
  fail: [{ fail: (f) => { f.definitionBytes = 1024 * 1024; }, pointer: '' }],
});
