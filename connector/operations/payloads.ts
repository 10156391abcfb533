import type { Payload, ViewRef } from '../model/types';

/** Payload shapes inside the PBX envelope; each becomes one response schema in `definitions`. */
export const item = (view: ViewRef): Payload & { kind: 'item' } => ({
  kind: 'item',
  view,
  schemaName: `${view.schemaName}Response`,
  description: `The PBX envelope with one ${view.entity.name}.`,
});

export const list = (view: ViewRef): Payload & { kind: 'list' } => ({
  kind: 'list',
  view,
  schemaName: `${view.schemaName}ListResponse`,
  description: `The PBX envelope with a list of ${view.entity.name} items.`,
});

export const empty: Payload & { kind: 'empty' } = {
  kind: 'empty',
  schemaName: 'EmptyResponse',
  description: 'The PBX envelope of a request that returns no data.',
};

export const webhookId: Payload & { kind: 'webhookId' } = {
  kind: 'webhookId',
  schemaName: 'WebhookRegistrationResponse',
  description: 'The PBX envelope of a new webhook subscription, with its ID.',
};

/** One page of a list action in the platform's paging shape (`value`, `nextLink`), with the values a Do until loop passes back. */
export const page = (view: ViewRef): Payload & { kind: 'page' } => ({
  kind: 'page',
  view,
  schemaName: `${view.schemaName}Page`,
  description: `One page of ${view.entity.name} items, newest first, and the link to the next page while more remain.`,
});

/** A list in the PBX envelope (its items in `data`, as published) with the link to the next page. */
export const linked = (view: ViewRef): Payload & { kind: 'linked' } => ({
  kind: 'linked',
  view,
  schemaName: `${view.schemaName}PageResponse`,
  description: `The PBX envelope with one page of ${view.entity.name} items and the link to the next page.`,
});

export const choices = (view: ViewRef): Payload & { kind: 'choices' } => ({
  kind: 'choices',
  view,
  schemaName: `${view.schemaName}ListResponse`,
  description: `The items a designer dropdown offers, sorted by title.`,
});
