import { ruleTest } from '../helpers';

ruleTest('TotalOperationsCountExceedsMaxAllowed', {
  pass: [{ name: '256 operations', mutate: (f) => { for (let i = 0; i < 252; i++) f.definition.paths[`/extra/${i}`] = { get: { operationId: `Extra${i}` } }; } }],
  fail: [{ fail: (f) => { for (let i = 0; i < 253; i++) f.definition.paths[`/extra/${i}`] = { get: { operationId: `Extra${i}` } }; }, pointer: '/paths', message: /257/ }],
});
