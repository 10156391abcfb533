import { eventEnvelope, responseEnvelope } from '../entities/envelope';
import type {
  Action,
  BodyParameter,
  ConnectorModel,
  Field,
  Operation,
  Parameter,
  Payload,
  Picker,
  ScalarField,
  ViewRef,
  Visibility,
} from '../model/types';
import type { XBodyParameter, XDocument, XDynamicValues, XGeneralParameter, XItems, XOperation, XParameter, XPathItem, XResponse, XSchema } from './swagger-types';

const ref = (name: string): { $ref: string } => ({ $ref: `#/definitions/${name}` });

/**
 * Collects `definitions`. Two builders asking for one name must agree on its content, so a view or
 * payload shared by several operations is emitted once and can never silently drift.
 */
class Definitions {
  private readonly schemas = new Map<string, { schema: XSchema; json: string }>();

  use(name: string, build: () => XSchema): { $ref: string } {
    // Built every time it is used, so that a second, different shape under the same name is caught.
    const schema = build();
    const json = JSON.stringify(schema);
    const existing = this.schemas.get(name);
    if (existing && existing.json !== json) {
      throw new Error(`definitions/${name} is built twice with different content`);
    }
    if (!existing) this.schemas.set(name, { schema, json });
    return ref(name);
  }

  /** Sorted by name: stable whatever order operations are listed in. */
  toObject(): Record<string, XSchema> {
    const out: Record<string, XSchema> = {};
    for (const name of [...this.schemas.keys()].sort()) out[name] = this.schemas.get(name)!.schema;
    return out;
  }
}

function scalarSchema(field: ScalarField, format: ScalarField['format'] | null | undefined): XSchema {
  const effective = format === undefined ? field.format : (format ?? undefined);
  return {
    type: field.type,
    ...(effective ? { format: effective } : {}),
    'x-ms-summary': field.title,
    description: field.description,
    ...(field.visibility ? { 'x-ms-visibility': field.visibility } : {}),
    ...(field.nullable ? { 'x-nullable': true } : {}),
  };
}

function fieldSchema(defs: Definitions, field: Field, format?: ScalarField['format'] | null): XSchema {
  switch (field.kind) {
    case 'scalar':
      return scalarSchema(field, format);
    case 'array':
      return {
        type: 'array',
        'x-ms-summary': field.title,
        description: field.description,
        items: viewSchema(defs, field.of),
      };
    case 'object':
      return viewSchema(defs, field.of);
  }
}

/** One view of an entity → one named definition, referenced everywhere it is used. */
export function viewSchema(defs: Definitions, view: ViewRef): XItems & XSchema {
  return defs.use(view.schemaName, () => {
    const properties: Record<string, XSchema> = {};
    for (const name of view.pick) {
      const field = view.entity.fields[name];
      if (!field) throw new Error(`${view.schemaName}: ${view.entity.name} has no field ${name}`);
      properties[name] = fieldSchema(defs, field, view.formatOverrides?.[name]);
    }
    const required = view.entity.required.filter((name) => view.pick.includes(name));
    return {
      type: 'object',
      'x-ms-summary': capitalise(view.entity.name),
      description: view.description,
      ...(required.length ? { required: [...required] } : {}),
      properties,
    };
  });
}

function envelopeProperties(hidden: boolean): Record<string, XSchema> {
  const out: Record<string, XSchema> = {};
  for (const [name, field] of Object.entries(responseEnvelope)) {
    // A polling trigger's runs are its `data` items; hiding the envelope lets the designer offer split-on.
    out[name] = { ...scalarSchema(field, undefined), ...(hidden ? { 'x-ms-visibility': 'internal' as Visibility } : {}) };
  }
  return out;
}

/** The property of a page that holds the link to the next one (`x-ms-pageable`). */
export const NEXT_LINK = 'nextLink';

