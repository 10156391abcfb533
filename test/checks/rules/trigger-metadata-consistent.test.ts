import { GET_CALLS, op, ruleTest } from '../helpers';

const metadata = { kind: 'query', mode: 'polling' };

ruleTest('trigger-metadata-consistent', {
  pass: [{ name: 'every polling trigger with metadata', mutate: (f) => { op.getCalls(f)['x-ms-trigger-metadata'] = metadata; } }],
  fail: [{
    name: 'a polling trigger without the metadata another operation has',
    fail: (f) => {
      f.definition.paths['/trigger/calls2'] = { get: { ...op.getCalls(f), operationId: 'GetCalls2', 'x-ms-trigger-metadata': metadata } };
    },
    pointer: GET_CALLS,
    severity: 'warn',
  }],
});
