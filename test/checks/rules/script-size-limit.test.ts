import { ruleTest } from '../helpers';

ruleTest('script-size-limit', {
  fail: [{ fail: (f) => { f.script += '//' + 'x'.repeat(1024 * 1024); }, file: 'script.csx', pointer: '' }],
});
