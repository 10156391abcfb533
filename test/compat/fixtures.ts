/**
 * Purpose-made small definitions for the compatibility guard tests: one of each operation kind
 * (action with a path parameter, action with a body, polling trigger, webhook trigger), written once
 * inline (like production 1.0) and once with `$ref`s (like the generated definition).
 */
import { getAt } from '../../lib/json-pointer';

export type JsonObject = Record<string, unknown>;

/** The object at a JSON pointer, for mutating a cloned fixture. */
export function at(document: JsonObject, pointer: string): JsonObject {
  const current = getAt(document, pointer);
  if (typeof current !== 'object' || current === null) throw new Error(`fixture has no object at ${pointer}`);
  return current as JsonObject;
}

export const THING_BY_ID = '/paths/~1things~1{thing_id}/get';
export const THINGS = '/paths/~1trigger~1things/get';
export const ACT = '/paths/~1act/post';
export const THING_CREATED = '/paths/~1webhooks~1ThingCreated';

const envelope = (data: JsonObject): JsonObject => ({
  type: 'object',
  properties: {
    status: { type: 'string', description: 'status' },
    statusCode: { type: 'integer', format: 'int32', description: 'statusCode' },
    data,
  },
});

const thing = (): JsonObject => ({
  type: 'object',
  properties: {
    id: { type: 'integer', format: 'int32' },
    name: { type: 'string' },
    created: { type: 'string' },
    tags: { type: 'array', items: { type: 'string' } },
    groups: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          groupID: { type: 'integer', format: 'int32' },
          members: { type: 'array', items: { type: 'object', properties: { contactID: { type: 'integer', format: 'int32' } } } },
        },
      },
    },
  },
});

/** Inline schemas, as in the production definition. */
export function inlineDefinition(): JsonObject {
  return {
    swagger: '2.0',
    info: { title: 'Things', version: '1.0' },
    paths: {
      '/things/{thing_id}': {
        get: {
          operationId: 'GetThingByID',
          summary: 'Get thing by ID',
          'x-ms-visibility': 'important',
          parameters: [{ name: 'thing_id', in: 'path', required: true, type: 'integer' }],
          responses: { '200': { description: 'OK', schema: envelope(thing()) }, '404': { description: 'Not Found' } },
        },
      },
      '/trigger/things': {
        get: {
          operationId: 'GetThings',
          summary: 'Get things',
          'x-ms-visibility': 'important',
          'x-ms-trigger': 'batch',
          parameters: [
            { name: 'limit', in: 'query', required: false, type: 'integer', 'x-ms-visibility': 'important' },
            { name: 'date_from', in: 'query', required: false, type: 'string', format: 'date-time' },
            { name: 'initial_thing_id', in: 'query', required: true, type: 'integer', default: 0, 'x-ms-visibility': 'internal' },
          ],
          responses: { '200': { description: 'OK', schema: envelope({ type: 'array', items: thing() }) } },
        },
      },
      '/act': {
        post: {
          operationId: 'Act',
          summary: 'Act',
          parameters: [
            {
              name: 'body',
              in: 'body',
              required: true,
              'x-ms-visibility': 'important',
              schema: {
                type: 'object',
                required: ['target'],
                properties: { target: { type: 'string' }, note: { type: 'string' } },
              },
            },
          ],
          responses: { '200': { description: 'OK', schema: envelope({ type: 'object', properties: {} }) } },
        },
      },
      '/webhooks/ThingCreated': {
        'x-ms-notification-content': {
          description: 'A thing was created.',
          schema: { type: 'object', properties: { eventType: { type: 'string' }, data: { type: 'object', properties: { id: { type: 'integer', format: 'int32' } } } } },
        },
        post: {
          operationId: 'ThingCreated',
          summary: 'When a thing is created',
          'x-ms-trigger': 'single',
          // Like production's VoicemailDeleted: the subscription body has no x-ms-visibility.
          parameters: [
            {
              name: 'body',
              in: 'body',
              required: true,
              schema: {
                type: 'object',
                required: ['endpoint'],
                properties: { endpoint: { type: 'string', 'x-ms-notification-url': true, 'x-ms-visibility': 'internal' } },
              },
            },
          ],
          responses: { '200': { description: 'OK', schema: envelope({ type: 'string' }) } },
        },
      },
    },
  };
}

