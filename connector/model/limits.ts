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
  /** script.csx `DefaultListPageSize`: page size of a list action when the flow sets none. */
  defaultListPageSize: 50,
  /** script.csx `MaxListPageSize`: the largest page a list action asks for (the PBX's cap is assumed to be 100). */
  maxListPageSize: 100,
  /** script.csx `MaxChoices`: the most items a designer dropdown offers (one execution's budget of PBX requests). */
  maxChoices: 300,
  /**
   * script.csx `MaxRecordingBytes`: the largest recording file GetRecordingFile answers. The connector's own cap:
   * the platform documents no response-size limit for custom code (unconfirmed), and the file must arrive within
   * the budget.
   */
  maxRecordingBytes: 10 * 1024 * 1024,
  /** script.csx `MaxFileRedirects`: redirects GetRecordingFile follows from a recording's link, hop by hop. */
  maxFileRedirects: 5,
  /** Platform throttling of this connector: calls per connection per renewal period. */
  callsPerConnection: 100,
  renewalSeconds: 60,
} as const;
