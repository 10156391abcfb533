/**
 * The connector model: a small typed description of the connector that every generator reads
 * (swagger, apiProperties, documentation, sandbox). It knows nothing about Swagger syntax.
 */

export type Visibility = 'important' | 'advanced' | 'internal';
export type ScalarType = 'string' | 'integer' | 'number' | 'boolean';
export type Format = 'int32' | 'int64' | 'date-time' | 'date' | 'uri' | 'email';

/** An output property of an entity. */
export type Field = ScalarField | ArrayField | ObjectField;

interface FieldBase {
  /** Display name in the designer (`x-ms-summary`), Title Case. */
  title: string;
  /** What the value means: direction, units, "unconfirmed" where assumed. Never just the name. */
  description: string;
  /** The PBX sends `null` here in ordinary cases (e.g. no connect time for an unanswered call). */
  nullable?: boolean;
  visibility?: Visibility;
}

export interface ScalarField extends FieldBase {
  kind: 'scalar';
  type: ScalarType;
  format?: Format;
}

/** An array of another entity's view (e.g. a contact's group memberships). */
export interface ArrayField extends FieldBase {
  kind: 'array';
  of: ViewRef;
}

/** A nested object of another entity's view. */
export interface ObjectField extends FieldBase {
  kind: 'object';
  of: ViewRef;
}

/**
 * An entity of the PBX (call, contact, ...), defined once. `fields` is the union of everything the
 * published definition shows for it; views pick from it.
 */
export interface Entity<F extends string = string> {
  /** Human name, e.g. "call history entry". */
  name: string;
  fields: Record<F, Field>;
  /** Fields the PBX always sends (ids). A view requires those it picks. */
  required: readonly F[];
  /** The field that identifies an item and grows with newer items (polling cursor). */
  idField?: F;
}

/**
 * One published shape of an entity: the fields (in published order) and any published format
 * differences. Each view becomes one schema in `definitions`.
 */
export interface View<F extends string = string> {
  /** Schema name in `definitions`. */
  schemaName: string;
  entity: Entity<F>;
  description: string;
  pick: readonly F[];
  /**
   * Published format deviations that existing flows are bound to (a format added where there was
   * none is a breaking change). `null` removes the entity's format.
   */
  formatOverrides?: Partial<Record<F, Format | null>>;
}

export type ViewRef = View<string>;

export type ParameterLocation = 'path' | 'query' | 'header';

/**
 * A designer dropdown (`x-ms-dynamic-values`): an internal operation lists the items; the value
 * stays the ID and the designer shows `title`. Typing an ID or an expression still works.
 */
export interface Picker {
  operationId: string;
  /** Item property holding the value (the ID) and the one shown (a name). */
  valuePath: 'id';
  titlePath: 'title';
}

/** A non-body parameter. */
export interface Parameter {
  name: string;
  in: ParameterLocation;
  type: ScalarType;
  format?: Format;
  required: boolean;
  /** `undefined` keeps the designer default, as published. */
  visibility?: Visibility;
  default?: string | number | boolean;
  title: string;
  description: string;
  /** Path parameters only. */
  urlEncoding?: 'single' | 'double';
  picker?: Picker;
}

/** A property of a JSON body parameter. */
export interface BodyProperty {
  type: ScalarType;
  format?: Format;
  title: string;
  description: string;
  visibility?: Visibility;
  /** Receives the platform's callback URL (webhook subscriptions). */
  notificationUrl?: boolean;
  picker?: Picker;
}

export interface BodyParameter {
  name: string;
  title: string;
  description: string;
  visibility?: Visibility;
  properties: Record<string, BodyProperty>;
  required: readonly string[];
}

/** What a successful call returns inside the PBX envelope `{version, status, statusCode, message, data}`. */
export type Payload =
  | { kind: 'item'; view: ViewRef; schemaName: string; description: string }
  | { kind: 'list'; view: ViewRef; schemaName: string; description: string }
  /**
   * One page of a list action in the platform's paging shape: `value` (the items, newest first), `nextLink` while
   * more remain (what the designer's Pagination follows and merges `value` from), and the values a Do until loop
   * passes back (snapshotId, nextOffset, lastId). No PBX envelope.
   */
  | { kind: 'page'; view: ViewRef; schemaName: string; description: string }
  /** A list in the PBX envelope (`data`, as published in 1.0) that gained `nextLink` to the next offset (GetLostCalls). */
  | { kind: 'linked'; view: ViewRef; schemaName: string; description: string }
  /** Picker items `{id, title}` for a designer dropdown (bounded). */
  | { kind: 'choices'; view: ViewRef; schemaName: string; description: string }
  | { kind: 'empty'; schemaName: string; description: string }
  | { kind: 'webhookId'; schemaName: string; description: string };

interface OperationBase {
  operationId: string;
  method: 'get' | 'post' | 'delete';
  /** Path template relative to the base path, e.g. `/contacts/{contact_id}`. */
  path: string;
  /** Sentence case, under 80 characters, no trailing punctuation. */
  summary: string;
  /** One or more sentences ending with a period. */
  description: string;
  visibility?: Visibility;
  parameters: readonly Parameter[];
  body?: BodyParameter;
  payload: Payload;
  /**
   * Kept only so that existing flows keep working; a newer operation replaces it. Published
   * operations are never removed or hidden (that breaks flows): they are deprecated.
   */
  deprecated?: boolean;
  /** Groups an operation with its `_V2`… successors (`x-ms-api-annotation`). */
  annotation?: { family: string; revision: number };
}