/** The same surface written the way the generated definition is: shared schemas, refs everywhere. */
export function refDefinition(): JsonObject {
  const ref = (name: string): JsonObject => ({ $ref: `#/definitions/${name}` });
  return {
    swagger: '2.0',
    info: { title: 'Things', version: '1.1' },
    paths: {
      '/things/{thing_id}': {
        parameters: [{ $ref: '#/parameters/ThingId' }],
        get: {
          operationId: 'GetThingByID',
          summary: 'Get a thing by its ID',
          description: 'Better text is allowed.',
          'x-ms-visibility': 'important',
          responses: {
            '200': { $ref: '#/responses/ThingResponse' },
            '404': { description: 'Not Found', schema: ref('Error') },
            default: { description: 'Error' },
          },
        },
      },
      '/trigger/things': {
        get: {
          operationId: 'GetThings',
          'x-ms-visibility': 'important',
          'x-ms-trigger': 'batch',
          parameters: [
            { name: 'initial_thing_id', in: 'query', required: true, type: 'integer', default: 0, 'x-ms-visibility': 'internal' },
            { name: 'date_from', in: 'query', required: false, type: 'string', format: 'date-time' },
            { name: 'limit', in: 'query', required: false, type: 'integer', 'x-ms-visibility': 'important' },
          ],
          responses: { '200': { description: 'OK', schema: ref('ThingList') } },
        },
      },
      '/act': {
        post: {
          operationId: 'Act',
          parameters: [{ name: 'body', in: 'body', required: true, 'x-ms-visibility': 'important', schema: ref('ActRequest') }],
          responses: { '200': { description: 'OK', schema: ref('Empty') } },
        },
      },
      '/webhooks/ThingCreated': {
        'x-ms-notification-content': { description: 'A thing was created.', schema: ref('ThingCreatedEvent') },
        post: {
          operationId: 'ThingCreated',
          'x-ms-trigger': 'single',
          parameters: [{ name: 'body', in: 'body', required: true, 'x-ms-visibility': 'internal', schema: ref('Subscription') }],
          responses: {
            '201': { description: 'Created', schema: ref('Registration') },
            '200': { description: 'OK', schema: ref('Registration') },
          },
        },
      },
    },
    parameters: { ThingId: { name: 'thing_id', in: 'path', required: true, type: 'integer' } },
    responses: { ThingResponse: { description: 'OK', schema: ref('ThingEnvelope') } },
    definitions: {
      Envelope: {
        type: 'object',
        properties: { status: { type: 'string' }, statusCode: { type: 'integer', format: 'int32' } },
      },
      ThingEnvelope: { allOf: [ref('Envelope'), { type: 'object', properties: { data: ref('Thing') } }] },
      ThingList: { allOf: [ref('Envelope'), { type: 'object', properties: { data: { type: 'array', items: ref('Thing') } } }] },
      Empty: { allOf: [ref('Envelope'), { type: 'object', properties: { data: { type: 'object', properties: {} } } }] },
      Registration: { allOf: [ref('Envelope'), { type: 'object', properties: { data: { type: 'string' } } }] },
      Error: { type: 'object', properties: { message: { type: 'string' } } },
      Thing: {
        type: 'object',
        properties: {
          id: { type: 'integer', format: 'int32' },
          name: { type: 'string' },
          created: { type: 'string' },
          tags: { type: 'array', items: { type: 'string' } },
          groups: { type: 'array', items: ref('Group') },
        },
      },
      Group: {
        type: 'object',
        properties: { groupID: { type: 'integer', format: 'int32' }, members: { type: 'array', items: ref('Member') } },
      },
      Member: { type: 'object', properties: { contactID: { type: 'integer', format: 'int32' } } },
      ActRequest: { type: 'object', required: ['target'], properties: { target: { type: 'string' }, note: { type: 'string' } } },
      Subscription: {
        type: 'object',
        required: ['endpoint'],
        properties: { endpoint: { type: 'string', 'x-ms-notification-url': true, 'x-ms-visibility': 'internal' } },
      },
      ThingCreatedEvent: {
        type: 'object',
        properties: { eventType: { type: 'string' }, data: { type: 'object', properties: { id: { type: 'integer', format: 'int32' } } } },
      },
    },
  };
}
