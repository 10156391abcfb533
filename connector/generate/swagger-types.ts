import type { OpenAPIV2 } from 'openapi-types';
import type { Format, Visibility } from '../model/types';

/**
 * The generated Swagger 2.0 document, typed down to the `x-ms-*` keys: a typo such as
 * `x-ms-visiblity` fails to compile. `assertSwagger2` below proves it stays an OpenAPI 2.0 document.
 */
export type SchemaType = 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';

export interface XSchema {
  $ref?: string;
  type?: SchemaType;
  format?: Format;
  description?: string;
  'x-ms-summary'?: string;
  'x-ms-visibility'?: Visibility;
  'x-nullable'?: boolean;
  'x-ms-notification-url'?: boolean;
  default?: string | number | boolean;
  required?: string[];
  properties?: Record<string, XSchema>;
  items?: XItems;
}

/** Array items are a reference or a typed schema (OpenAPI 2.0 requires `type` on inline items). */
export type XItems = { $ref: string } | (XSchema & { type: SchemaType });

export interface XHeader {
  type: 'string' | 'integer';
  description: string;
  'x-ms-summary'?: string;
}

export interface XResponse {
  description: string;
  headers?: Record<string, XHeader>;
  schema?: XSchema;
}

interface XParameterBase {
  name: string;
  required: boolean;
  'x-ms-summary': string;
  description: string;
  'x-ms-visibility'?: Visibility;
}

export interface XGeneralParameter extends XParameterBase {
  in: 'path' | 'query' | 'header';
  type: 'string' | 'integer' | 'number' | 'boolean';
  format?: Format;
  default?: string | number | boolean;
  'x-ms-url-encoding'?: 'single' | 'double';
}

export interface XBodyParameter extends XParameterBase {
  in: 'body';
  schema: XSchema;
}

export type XParameter = XGeneralParameter | XBodyParameter;

export interface XOperation {
  summary: string;
  description: string;
  operationId: string;
  'x-ms-visibility'?: Visibility;
  'x-ms-trigger'?: 'batch' | 'single';
  'x-ms-trigger-metadata'?: { mode: 'polling'; kind: 'query' };
  'x-ms-trigger-hint'?: string;
  'x-ms-api-annotation'?: { family: string; revision: number };
  deprecated?: boolean;
  consumes?: string[];
  produces?: string[];
  parameters: XParameter[];
  responses: Record<string, XResponse>;
}

export interface XPathItem {
  'x-ms-notification-content'?: { description: string; schema: XSchema };
  get?: XOperation;
  post?: XOperation;
  delete?: XOperation;
}

export interface XDocument {
  swagger: '2.0';
  info: { title: string; description: string; version: string; contact: { name: string; url: string; email: string } };
  host: string;
  basePath: string;
  schemes: string[];
  consumes: string[];
  produces: string[];
  paths: Record<string, XPathItem>;
  definitions: Record<string, XSchema>;
  parameters: Record<string, never>;
  responses: Record<string, never>;
  securityDefinitions: Record<string, { type: 'apiKey'; in: 'header'; name: string }>;
  security: Array<Record<string, string[]>>;
  tags: never[];
  'x-ms-connector-metadata': Array<{ propertyName: string; propertyValue: string }>;
}

/** Compile-time proof that the typed document is an OpenAPI 2.0 document (no cast). */
export function asOpenApi(doc: XDocument): OpenAPIV2.Document {
  return doc;
}
