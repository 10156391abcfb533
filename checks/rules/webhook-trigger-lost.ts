import { pointer } from '../../lib/finding';
import { type Rule, type RuleHit, SOURCES } from '../rule';
import { opId } from '../walk';

export const rule: Rule = {
  id: 'webhook-trigger-lost',
  severity: 'error',
  description: 'A path item that describes webhook events (`x-ms-notification-content`) has its subscribe POST marked `x-ms-trigger: single`.',
  fix: 'Restore `"x-ms-trigger": "single"` on the POST, or remove the stale `x-ms-notification-content` if the operation is meant to be an action.',
  severityReason: 'Runtime: without `x-ms-trigger` the subscribe operation becomes an action, so the trigger disappears and flows built on it break.',
  source: SOURCES.webhooks,
  check(c) {
    const hits: RuleHit[] = [];
    for (const op of c.operations()) {
      if (op.method !== 'post' || op.pathItem['x-ms-notification-content'] === undefined || c.triggerKind(op) !== undefined) continue;
      hits.push({
        pointer: op.pointer,
        ...opId(op),
        message: `'${op.operationId ?? op.path}' has webhook events (${pointer('paths', op.path, 'x-ms-notification-content')}) but no 'x-ms-trigger': it is offered as an action and the trigger is gone.`,
      });
    }
    return hits;
  },
};