export interface Action extends OperationBase {
  kind: 'action';
  /**
   * Declares `x-ms-pageable`: the designer's Pagination follows `nextLink` and merges `value` (the paging
   * shape of Microsoft's pagination), so only a `page` payload may be pageable (the build refuses another).
   * The script builds the link through the connector; Pagination itself is unconfirmed with custom code
   * (see README "List actions, paging and dropdowns").
   */
  pageable?: boolean;
  /**
   * The PBX route script.csx sends this operation to, when it differs from the connector path
   * (a list action on its own path reads the polling trigger's list).
   */
  route?: ListRoute;
}

/** A PBX list the script reads for a list action or a picker. */
export interface ListRoute {
  /** PBX path, e.g. `/trigger/call_history`. */
  path: string;
  /** The trigger's cursor parameter (sent as 0: the whole list). */
  cursorParameter: string;
  /** The item field holding the id (snapshot pin, newest first). */
  idField: string;
}

/** A trigger the platform polls; the `pollingtrigger` policy keeps its cursor. */
export interface PollingTrigger extends OperationBase {
  kind: 'polling';
  payload: Extract<Payload, { kind: 'list' }>;
  /** The internal cursor query parameter (`initial_call_id`). */
  stateParameter: string;
  /** The item field whose newest value becomes the next cursor (`callID`). */
  cursorField: string;
  /** Title of the policy instance in apiProperties. */
  policyTitle: string;
  /** The designer's "how to fire it" text. */
  hint: string;
}

/** A trigger the PBX calls back: subscribe with POST /webhooks/<event>, unsubscribe by Location. */
export interface WebhookTrigger extends OperationBase {
  kind: 'webhook';
  event: WebhookEvent;
  hint: string;
}

export interface WebhookEvent {
  /** PBX event name, also the last path segment (`CallTransfered`, sic). */
  name: string;
  /** Envelope schema name in `definitions`. */
  schemaName: string;
  /** `x-ms-notification-content` description. */
  description: string;
  data: ViewRef;
  /** Example `type` value of the envelope (documentation and sandbox). */
  category: 'call' | 'voicemail' | 'lost_caller';
}

export type Operation = Action | PollingTrigger | WebhookTrigger;

/**
 * Running texts that name the brand's product, operator or portal. Model texts (descriptions, hints,
 * the API key's help) use them as `{{placeholder}}`s (connector/brand/texts.ts); script.csx gets them
 * in its brand block.
 */
export interface BrandTexts {
  /** The operator as running text names it: `LMT`. */
  operator: string;
  /** The web portal where customers administer the PBX, as running text: `Zvanu Parvaldnieks admin portal`. */
  portal: string;
  /** The portal page where API keys are created: `Integration page`. */
  apiKeyPage: string;
  /** The portal menu that lists the account's webhooks: `API → Web hooks`. */
  webhooksMenu: string;
  /** Who can use the service: `An LMT mobile subscription with the Zvanu Parvaldnieks service`. */
  subscription: string;
}

/** A profile entry that can be marked unconfirmed: a top-level field or `texts.<name>`. */
export type BrandFact = 'apiKeyPortal' | 'certificationFolder' | `texts.${keyof BrandTexts}`;

/** Everything that differs between two brands of the same PBX platform. */
export interface BrandProfile {
  /** Folder name for packages and brand folders: `zvanu-parvaldnieks`. */
  slug: string;
  title: string;
  description: string;
  version: string;
  host: string;
  basePath: string;
  contact: { name: string; url: string; email: string };
  website: string;
  privacyPolicy: string;
  /** At most two, from the certification list. */
  categories: readonly string[];
  brandColor: string;
  publisher: string;
  stackOwner: string;
  /** Where users create an API key. */
  apiKeyPortal: string;
  /** The brand's folder in microsoft/PowerPlatformConnectors: `certified-connectors/<this>/`. */
  certificationFolder: string;
  /**
   * The connector's API name as flows reference it: `shared_<apiName>` in Power Automate,
   * `managedApis/<apiName>` in Logic Apps (assumed for the certified connector: derived from the title).
   */
  apiName: string;
  /** Customization prefix of the solution publisher (Dataverse: 2–8 letters/digits, no `mscrm`). */
  publisherPrefix: string;
  /**
   * The brand's published 1.0 files under `../shared/reference/` (development machines only): the
   * default `--from` of `npm run baseline` and the bench's default baseline connector.
   */
  publishedReference: string;
  texts: BrandTexts;
  /**
   * Where the brand is sold. Shipped texts hold for every market (numbers in international form, times
   * with their UTC offset), so none of these appears in them; the tests keep each brand's market out of
   * the other brands' output.
   */
  market: { country: string; callingCode: string; timeZone: string };
  /**
   * Entries the brand's published files do not state (reasoned by analogy with the other brand).
   * The generated readme says so; confirm them with the publisher and remove them from this list.
   */
  unconfirmed: readonly BrandFact[];
}

export interface ApiKeyAuth {
  /** Connection parameter name in apiProperties. */
  parameter: string;
  /** Security definition name in the swagger. */
  securityName: string;
  header: string;
  displayName: string;
  description: string;
  tooltip: string;
}

export interface ConnectorModel {
  brand: BrandProfile;
  auth: ApiKeyAuth;
  /** In publication order: actions, polling triggers, webhook triggers, internal operations. */
  operations: readonly Operation[];
}
