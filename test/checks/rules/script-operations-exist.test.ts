import { ruleTest } from '../helpers';

ruleTest('script-operations-exist', {
  fail: [{ fail: (f) => { f.properties.properties.scriptOperations.push('CallStartedV2'); }, file: 'apiProperties.json', pointer: '/properties/scriptOperations/1' }],
});
