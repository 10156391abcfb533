/**
 * The `pollingtrigger` policy of apiProperties.json, as the sandbox understands the platform's
 * protocol (platform-facts.md):
 * - the first call (no state parameter in the URL) only sets the state: 202 + Location, no items;
 * - later calls: 200 + the items + Location with the new state when the data path holds items,
 *   otherwise 202 + Location with the state unchanged; Retry-After on both.
 * The state is the policy's expression evaluated on the response AFTER the custom code ran
 * (assumption, platform-facts.md). Non-200 answers (errors, or a 202 the custom code made itself)
 * pass through untouched, so a failed poll leaves the caller's Location, and its items, as they were.
 * Pure: a response in, a response out.
 */
import { evaluateTriggerExpression } from '../../lib/expression';
import type { Json, PollingState } from '../../lib/definition';
import type { HttpResponse } from '../http';

export interface PollContext {
  policy: PollingState;
  /** The URL the platform called (the gateway's own), with its query. */
  requestUrl: URL;
  /** True when the request carried no state parameter. */
  firstCall: boolean;
  /** The state the request carried (or the default used on the first call). */
  currentState: string;
  retryAfterSeconds: number;
}

export interface PollOutcome {
  response: HttpResponse;
  /** Items handed to the platform (0 unless 200). */
  items: number;
  /** State written into Location. */
  state: string;
}

export function locationWithState(requestUrl: URL, parameter: string, state: string): string {
  const next = new URL(requestUrl.toString());
  next.searchParams.set(parameter, state);
  return next.toString();
}

export function applyPollingPolicy(response: HttpResponse, ctx: PollContext): PollOutcome {
  const unchanged = { response, items: 0, state: ctx.currentState };
  if (response.status !== 200) return unchanged;
  let body: Json;
  try {
    body = JSON.parse(response.body) as Json;
  } catch {
    // A 200 that is not JSON (an HTML page from a proxy): no state can be read from it; make it
    // a failure so that the platform retries with the same Location.
    return { ...unchanged, response: { status: 502, headers: { 'content-type': 'text/plain' }, body: 'polling trigger: the backend answered 200 with a body that is not JSON\n' } };
  }
  const evaluated = evaluateTriggerExpression(ctx.policy.expression, body);
  const newState = typeof evaluated === 'string' && evaluated !== '' ? evaluated : ctx.currentState;
  const data = ctx.policy.dataPath ? evaluateTriggerExpression(ctx.policy.dataPath, body) : body;
  const items = Array.isArray(data) ? data.length : 0;
  const headers = (state: string) => ({ location: locationWithState(ctx.requestUrl, ctx.policy.parameter, state), 'retry-after': String(ctx.retryAfterSeconds) });
  if (ctx.firstCall) return { response: { status: 202, headers: headers(newState), body: '' }, items: 0, state: newState };
  if (items === 0) return { response: { status: 202, headers: headers(ctx.currentState), body: '' }, items: 0, state: ctx.currentState };
  return { response: { status: 200, headers: { ...response.headers, ...headers(newState) }, body: response.body }, items, state: newState };
}
