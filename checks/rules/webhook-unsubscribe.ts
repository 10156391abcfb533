import { type Connector, type OperationRef, isObject } from '../connector';
import { type Rule, type RuleHit, SOURCES } from '../rule';
import { opId } from '../walk';

function segments(path: string): string[] {
  return path.split('/').filter((s) => s !== '');
}

/**
 * A DELETE operation the Location can match: its path ends with a path variable, and the
 * static segments before it are a prefix of the subscribe path (`/webhooks/{webhook_id}` for
 * `/webhooks/CallStarted`), so the connector can answer with a Location under the same collection.
 */
export function unsubscribeOperation(c: Connector, subscribe: OperationRef): OperationRef | undefined {
  const own = segments(subscribe.path);
  return c.operations().find((op) => {
    if (op.method !== 'delete') return false;
    const parts = segments(op.path);
    const last = parts[parts.length - 1];
    if (last === undefined || !/^\{[^}]+\}$/.test(last)) return false;
    const prefix = parts.slice(0, -1);
    return prefix.length < own.length && prefix.every((part, i) => part === own[i]);
  });
}

export const rule: Rule = {
  id: 'webhook-unsubscribe',
  severity: 'error',
  description: 'Every webhook subscribe operation (POST with `x-ms-trigger: single`) can be unsubscribed: a success response declares a `Location` header and a DELETE operation exists whose path that Location can match.',
  fix: 'Answer the subscribe call with 201 and a `Location` header pointing at `DELETE <collection>/{id}` (built from `Context.OriginalRequestUri` in custom code), and declare that DELETE operation.',
  source: SOURCES.webhooks,
  check(c) {
    const hits: RuleHit[] = [];
    for (const op of c.webhookOperations()) {
      if (op.method !== 'post') continue;
      const withLocation = c.successResponses(op).some((r) => isObject(r.node.headers) && Object.keys(r.node.headers).some((h) => h.toLowerCase() === 'location'));
      if (!withLocation) {
        hits.push({
          pointer: `${op.pointer}/responses`,
          ...opId(op),
          message: `The subscribe operation '${op.operationId ?? op.path}' declares no 'Location' header on a success response: the platform never sends the DELETE, so every deleted or edited flow leaks a subscription.`,
        });
      }
      if (!unsubscribeOperation(c, op)) {
        hits.push({
          pointer: op.pointer,
          ...opId(op),
          message: `No DELETE operation can remove subscriptions made by '${op.operationId ?? op.path}' (expected a path like '/${segments(op.path).slice(0, -1).join('/')}/{id}').`,
        });
      }
    }
    return hits;
  },
};