/** The property of a page that holds its items: what the platform's pagination merges (x-ms-pageable's item name). */
export const PAGE_ITEMS = 'value';

function dataSchema(defs: Definitions, payload: Payload): XSchema {
  switch (payload.kind) {
    case 'item':
      return viewSchema(defs, payload.view);
    case 'choices':
      return {
        type: 'array',
        'x-ms-summary': 'Choices',
        description: 'The items offered, sorted by title.',
        items: viewSchema(defs, payload.view),
      };
    case 'list':
    case 'linked':
    case 'page':
      return {
        type: 'array',
        'x-ms-summary': `${capitalise(plural(payload.view.entity.name))}`,
        description: `The ${plural(payload.view.entity.name)} returned, newest first.`,
        items: viewSchema(defs, payload.view),
      };
    case 'empty':
      return { type: 'object', 'x-ms-summary': 'Data', description: 'Empty object: this request returns no data.', properties: {} };
    case 'webhookId':
      return {
        type: 'string',
        'x-ms-summary': 'Webhook ID',
        description: 'ID of the new webhook subscription, as a string holding an integer (e.g. "57").',
      };
  }
}

/** Added by script.csx to a page: the next page through the connector, while more remain. */
const nextLinkProperty: XSchema = {
  type: 'string',
  format: 'uri',
  'x-ms-summary': 'Next Link',
  description: 'URL of the next page through this connector (same inputs, the offset moved on); absent on the last page.',
};

/** What a Do until loop passes back to read the next page of a list action as it was at its first page. */
const pagingProperties: Record<string, XSchema> = {
  snapshotId: {
    type: 'integer',
    format: 'int64',
    'x-ms-summary': 'Snapshot ID',
    description: 'Highest ID when the first page was read: pass it as Snapshot ID for the next page. Absent on an empty list, and when the PBX lists oldest first (new items then come last).',
  },
  nextOffset: {
    type: 'integer',
    format: 'int64',
    'x-ms-summary': 'Next Offset',
    description: 'Where the next page starts: pass it as Offset. Absent on the last page.',
  },
  lastId: {
    type: 'integer',
    format: 'int64',
    'x-ms-summary': 'Last ID',
    description: 'Where this page stopped (its lowest ID; its highest when the PBX lists oldest first): pass it as After ID for the next page. Absent on the last page.',
  },
};

function payloadSchema(defs: Definitions, payload: Payload, hiddenEnvelope: boolean): XSchema {
  if (payload.kind === 'page') {
    // The platform's paging shape: the items in `value` (what Pagination merges), no PBX envelope.
    return defs.use(payload.schemaName, () => ({
      type: 'object',
      description: payload.description,
      required: [PAGE_ITEMS],
      properties: { [PAGE_ITEMS]: dataSchema(defs, payload), [NEXT_LINK]: nextLinkProperty, ...pagingProperties },
    }));
  }
  return defs.use(payload.schemaName, () => ({
    type: 'object',
    description: payload.description,
    required: ['status', 'statusCode', 'data'],
    properties: {
      ...envelopeProperties(hiddenEnvelope),
      data: dataSchema(defs, payload),
      ...(payload.kind === 'linked' ? { [NEXT_LINK]: nextLinkProperty } : {}),
    },
  }));
}

/** Pagination merges `value` and follows `nextLink`: an operation whose items are elsewhere would page wrongly. */
function pageable(op: Action): { nextLinkName: string } {
  if (op.payload.kind !== 'page') {
    throw new Error(`${op.operationId} is pageable but answers a ${op.payload.kind} payload: the designer's Pagination merges "${PAGE_ITEMS}", so only a page payload may declare x-ms-pageable`);
  }
  return { nextLinkName: NEXT_LINK };
}

function dynamicValues(picker: Picker): XDynamicValues {
  return { operationId: picker.operationId, 'value-collection': 'data', 'value-path': picker.valuePath, 'value-title': picker.titlePath };
}

