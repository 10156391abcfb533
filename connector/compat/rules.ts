/**
 * The compatibility guard's rule ids, each with what it protects, how to fix a finding, and the short
 * hint appended to every finding's message. docs/rules.md lists them (checks/docs.ts); the guard
 * (guard.ts) reports them. No imports, so the docs renderer can read it without loading the guard.
 */

export interface CompatRule {
  /** One sentence: what the rule keeps unchanged. */
  description: string;
  /** How to fix a finding, for docs/rules.md. */
  fix: string;
  /** A few words appended to each finding's message, consistent with `fix`. */
  hint: string;
}

/** How to replace a published operation instead of changing it; shared by the fixes below. */
const NEW_OPERATION =
  'If the change is really needed, leave the published operation as it is, add a new operation beside it on its own path ' +
  '(e.g. `GetLostCalls_V2`; Swagger 2.0 allows one operation per method and path) and mark the old one `deprecated: true` ' +
  'in the model, so that new flows pick the new one while existing flows keep working (README, "Changing an operation safely").';

export const COMPAT_RULE_DOCS = {
  'compat-definition-unreadable': {
    description: 'The definition must be readable (local refs resolve, operations have operationIds).',
    fix:
      'The guard cannot compare anything until the definition reads. The definition is generated: run `npm run build` to ' +
      'regenerate it from the model; if the build itself writes the reported spot (a `$ref` to a missing definition, an ' +
      'operation without an operationId), fix the model or the builder there.',
    hint: 'nothing could be compared: run npm run build, or fix the model at that pointer',
  },
  'compat-operation-removed': {
    description: 'A published operation must stay (deprecate it and add a new one instead).',
    fix:
      'Put the operation back in `connector/operations/` exactly as published (same operationId, route, parameters and ' +
      'outputs). To retire it, keep it and set `deprecated: true` on it in the model. ' + NEW_OPERATION,
    hint: 'existing flows call it: put it back (deprecated if it is replaced), and add any replacement as a new operation',
  },
  'compat-operation-renamed': {
    description: 'A published operationId must not change: flows are bound to it.',
    fix:
      'Restore the published operationId in the model: a new name is a new operation, never a rename. ' + NEW_OPERATION,
    hint: 'flows are bound to the operationId: restore it, and add the new name as a new operation on its own path',
  },
  'compat-operation-internal': {
    description: 'A published operation must not be hidden (x-ms-visibility internal).',
    fix:
      'Restore the published visibility (remove `visibility: \'internal\'` from the operation in the model). To steer new ' +
      'flows away from it, set `deprecated: true` instead: a deprecated operation stays usable by the flows built on it. ' +
      NEW_OPERATION,
    hint: 'existing flows use it: keep it visible, and mark it deprecated instead',
  },
  'compat-route-changed': {
    description: 'The method and path template of a published operation must not change.',
    fix: 'Restore the published method and path of the operation in the model. ' + NEW_OPERATION,
    hint: 'flows call this route: restore it, or add a new operation for the new route',
  },
  'compat-trigger-kind-changed': {
    description: 'A published operation must keep its trigger kind (x-ms-trigger single, batch or none).',
    fix:
      'Restore the published `kind` of the operation in the model (`action`, `polling` or `webhook`): flows use it as an ' +
      'action or as a trigger and cannot switch. A different kind is a different operation. ' + NEW_OPERATION,
    hint: 'flows use it as published: restore its kind, or add the other kind as a new operation',
  },
  'compat-parameter-removed': {
    description: 'A published parameter must stay.',
    fix:
      'Put the parameter back in the model with its published name, location and type (`connector/operations/`; a body ' +
      'property in its entity under `connector/entities/`). If the PBX ignores it now, keep it optional and say so in its ' +
      'description. ' + NEW_OPERATION,
    hint: 'existing flows pass it: keep it (optional if need be), or add a new operation instead',
  },
  'compat-parameter-moved': {
    description: 'A published parameter must keep its location (path, query, header, body).',
    fix: 'Restore the published location of the parameter (path, query, header or body) in the model. ' + NEW_OPERATION,
    hint: 'flows send it there: restore its location, or add a new operation instead',
  },
  'compat-parameter-retyped': {
    description: 'A published parameter must keep its type and format.',
    fix:
      'Restore the published type and format of the parameter in the model (adding or removing a `format` is a change ' +
      'too). To accept another type, add a new optional parameter under a new name beside it. ' + NEW_OPERATION,
    hint: 'flows send the published type: restore it, or add a new optional parameter or operation instead',
  },
  'compat-parameter-internal': {
    description: 'A published parameter must not be hidden (x-ms-visibility internal).',
    fix:
      'Restore the published visibility of the parameter in the model: flows set it, and a hidden parameter cannot be ' +
      'edited in them. If the value no longer matters, keep the parameter visible and say in its description that it is ' +
      'ignored. ' + NEW_OPERATION,
    hint: 'flows set it: keep it visible, or add a new operation without it instead',
  },
  'compat-parameter-required': {
    description: 'An optional published parameter must not become required.',
    fix:
      'Make the parameter optional again in the model (for a body property, every enclosing level counts); if the PBX ' +
      'now needs a value, give it a `default` that is sent when a flow leaves it empty. ' + NEW_OPERATION,
    hint: 'flows that leave it empty would fail: keep it optional (with a default), or add a new operation instead',
  },
  'compat-parameter-new-required': {
    description: 'A new parameter must be optional, or internal with a default.',
    fix:
      'Make the new parameter optional (with a `default` if the PBX needs a value), or internal with a default ' +
      '(`visibility: \'internal\'` and `default` in the model), so that existing flows, which do not send it, keep ' +
      'working. If flows must choose the value, the operation that requires it is a new one. ' + NEW_OPERATION,
    hint: 'existing flows do not send it: make it optional, or internal with a default, or add a new operation instead',
  },
  'compat-output-removed': {
    description: 'A published output field must stay.',
    fix:
      'Put the field back in the view that returns it (its `pick` under `connector/entities/`: a field is defined once ' +
      'and reused by every operation that returns it). If the PBX no longer sends it, keep it in the schema and say so in ' +
      'its description: flows reading it then get an empty value instead of a broken expression. ' + NEW_OPERATION,
    hint: 'existing flows read it: keep it, or add a new operation instead',
  },
  'compat-output-retyped': {
    description: 'A published output field must keep its type and format (adding a format is a change).',
    fix:
      'Restore the published type and format of the field in its entity under `connector/entities/` (adding a `format` ' +
      'such as `date-time` is a change too: flows compare and convert the value as published). For a value of another ' +
      'type, add a new field under a new name beside it. ' + NEW_OPERATION,
    hint: 'flows use the published type: restore it, or add a new field or operation instead',
  },
} as const satisfies Record<string, CompatRule>;

export type CompatRuleId = keyof typeof COMPAT_RULE_DOCS;

/** Rule ids of the guard, with what each protects. */
export const COMPAT_RULES = Object.fromEntries(
  Object.entries(COMPAT_RULE_DOCS).map(([id, rule]) => [id, rule.description]),
) as { readonly [K in CompatRuleId]: (typeof COMPAT_RULE_DOCS)[K]['description'] };

/** Where a rule is explained: its section of docs/rules.md. */
export function compatRuleLink(rule: CompatRuleId): string {
  return `docs/rules.md#${rule}`;
}

/** A finding's message: what changed, then the rule's hint and where the rule is explained. */
export function withFixHint(rule: CompatRuleId, message: string): string {
  return `${message} — ${COMPAT_RULE_DOCS[rule].hint} (${compatRuleLink(rule)})`;
}
