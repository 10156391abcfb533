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
  policies: {
    title: 'Policy templates',
    url: 'https://learn.microsoft.com/en-us/connectors/custom-connectors/policy-templates',
  },
  apiProperties: {
    title: 'apiProperties.json schema (paconn)',
    url: 'https://github.com/microsoft/PowerPlatformConnectors/blob/dev/schemas/apiProperties.schema.json',
  },
  namespacesPr: {
    title: 'PowerPlatformConnectors PR #3478 (a script using other namespaces \'will reject during verification/deployment\')',
    url: 'https://github.com/microsoft/PowerPlatformConnectors/pull/3478',
  },
  swagger: {
    title: 'Swagger 2.0 specification',
    url: 'https://swagger.io/specification/v2/',
  },
  defaultResponsePr: {
    title: 'PowerPlatformConnectors PR #3841 and PR #4006 (the pipeline rejecting a default response with a schema)',
    url: 'https://github.com/microsoft/PowerPlatformConnectors/pull/4006',
  },
} satisfies Record<string, RuleSource>;

/** What a rule's check returns; the engine adds the rule id and severity. */
export interface RuleHit {
  /** Defaults to apiDefinition.swagger.json. */
  file?: string;
  pointer: string;
  message: string;
  operationId?: string;
  /** Lower than the rule's severity for the milder shapes of a rule (e.g. a missing Location header). */
  severity?: Severity;
}

/**
 * The project's severity principle: a finding is an error only when the file cannot be parsed or
 * imported, the connector breaks at runtime, or Microsoft's pull-request pipeline is seen failing
 * on it. Everything else is a warning: connectors Microsoft certified ship with it.
 */
export const WARNING_REASON = 'Not a parse, import or runtime failure, and not seen failing Microsoft\'s pull-request pipeline: certified connectors ship with it.';

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
  /**
   * Why the rule is an error under the principle (required for errors): what fails to import, what
   * breaks at runtime, or where the pipeline was seen failing. When some hits are only warnings, say which.
   */
  severityReason?: string;
  check(connector: Connector): RuleHit[];
}
