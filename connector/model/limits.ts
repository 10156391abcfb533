/**
 * Limits of the PBX, the platform and script.csx, stated once: operation descriptions, docs, the
 * sandbox and the tests read them here; test/ship/release-notes.test.ts reads script.csx and fails
 * when its constants drift from these.
 */
export const documentedLimits = {
  /** The PBX refuses the 21st webhook of an account. */
  maxWebhooks: 20,
  /** The platform cancels custom code after this many milliseconds. */
  platformScriptLimitMs: 5000,
  /** script.csx `BudgetMs`: every execution answers within this wall time, PBX waits included. */
  scriptBudgetMs: 3500,
  /** script.csx `MaxItemsPerCheck`: items one check of a polling trigger hands over at most. */
  maxItemsPerCheck: 2500,
  /** script.csx `DefaultPageSize`: page size when the maker leaves Page Size empty. */
  defaultPageSize: 100,
  /** Platform throttling of this connector: calls per connection per renewal period. */
  callsPerConnection: 100,
  renewalSeconds: 60,
} as const;
