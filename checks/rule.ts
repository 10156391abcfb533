/**
 * A rule is a registered unit: an id, a severity, a one-line description, the fix, where it
 * comes from, and a pure check over a connector folder that returns findings with JSON pointers.
 */
import type { Connector } from './connector';
import type { Severity } from '../lib/finding';

/** Where a rule's requirement is published. */
export interface RuleSource {
  /** Title of the published page. */
  title: string;
  url: string;
}

export const SOURCES = {
  validator: {
    title: 'Swagger Validator rules (certification)',
    url: 'https://github.com/microsoft/powerplatform-developerhub/blob/main/docs/custom-connectors/certification-swagger-validator-rules.md',
  },
  submission: {
    title: 'Certification submission requirements',
    url: 'https://github.com/microsoft/powerplatform-developerhub/blob/main/docs/custom-connectors/certification-submission.md',
  },
  strings: {
    title: 'Connector string guidance',
    url: 'https://github.com/microsoft/powerplatform-developerhub/blob/main/docs/custom-connectors/connector-string-guidance.md',
  },
  webhooks: {
    title: 'Create a webhook trigger',
    url: 'https://github.com/microsoft/powerplatform-developerhub/blob/main/docs/custom-connectors/create-webhook-trigger.md',
  },
  polling: {
    title: 'Create a polling trigger',
    url: 'https://github.com/microsoft/powerplatform-developerhub/blob/main/docs/custom-connectors/create-polling-trigger.md',
  },
  code: {
    title: 'Write code in a custom connector',
    url: 'https://github.com/microsoft/powerplatform-developerhub/blob/main/docs/custom-connectors/write-code.md',
  },
} satisfies Record<string, RuleSource>;

/** What a rule's check returns; the engine adds the rule id and severity. */
export interface RuleHit {
  /** Defaults to apiDefinition.swagger.json. */
  file?: string;
  pointer: string;
  message: string;
  operationId?: string;
}

export interface Rule {
  /** The catalogue's id (PascalCase, e.g. `OperationIdNotUnique`) or a project id (kebab-case). */
  id: string;
  severity: Severity;
  /** One line: what the rule requires. */
  description: string;
  /** How to fix a finding. */
  fix: string;
  /** Published source of the requirement; project rules without one explain why in `description`. */
  source?: RuleSource;
  check(connector: Connector): RuleHit[];
}
