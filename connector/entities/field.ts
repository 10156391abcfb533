import type { Entity, Field, Format, ScalarField, ScalarType, View, ViewRef } from '../model/types';

/** Shorthands so entity files read as tables. */
export function scalar(
  type: ScalarType,
  title: string,
  description: string,
  extra: { format?: Format; nullable?: boolean } = {},
): ScalarField {
  return { kind: 'scalar', type, title, description, ...extra };
}

export const int32 = (title: string, description: string, extra: { nullable?: boolean } = {}): ScalarField =>
  scalar('integer', title, description, { format: 'int32', ...extra });

export const text = (title: string, description: string, extra: { format?: Format; nullable?: boolean } = {}): ScalarField =>
  scalar('string', title, description, extra);

export function arrayOf(view: ViewRef, title: string, description: string): Field {
  return { kind: 'array', of: view, title, description };
}

/** Field names are inferred from `fields` alone, so a typo in `required` or `idField` fails to compile. */
export function defineEntity<F extends string>(entity: {
  name: string;
  fields: Record<F, Field>;
  required: readonly NoInfer<F>[];
  idField?: NoInfer<F>;
}): Entity<F> {
  return entity;
}

/** A published shape of an entity; `pick` keeps the published field order. */
export function view<F extends string>(
  entity: Entity<F>,
  schemaName: string,
  description: string,
  pick: readonly F[],
  formatOverrides?: Partial<Record<F, Format | null>>,
): View<F> {
  return { schemaName, entity, description, pick, ...(formatOverrides ? { formatOverrides } : {}) };
}
