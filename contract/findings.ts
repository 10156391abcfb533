/**
 * Contract findings: the shared Finding plus where in the exchange and in the definition it was found.
 * Each rule id below is one kind of disagreement between a scenario and the definition.
 */
import type { Finding, Severity } from '../lib/finding';

export type Direction = 'request' | 'response' | 'event';

export interface ContractFinding extends Finding {
  operationId: string;
  direction: Direction;
  /** JSON pointer into apiDefinition.swagger.json (or apiProperties.json for cursor rules); '' when none applies. */
  schemaPath: string;
  /** JSON pointer into the request/response/event data ('' = the whole body). */
  dataPath: string;
  /** What the definition (or the replay) expected, in words or as a value. */
  expected: string;
  /** What the scenario held. */
  actual: string;
}

/** Rule ids of the contract harness, with their fixed severities. */
export const CONTRACT_RULES = {
  /** The scenario names an operationId the definition does not have. */
  'contract-unknown-operation': 'error',
  /** A scenario input names no parameter of the operation, or a required input is missing/has the wrong type. */
  'contract-input': 'error',
  /** The request the definition builds from the inputs differs from the recorded/hand-written request. */
  'contract-request-mismatch': 'error',
  /** A declared status returned a body that breaks its schema (type, format, required, enum...). */
  'contract-response-schema': 'error',
  /** A status declared with a schema returned a body that is not JSON (HTML page, truncated JSON, empty). */
  'contract-response-not-json': 'error',
  /** The status is not declared (only `default`, or nothing, covers it). */
  'contract-undeclared-status': 'warn',
  /** The API returned fields the definition does not declare (drift). */
  'contract-drift': 'warn',
  /** A header the platform relies on (Retry-After, Location) is sent but not declared, or has the wrong type. */
  'contract-response-header': 'warn',
  /** The webhook event body breaks the trigger's x-ms-notification-content schema. */
  'contract-event-schema': 'error',
  /** The webhook trigger cannot be registered as the platform would (no notification-url property...). */
  'contract-webhook': 'error',
  /** Polling trigger: the state expression does not yield the expected cursor or the next request ignores it. */
  'contract-cursor': 'error',
  /**
   * A file operation (200 `format: binary`): a fetch that is not the link the read answered (or the Location of
   * the hop before), the API key recorded where it must not go (another host, plain HTTP) or missing on the PBX's
   * host, a redirect without Location, or a "file" that is a page.
   */
  'contract-file': 'error',
} as const satisfies Record<string, Severity>;

export type ContractRule = keyof typeof CONTRACT_RULES;

export function contractFinding(
  rule: ContractRule,
  fields: Omit<ContractFinding, 'rule' | 'severity' | 'schemaPath' | 'dataPath' | 'expected' | 'actual'> &
    Partial<Pick<ContractFinding, 'schemaPath' | 'dataPath' | 'expected' | 'actual'>>,
): ContractFinding {
  return {
    rule,
    severity: CONTRACT_RULES[rule],
    schemaPath: '',
    dataPath: '',
    expected: '',
    actual: '',
    ...fields,
  };
}

/** A short, readable rendering of a value for `expected`/`actual`. */
export function show(value: unknown): string {
  if (value === undefined) return '(absent)';
  const text = typeof value === 'string' ? JSON.stringify(value) : JSON.stringify(value) ?? String(value);
  return text.length > 80 ? text.slice(0, 77) + '...' : text;
}
