import { type Connector, type OperationRef, isObject } from '../connector';
import { type Rule, type RuleHit, SOURCES } from '../rule';
import { opId } from '../walk';

function segments(path: string): string[] {
  return path.split('/').filter((s) => s !== '');
}

/**
 * A DELETE operation the Location can match: its path ends with a path variable and the static
 * segments before it are a prefix of the subscribe path or the subscribe path itself
 * (`/webhooks/{webhook_id}` for `/webhooks/CallStarted`, `/webhook_subscriptions/{uuid}` for
 * `/webhook_subscriptions`, or a bare `/{Location}`).
 */
export function unsubscribeOperation(c: Connector, subscribe: OperationRef): OperationRef | undefined {
  const own = segments(subscribe.path);
  return c.operations().find((op) => {
    if (op.method !== 'delete') return false;
    const parts = segments(op.path);
    const last = parts[parts.length - 1];
    if (last === undefined || !/^\{[^}]+\}$/.test(last)) return false;
    const prefix = parts.slice(0, -1);
    return prefix.length <= own.length && prefix.every((part, i) => part === own[i] || /^\{[^}]+\}$/.test(part));
  });
}

/** The DELETE path a reader would expect: the collection of the subscribe path plus an id. */
function expectedPath(subscribe: OperationRef): string {
  const own = segments(subscribe.path);
  const collection = own.length > 1 ? own.slice(0, -1) : own;
  return `/${[...collection, '{id}'].join('/')}`;
}

export const rule: Rule = {
  id: 'webhook-unsubscribe',
  severity: 'error',
  description: 'Every webhook subscribe operation (POST with `x-ms-trigger: single`) can be unsubscribed: the definition has a DELETE operation (ideally `DELETE <collection>/{id}`, which a Location built through the connector reaches with the connection\'s credentials), and a success response declares the `Location` header the platform sends that DELETE to.',
  fix: 'Declare `DELETE <collection>/{id}`; answer the subscribe call with 201 and a `Location` header pointing at it (built from `Context.OriginalRequestUri` in custom code) and declare that header on the response.',
  severityReason: 'Error only when the definition has no DELETE operation at all: the platform\'s unsubscribe call then reaches nothing and every deleted or edited flow leaks a subscription. A DELETE whose path has another shape is a warning (the platform deletes whatever URL the Location holds), and so is an undeclared Location header: Microsoft requires Location at runtime, not in the definition.',
  source: SOURCES.webhooks,
  check(c) {
    const hits: RuleHit[] = [];
    const anyDelete = c.operations().some((op) => op.method === 'delete');
    for (const op of c.webhookOperations()) {
      if (op.method !== 'post') continue;
      const name = op.operationId ?? op.path;
      const withLocation = c.successResponses(op).some((r) => isObject(r.node.headers) && Object.keys(r.node.headers).some((h) => h.toLowerCase() === 'location'));
      if (!withLocation) {
        hits.push({
          pointer: `${op.pointer}/responses`,
          ...opId(op),
          severity: 'warn',
          message: `The subscribe operation '${name}' declares no 'Location' header on a success response: unless the API or the script returns one at runtime, the platform never sends the DELETE and every deleted or edited flow leaks a subscription.`,
        });
      }
      if (!anyDelete) {
        hits.push({
          pointer: op.pointer,
          ...opId(op),
          message: `No DELETE operation exists, so subscriptions made by '${name}' can never be removed: every deleted or edited flow leaks one (declare e.g. 'DELETE ${expectedPath(op)}').`,
        });
      } else if (!unsubscribeOperation(c, op)) {
        hits.push({
          pointer: op.pointer,
          ...opId(op),
          severity: 'warn',
          message: `No DELETE operation has a path a Location for '${name}' would point at (e.g. '${expectedPath(op)}'); check that the Location the API returns reaches a DELETE operation with the connection's credentials.`,
        });
      }
    }
    return hits;
  },
};
