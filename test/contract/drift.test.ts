import { describe, expect, it } from 'vitest';
import { drift } from '../../contract/drift';
import { miniDefinition } from './fixtures/mini-definition';

const def = miniDefinition();
const DOUBLE = '/paths/~1double~1{key}/get/responses/200/schema';
const LIST = '/paths/~1trigger~1items/get/responses/200/schema';

describe('drift (fields the definition does not declare)', () => {
  it('reports undeclared fields with data path and the schema that lacks them', () => {
    expect(drift(def, LIST, { data: [{ id: 1, colour: 'red' }, { id: 2, colour: 'blue' }] })).toEqual([
      { dataPath: '/data/0/colour', schemaPath: '/definitions/Item/properties', field: 'colour', value: 'red' },
      { dataPath: '/data/1/colour', schemaPath: '/definitions/Item/properties', field: 'colour', value: 'blue' },
    ]);
  });

  it('knows properties declared through allOf, and skips free-form objects', () => {
    expect(drift(def, DOUBLE, { id: 1, ownerID: 2, extra: { anything: true } })).toEqual([]);
    expect(drift(def, DOUBLE, { id: 1, ownerID: 2, surprise: 1 })).toEqual([expect.objectContaining({ field: 'surprise', dataPath: '/surprise' })]);
  });
});
