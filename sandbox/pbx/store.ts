/**
 * The mock PBX's in-memory store: entities by kind, the webhook registry, and change
 * notifications. It knows nothing of HTTP, so the sandbox's event generator and gateway can drive
 * it directly (add a call → listeners hear about it → webhook events can be POSTed).
 */
import { documentedLimits } from '../../connector/model/limits';
import {
  ENTITY_KINDS,
  ID_KEYS,
  WEBHOOK_EVENTS,
  type EntityKind,
  type EntityMap,
  type NewEntity,
  type PbxData,
  type WebhookEvent,
  type WebhookRecord,
} from './model';
import { DEFAULT_PBX_HOST, RECORDING_LINK_KINDS, recordingLink, recordingLinkKind, type RecordingLinkKind } from './recordings';
import { seedData, type SeedOptions } from './seed';
import { formatRiga } from './time';

export type StoreChange =
  | { [K in EntityKind]: { type: 'added' | 'updated' | 'removed'; kind: K; item: EntityMap[K] } }[EntityKind]
  | { type: 'webhook-added' | 'webhook-removed'; kind: 'webhooks'; item: WebhookRecord }
  | { type: 'dial-requested'; kind: 'dials'; item: DialRequest };

/** A `POST /dial` the PBX accepted: it would now ring the employee's device, then the destination. */
export interface DialRequest {
  contactID: number;
  destination: string;
  at: string;
}

export type ChangeListener = (change: StoreChange) => void;

/** The default subscription limit: at most 20 webhooks per account (published connector page). */
export const DEFAULT_WEBHOOK_LIMIT: number = documentedLimits.maxWebhooks;

export interface StoreOptions {
  webhookLimit?: number;
  /** First webhook id handed out (ids are strings of integers in the API, e.g. "57"). */
  firstWebhookId?: number;
  /** Clock for `created` of webhooks; defaults to the real clock. */
  now?: () => number;
  /** The PBX's public host (the brand's): recording links on the PBX point at it (sandbox/pbx/recordings.ts). */
  publicHost?: string;
  /** The kinds of recording link the PBX writes, in turn by recording ID (a PBX profile's `recordingLinks`; default all). */
  recordingLinks?: readonly RecordingLinkKind[];
}

export class WebhookLimitError extends Error {
  constructor(readonly limit: number) {
    super(`Webhook limit reached: at most ${limit} webhooks can exist at the same time. Delete an unused webhook before adding a new one.`);
    this.name = 'WebhookLimitError';
  }
}

function clone<T>(value: T): T {
  return structuredClone(value);
}

export class PbxStore {
  private readonly data: PbxData;
  private readonly hooks = new Map<number, WebhookRecord>();
  private nextWebhookId: number;
  private readonly listeners = new Set<ChangeListener>();
  readonly webhookLimit: number;
  /** The host recording links on the PBX point at. */
  readonly publicHost: string;
  /** The kinds of recording link it writes. */
  readonly recordingLinks: readonly RecordingLinkKind[];
  private readonly now: () => number;

  constructor(data: PbxData, options: StoreOptions = {}) {
    this.data = clone(data);
    for (const kind of ENTITY_KINDS) this.data[kind] ??= [];
    this.webhookLimit = options.webhookLimit ?? DEFAULT_WEBHOOK_LIMIT;
    this.nextWebhookId = options.firstWebhookId ?? 1;
    this.now = options.now ?? Date.now;
    this.publicHost = options.publicHost ?? DEFAULT_PBX_HOST;
    this.recordingLinks = options.recordingLinks ?? RECORDING_LINK_KINDS;
  }

  /** A store over deterministic seed data (its recording links on the store's public host, of the store's kinds). */
  static seeded(seed: SeedOptions = {}, options: StoreOptions = {}): PbxStore {
    const pbxHost = options.publicHost ?? seed.pbxHost;
    const recordingLinks = options.recordingLinks ?? seed.recordingLinks;
    return new PbxStore(seedData({ ...seed, pbxHost, recordingLinks }), { ...options, publicHost: pbxHost, recordingLinks });
  }

  /** The link of a new recording (the mock serves each kind: sandbox/pbx/recordings.ts). */
  recordingLink(recordingID: number): string {
    return recordingLink(this.publicHost, recordingID, this.recordingLinks);
  }

  /** The kind of link a recording gets here. */
  recordingLinkKind(recordingID: number): RecordingLinkKind {
    return recordingLinkKind(recordingID, this.recordingLinks);
  }

  /** All items of a kind, in id order (copies: mutate through add/update/remove). */
  all<K extends EntityKind>(kind: K): Array<EntityMap[K]> {
    return clone(this.data[kind]);
  }

