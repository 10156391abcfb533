import { describe, expect, it } from 'vitest';
import { checkCompatibility } from '../../connector/compat/guard';
import { extractSurface, SurfaceError, type Surface, type SurfaceOperation } from '../../connector/compat/surface';
import { ACT, at, inlineDefinition, type JsonObject, refDefinition, THING_BY_ID, THING_CREATED, THINGS } from './fixtures';

const operation = (surface: Surface, operationId: string): SurfaceOperation => {
  const found = surface.operations.find((op) => op.operationId === operationId);
  if (found === undefined) throw new Error(`no ${operationId} in surface`);
  return found;
};

const withoutPointers = (op: SurfaceOperation): unknown => ({
  ...op,
  pointer: undefined,
  outputsPointer: undefined,
  parameters: op.parameters.map((p) => ({ ...p, pointer: undefined })),
  outputs: op.outputs.map((f) => ({ ...f, pointer: undefined })),
});

describe('extractSurface', () => {
  const inline = extractSurface(inlineDefinition());

  it('lists operations by operationId with route, visibility and trigger kind', () => {
    expect(inline.operations.map((op) => [op.operationId, op.method, op.path, op.visibility, op.trigger, op.pointer])).toEqual([
      ['Act', 'post', '/act', null, 'none', ACT],
      ['GetThingByID', 'get', '/things/{thing_id}', 'important', 'none', THING_BY_ID],
      ['GetThings', 'get', '/trigger/things', 'important', 'batch', THINGS],
      ['ThingCreated', 'post', '/webhooks/ThingCreated', null, 'single', `${THING_CREATED}/post`],
    ]);
  });

  it('names output fields by path, arrays marked with [], children after their parent', () => {
    expect(operation(inline, 'GetThings').outputs.map((f) => `${f.path}:${f.type}${f.format ? '/' + f.format : ''}`)).toEqual([
      'data:array',
      'data[]/created:string',
      'data[]/groups:array',
      'data[]/groups[]/groupID:integer/int32',
      'data[]/groups[]/members:array',
      'data[]/groups[]/members[]/contactID:integer/int32',
      'data[]/id:integer/int32',
      'data[]/name:string',
      'data[]/tags:array',
      'data[]/tags[]:string',
      'status:string',
      'statusCode:integer/int32',
    ]);
  });

  it('reads a webhook trigger’s outputs from x-ms-notification-content, not from its response', () => {
    const op = operation(inline, 'ThingCreated');
    expect(op.outputs.map((f) => f.path)).toEqual(['data', 'data/id', 'eventType']);
    expect(op.outputsPointer).toBe(`${THING_CREATED}/x-ms-notification-content/schema`);
  });

  it('lists a body parameter and each of its properties, and marks the platform-filled subscription body', () => {
    expect(operation(inline, 'Act').parameters.map((p) => [p.path, p.in, p.type, p.required, p.visibility, p.platformFilled])).toEqual([
      ['body', 'body', 'object', true, 'important', undefined],
      ['body/note', 'body', 'string', false, null, undefined],
      ['body/target', 'body', 'string', true, null, undefined],
    ]);
    expect(operation(inline, 'ThingCreated').parameters.map((p) => [p.path, p.visibility, p.platformFilled])).toEqual([
      ['body', null, true],
      ['body/endpoint', 'internal', true],
    ]);
    expect(operation(inline, 'GetThings').parameters.map((p) => [p.path, p.in, p.type, p.format, p.required, p.hasDefault])).toEqual([
      ['date_from', 'query', 'string', 'date-time', false, false],
      ['initial_thing_id', 'query', 'integer', null, true, true],
      ['limit', 'query', 'integer', null, false, false],
    ]);
  });

  it('remembers where each field and parameter is declared', () => {
    const op = operation(inline, 'GetThingByID');
    expect(op.outputs.find((f) => f.path === 'data/groups[]/members[]/contactID')?.pointer).toBe(
      `${THING_BY_ID}/responses/200/schema/properties/data/properties/groups/items/properties/members/items/properties/contactID`,
    );
    expect(op.parameters[0].pointer).toBe(`${THING_BY_ID}/parameters/0`);
  });

  it('does not depend on the order properties and parameters are written in', () => {
    const reordered = inlineDefinition();
    const data = at(reordered, `${THING_BY_ID}/responses/200/schema/properties/data`);
    data.properties = Object.fromEntries(Object.entries(data.properties as JsonObject).reverse());
    (at(reordered, THINGS).parameters as unknown[]).reverse();
    const paths = reordered.paths as JsonObject;
    reordered.paths = Object.fromEntries(Object.entries(paths).reverse());
    const surface = extractSurface(reordered);
    expect(surface.operations.map(withoutPointers)).toEqual(inline.operations.map(withoutPointers));
  });

  it('picks the 200 response, else the first 2xx', () => {
    const definition = inlineDefinition();
    const responses = at(definition, `${ACT}/responses`);
    responses['202'] = { description: 'Accepted', schema: { type: 'object', properties: { queued: { type: 'boolean' } } } };
    responses['201'] = { description: 'Created', schema: { type: 'object', properties: { created: { type: 'boolean' } } } };
    expect(operation(extractSurface(definition), 'Act').outputs.map((f) => f.path)).toEqual(['data', 'status', 'statusCode']);
    delete responses['200'];
    expect(operation(extractSurface(definition), 'Act').outputs.map((f) => f.path)).toEqual(['created']);
  });

  describe('with $ref', () => {
    const viaRefs = extractSurface(refDefinition());

    it('resolves refs in responses, parameters, path-level parameters, allOf and array items to the same surface', () => {
      for (const op of inline.operations) {
        const other = operation(viaRefs, op.operationId);
        expect(withoutPointers({ ...other, parameters: [] })).toEqual(
          withoutPointers({ ...op, parameters: [] }),
        );
        if (op.operationId !== 'ThingCreated') {
          expect(other.parameters.map((p) => ({ ...p, pointer: undefined }))).toEqual(op.parameters.map((p) => ({ ...p, pointer: undefined })));
        }
      }
    });

    it('points into #/definitions where a field is declared', () => {
      const op = operation(viaRefs, 'GetThings');
      expect(op.outputs.find((f) => f.path === 'data[]/groups[]/members[]/contactID')?.pointer).toBe('/definitions/Member/properties/contactID');
      expect(op.outputs.find((f) => f.path === 'statusCode')?.pointer).toBe('/definitions/Envelope/properties/statusCode');
      expect(operation(viaRefs, 'GetThingByID').parameters[0].pointer).toBe('/parameters/ThingId');
    });

    it('is compatible with the inline baseline', () => {
      expect(checkCompatibility(extractSurface(inlineDefinition()), refDefinition())).toEqual([]);
    });

    it('stops at recursive schemas instead of looping', () => {
      const definition = refDefinition();
      const definitions = definition.definitions as JsonObject;
      definitions.Member = {
        type: 'object',
        properties: {
          contactID: { type: 'integer', format: 'int32' },
          manager: { $ref: '#/definitions/Member' },
          reports: { type: 'array', items: { $ref: '#/definitions/Member' } },
        },
      };
      const op = operation(extractSurface(definition), 'GetThingByID');
      expect(op.outputs.map((f) => f.path).filter((p) => p.startsWith('data/groups[]/members[]/'))).toEqual([
        'data/groups[]/members[]/contactID',
        'data/groups[]/members[]/manager',
        'data/groups[]/members[]/reports',
      ]);
    });

    it('rejects a $ref cycle with no schema in it', () => {
      const definition = refDefinition();
      Object.assign(definition.definitions as JsonObject, {
        Thing: { $ref: '#/definitions/Loop' },
        Loop: { $ref: '#/definitions/Thing' },
      });
      expect(() => extractSurface(definition)).toThrow(/\$ref cycle #\/definitions\/Thing → #\/definitions\/Loop → #\/definitions\/Thing/);
    });
  });

  describe('bad input fails with the place named', () => {
    const failure = (change: (d: JsonObject) => void): SurfaceError => {
      const definition = inlineDefinition();
      change(definition);
      try {
        extractSurface(definition);
      } catch (error) {
        if (error instanceof SurfaceError) return error;
        throw error;
      }
      throw new Error('expected a SurfaceError');
    };

    it('an external $ref', () => {
      const error = failure((d) => {
        at(d, `${ACT}/responses/200`).schema = { $ref: 'other.json#/Thing' };
      });
      expect(error.message).toContain("external $ref 'other.json#/Thing'");
      expect(error.pointer).toBe(`${ACT}/responses/200/schema`);
    });

    it('a duplicate operationId', () => {
      const error = failure((d) => {
        at(d, THINGS).operationId = 'GetThingByID';
      });
      expect(error.message).toContain('operationId GetThingByID also used at');
    });

    it('an unknown x-ms-trigger', () => {
      const error = failure((d) => {
        at(d, THINGS)['x-ms-trigger'] = 'poll';
      });
      expect(error.pointer).toBe(`${THINGS}/x-ms-trigger`);
    });

    it('a definition without paths', () => {
      expect(() => extractSurface({ swagger: '2.0' })).toThrow(/no paths object/);
    });
  });
});
