import { describe, expect, it } from 'vitest';
import { ContractDefinition, DefinitionError } from '../../lib/definition';
import { miniDefinition, miniDoc, miniProperties } from '../contract/fixtures/mini-definition';

const def = miniDefinition();
const ITEM = '/paths/~1items~1{item_key}/get/responses/200/schema';
const DOUBLE = '/paths/~1double~1{key}/get/responses/200/schema';
const LIST = '/paths/~1trigger~1items/get/responses/200/schema';

describe('definition index', () => {
  it('indexes operations with resolved parameters, responses, triggers and polling state', () => {
    expect([...def.operations.keys()].sort()).toEqual(['GetDouble', 'GetItem', 'GetItems', 'ItemCreated']);
    const items = def.operation('GetItems');
    expect(items?.trigger).toBe('batch');
    expect(items?.parameters.map((p) => p.parameter.name)).toEqual(['limit', 'initial_item_id', 'archived', 'x-trace']);
    expect(items?.parameters[0].pointer).toBe('/parameters/limit');
    expect(items?.polling).toMatchObject({ parameter: 'initial_item_id', expression: '@{triggerBody().data[0].id}', dataPath: '@triggerBody().data' });
    expect(def.operation('GetItem')?.responses.find((r) => r.status === '429')?.headers).toEqual({ 'retry-after': { type: 'integer', format: undefined } });
    expect(def.operation('ItemCreated')?.notificationSchemaPointer).toBe('/paths/~1hooks~1ItemCreated/x-ms-notification-content/schema');
  });

  it('rejects a $ref to a missing definition with the pointer', () => {
    const doc = miniDoc();
    ((doc.definitions as Record<string, { properties: Record<string, unknown> }>).Owner.properties as Record<string, unknown>).more = { $ref: '#/definitions/Nope' };
    expect(() => new ContractDefinition(doc, miniProperties())).toThrow(DefinitionError);
    expect(() => new ContractDefinition(doc, miniProperties())).toThrow(/\/definitions\/Owner\/properties\/more\/\$ref: "#\/definitions\/Nope" does not exist/);
  });
});

describe('Swagger 2.0 schema validation (Ajv, strict)', () => {
  it('accepts valid data; x-* keys and Swagger-only keywords do not break strict compilation', () => {
    expect(def.validate(ITEM, { id: 1, when: '2024-05-14T09:12:03+03:00', note: 'ok', tags: ['a'], extra: { any: 1 } })).toEqual([]);
  });

  it('translates x-nullable: null is allowed only where declared', () => {
    expect(def.validate(ITEM, { id: 1, note: null })).toEqual([]);
    const issues = def.validate(ITEM, { id: 1, when: null });
    expect(issues).toEqual([expect.objectContaining({ keyword: 'type', dataPath: '/when', schemaPath: '/definitions/Item/properties/when/type', actual: null })]);
  });

  it('checks formats: int32 range and date-time', () => {
    const issues = def.validate(ITEM, { id: 2 ** 31, when: '14.05.2024 09:12' });
    expect(issues.map((i) => [i.dataPath, i.schemaPath, i.expected])).toEqual([
      ['/id', '/definitions/Item/properties/id/format', 'format int32'],
      ['/when', '/definitions/Item/properties/when/format', 'format date-time'],
    ]);
  });

  it('names the missing required field by its data path, through $ref, arrays and allOf', () => {
    expect(def.validate(LIST, { data: [{ id: 1 }, { when: '2024-05-14T09:12:03Z' }] })).toEqual([
      expect.objectContaining({ keyword: 'required', dataPath: '/data/1/id', schemaPath: '/definitions/Item/required', expected: 'required property "id"' }),
    ]);
    expect(def.validate(DOUBLE, { id: 1, ownerID: 'x' })).toEqual([expect.objectContaining({ dataPath: '/ownerID', schemaPath: '/definitions/Owner/properties/ownerID/type' })]);
  });
});
