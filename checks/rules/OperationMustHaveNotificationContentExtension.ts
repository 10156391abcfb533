import { type Rule, SOURCES } from '../rule';
import { notificationUrlSites } from '../notification';
import { opId } from '../walk';

export const rule: Rule = {
  id: 'OperationMustHaveNotificationContentExtension',
  severity: 'warn',
  description: 'A webhook operation (one with a notification URL property) has `x-ms-notification-content` on its path item, which defines the trigger\'s outputs.',
  fix: 'Add `"x-ms-notification-content": { "description": "...", "schema": { ... } }` next to the `post` of the path.',
  source: SOURCES.validator,
  check(c) {
    return c.operations()
      .filter((op) => (c.triggerKind(op) === 'single' || notificationUrlSites(c, op).length > 0) && c.notificationContent(op) === undefined)
      .map((op) => ({ pointer: op.pointer, ...opId(op), message: `The operation '${op.operationId ?? op.path}' is missing the notification content extension ('x-ms-notification-content').` }));
  },
};
