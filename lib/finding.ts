/**
 * The one finding format every checker speaks: the rule engine, the compatibility guard,
 * the contract harness and the script checks. `pointer` is an RFC 6901 JSON pointer into `file`.
 */
export type Severity = 'error' | 'warn';

export interface Finding {
  /** File the finding concerns, relative to the connector folder (e.g. `apiDefinition.swagger.json`). */
  file: string;
  /** RFC 6901 JSON pointer into that file ('' for the whole document). */
  pointer: string;
  /** Rule id (catalogue id for certification rules, e.g. `operationid-pascal-case`). */
  rule: string;
  severity: Severity;
  message: string;
  /** Set when the finding concerns one operation. */
  operationId?: string;
}

export { escapePointerToken, pointer } from './json-pointer';
