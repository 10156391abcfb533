import { pointer } from '../../lib/finding';
import { type Rule, type RuleHit, SOURCES } from '../rule';
import { opId } from '../walk';

export const rule: Rule = {
  id: 'webhook-trigger-lost',
  severity: 'warn',
  description: 'A path item that describes webhook events (`x-ms-notification-content`) has its subscribe POST marked `x-ms-trigger: single`.',
  fix: 'Restore `"x-ms-trigger": "single"` on the POST if it is meant as a trigger; keep it an action only if the flow is meant to wait for one callback.',
  // One definition cannot tell a lost trigger from a webhook action (certified Mark Sign's "Wait for
  // next signer" registers a callback and waits); a lost trigger is a change, which the compatibility
  // guard reports as an error against the published version.
  severityReason: 'Not a runtime failure on its own: without `x-ms-trigger` the POST is a webhook action (the flow registers a callback and waits for it), a shape certified connectors ship (Mark Sign). A trigger that was published and then lost its `x-ms-trigger` is caught by the compatibility guard (`compat-trigger-kind-changed`, an error).',
  source: SOURCES.webhooks,
  check(c) {
    const hits: RuleHit[] = [];
    for (const op of c.operations()) {
      if (op.method !== 'post' || op.pathItem['x-ms-notification-content'] === undefined || c.triggerKind(op) !== undefined) continue;
      hits.push({
        pointer: op.pointer,
        ...opId(op),
        message: `'${op.operationId ?? op.path}' has webhook events (${pointer('paths', op.path, 'x-ms-notification-content')}) but no 'x-ms-trigger': it is offered as a webhook action (the flow waits for one callback), not as a trigger; if it is meant as a trigger, add 'x-ms-trigger: single'.`,
      });
    }
    return hits;
  },
};