function errorSchema(defs: Definitions): XSchema {
  return defs.use('ErrorResponse', () => ({
    type: 'object',
    description: 'The PBX envelope of a failed request; Message says what went wrong and how to fix it.',
    required: ['status', 'statusCode', 'message'],
    properties: {
      ...envelopeProperties(false),
      data: {
        type: 'object',
        'x-ms-summary': 'Error Details',
        description: 'Details of the error, e.g. the messages for each invalid parameter of a 422; empty otherwise.',
        'x-nullable': true,
      },
    },
  }));
}

function errorResponses(defs: Definitions, includeNotFound: boolean): Record<string, XResponse> {
  const error = errorSchema(defs);
  return {
    '401': { description: 'The API key is missing or was rejected: edit the connection and paste a valid key.', schema: error },
    '403': { description: 'The API key may not call this method, or the caller IP is not allowed by the key.', schema: error },
    ...(includeNotFound ? { '404': { description: 'No item with this ID exists.', schema: error } } : {}),
    '422': { description: 'A parameter value is not valid; Message names it.', schema: error },
    '429': {
      description: 'Too many requests; retry after the number of seconds in Retry-After.',
      headers: { 'Retry-After': { type: 'integer', description: 'Seconds to wait before retrying.' } },
      schema: error,
    },
    default: { description: 'Unexpected answer from the PBX.' },
  };
}

function parameter(p: Parameter): XGeneralParameter {
  return {
    name: p.name,
    in: p.in,
    required: p.required,
    type: p.type,
    ...(p.format ? { format: p.format } : {}),
    ...(p.default !== undefined ? { default: p.default } : {}),
    'x-ms-summary': p.title,
    description: p.description,
    ...(p.visibility ? { 'x-ms-visibility': p.visibility } : {}),
    ...(p.urlEncoding ? { 'x-ms-url-encoding': p.urlEncoding } : {}),
    ...(p.picker ? { 'x-ms-dynamic-values': dynamicValues(p.picker) } : {}),
  };
}

function bodyParameter(body: BodyParameter): XBodyParameter {
  const properties: Record<string, XSchema> = {};
  for (const [name, prop] of Object.entries(body.properties)) {
    properties[name] = {
      type: prop.type,
      ...(prop.format ? { format: prop.format } : {}),
      'x-ms-summary': prop.title,
      description: prop.description,
      ...(prop.visibility ? { 'x-ms-visibility': prop.visibility } : {}),
      ...(prop.notificationUrl ? { 'x-ms-notification-url': true } : {}),
      ...(prop.picker ? { 'x-ms-dynamic-values': dynamicValues(prop.picker) } : {}),
    };
  }
  return {
    name: body.name,
    in: 'body',
    required: true,
    'x-ms-summary': body.title,
    description: body.description,
    ...(body.visibility ? { 'x-ms-visibility': body.visibility } : {}),
    schema: {
      type: 'object',
      ...(body.visibility ? { 'x-ms-visibility': body.visibility } : {}),
      required: [...body.required],
      properties,
    },
  };
}

function successResponses(defs: Definitions, op: Operation): Record<string, XResponse> {
  const schema = payloadSchema(defs, op.payload, op.kind === 'polling');
  if (op.kind === 'webhook') {
    return {
      '201': {
        description: 'Subscribed. Location is where the platform sends DELETE to unsubscribe (DeleteWebhookByID).',
        headers: { Location: { type: 'string', description: 'URL of this subscription on the connector; DELETE removes it.' } },
        schema,
      },
      '200': { description: 'Subscribed, but the PBX returned no webhook ID, so the subscription cannot be removed automatically.', schema },
    };
  }
  return { '200': { description: capitaliseFirst(op.payload.description), schema } };
}