  /** Live read-only view for the API layer (no copy). */
  view<K extends EntityKind>(kind: K): ReadonlyArray<Readonly<EntityMap[K]>> {
    return this.data[kind];
  }

  get<K extends EntityKind>(kind: K, id: number): EntityMap[K] | undefined {
    const found = this.find(kind, id);
    return found === undefined ? undefined : clone(found);
  }

  private find<K extends EntityKind>(kind: K, id: number): EntityMap[K] | undefined {
    return (this.data[kind] as Array<EntityMap[K]>).find((item) => this.idOf(kind, item) === id);
  }

  private idOf<K extends EntityKind>(kind: K, item: EntityMap[K]): number {
    return (item as unknown as Record<string, number>)[ID_KEYS[kind]];
  }

  /** Highest id of a kind (0 when empty). */
  maxId(kind: EntityKind): number {
    return (this.data[kind] as Array<EntityMap[EntityKind]>).reduce((m, item) => Math.max(m, this.idOf(kind, item)), 0);
  }

  /**
   * Adds an item; the id is the next one after the highest (ids only grow, as the cursors of the
   * polling triggers assume). An explicit id must be unused.
   */
  add<K extends EntityKind>(kind: K, item: NewEntity<K>): EntityMap[K] {
    const key = ID_KEYS[kind];
    const given = (item as Record<string, unknown>)[key];
    const id = typeof given === 'number' ? given : this.maxId(kind) + 1;
    if (!Number.isInteger(id) || id < 1) throw new Error(`${kind}: id must be a positive integer, got ${String(given)}`);
    if (this.find(kind, id)) throw new Error(`${kind}: id ${id} already exists`);
    const full = { ...clone(item), [key]: id } as unknown as EntityMap[K];
    const list = this.data[kind] as Array<EntityMap[K]>;
    list.push(full);
    list.sort((a, b) => this.idOf(kind, a) - this.idOf(kind, b));
    this.emit({ type: 'added', kind, item: clone(full) } as StoreChange);
    return clone(full);
  }

  update<K extends EntityKind>(kind: K, id: number, patch: Partial<NewEntity<K>>): EntityMap[K] {
    const found = this.find(kind, id);
    if (!found) throw new Error(`${kind}: no item with id ${id}`);
    Object.assign(found, clone(patch), { [ID_KEYS[kind]]: id });
    this.emit({ type: 'updated', kind, item: clone(found) } as StoreChange);
    return clone(found);
  }

  remove<K extends EntityKind>(kind: K, id: number): EntityMap[K] | undefined {
    const list = this.data[kind] as Array<EntityMap[K]>;
    const index = list.findIndex((item) => this.idOf(kind, item) === id);
    if (index < 0) return undefined;
    const [removed] = list.splice(index, 1);
    this.emit({ type: 'removed', kind, item: clone(removed) } as StoreChange);
    return clone(removed);
  }

  // --- webhooks -------------------------------------------------------------------------------

  static isWebhookEvent(name: string): name is WebhookEvent {
    return (WEBHOOK_EVENTS as readonly string[]).includes(name);
  }

  /** Registers a subscription; throws WebhookLimitError when the account already has the maximum. */
  registerWebhook(event: WebhookEvent, endpoint: string): WebhookRecord {
    if (this.hooks.size >= this.webhookLimit) throw new WebhookLimitError(this.webhookLimit);
    const hook: WebhookRecord = { id: this.nextWebhookId++, event, endpoint, created: formatRiga(this.now()) };
    this.hooks.set(hook.id, hook);
    this.emit({ type: 'webhook-added', kind: 'webhooks', item: { ...hook } });
    return { ...hook };
  }

  deleteWebhook(id: number): WebhookRecord | undefined {
    const hook = this.hooks.get(id);
    if (!hook) return undefined;
    this.hooks.delete(id);
    this.emit({ type: 'webhook-removed', kind: 'webhooks', item: { ...hook } });
    return { ...hook };
  }

  webhooks(event?: WebhookEvent): WebhookRecord[] {
    return [...this.hooks.values()].filter((h) => event === undefined || h.event === event).map((h) => ({ ...h }));
  }

  /** Records an accepted dial request (the sandbox may turn it into a call). */
  dial(contactID: number, destination: string): DialRequest {
    const request: DialRequest = { contactID, destination, at: formatRiga(this.now()) };
    this.emit({ type: 'dial-requested', kind: 'dials', item: { ...request } });
    return request;
  }

  // --- change notifications ------------------------------------------------------------------

  /** Calls `listener` after every change; returns the function that unsubscribes it. */
  onChange(listener: ChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(change: StoreChange): void {
    for (const listener of [...this.listeners]) listener(change);
  }
}