function operation(defs: Definitions, op: Operation): XOperation {
  const parameters: XParameter[] = op.parameters.map(parameter);
  if (op.body) parameters.push(bodyParameter(op.body));
  return {
    summary: op.summary,
    description: op.description,
    operationId: op.operationId,
    ...(op.visibility ? { 'x-ms-visibility': op.visibility } : {}),
    ...(op.kind === 'polling'
      ? { 'x-ms-trigger': 'batch' as const, 'x-ms-trigger-metadata': { mode: 'polling' as const, kind: 'query' as const } }
      : {}),
    ...(op.kind === 'webhook' ? { 'x-ms-trigger': 'single' as const } : {}),
    ...(op.kind !== 'action' ? { 'x-ms-trigger-hint': op.hint } : {}),
    ...(op.annotation ? { 'x-ms-api-annotation': { ...op.annotation } } : {}),
    ...(op.deprecated ? { deprecated: true } : {}),
    ...(op.kind === 'action' && op.pageable ? { 'x-ms-pageable': pageable(op) } : {}),
    ...(op.body ? { consumes: ['application/json'] } : {}),
    produces: ['application/json'],
    parameters,
    responses: { ...successResponses(defs, op), ...errorResponses(defs, op.kind !== 'webhook') },
  };
}

function eventSchema(defs: Definitions, op: Extract<Operation, { kind: 'webhook' }>): XSchema {
  return defs.use(op.event.schemaName, () => {
    const properties: Record<string, XSchema> = {};
    for (const [name, field] of Object.entries(eventEnvelope)) properties[name] = scalarSchema(field, undefined);
    properties.data = viewSchema(defs, op.event.data);
    return { type: 'object', description: capitaliseFirst(op.event.description), required: ['eventType', 'data'], properties };
  });
}

/** Pure: the model in, the Swagger 2.0 document out. */
export function buildSwagger(model: ConnectorModel): XDocument {
  const defs = new Definitions();
  const paths: Record<string, XPathItem> = {};
  for (const op of model.operations) {
    const item: XPathItem = paths[op.path] ?? {};
    const taken = item[op.method];
    if (taken) {
      throw new Error(
        `${op.operationId}: ${op.method.toUpperCase()} ${op.path} is defined twice (already used by ${taken.operationId}). ` +
          'Swagger 2.0 allows one operation per method and path: give the new operation its own path ' +
          '(README, "Changing an operation safely").',
      );
    }
    if (op.kind === 'webhook') {
      item['x-ms-notification-content'] = { description: op.event.description, schema: eventSchema(defs, op) };
    }
    item[op.method] = operation(defs, op);
    paths[op.path] = item;
  }
  const { brand, auth } = model;
  return {
    swagger: '2.0',
    info: { title: brand.title, description: brand.description, version: brand.version, contact: { ...brand.contact } },
    host: brand.host,
    basePath: brand.basePath,
    schemes: ['https'],
    consumes: ['application/json'],
    produces: ['application/json'],
    paths,
    definitions: defs.toObject(),
    parameters: {},
    responses: {},
    securityDefinitions: { [auth.securityName]: { type: 'apiKey', in: 'header', name: auth.header } },
    security: [{ [auth.securityName]: [] }],
    tags: [],
    'x-ms-connector-metadata': [
      { propertyName: 'Website', propertyValue: brand.website },
      { propertyName: 'Privacy policy', propertyValue: brand.privacyPolicy },
      { propertyName: 'Categories', propertyValue: brand.categories.join(';') },
    ],
  };
}

function capitalise(words: string): string {
  return words.replace(/(^|\s)([a-z])/g, (_, space: string, letter: string) => space + letter.toUpperCase());
}

function capitaliseFirst(sentence: string): string {
  return sentence.charAt(0).toUpperCase() + sentence.slice(1);
}

function plural(name: string): string {
  if (name.endsWith('box')) return `${name}es`;
  if (name.endsWith('y')) return `${name.slice(0, -1)}ies`;
  return `${name}s`;
}
