import { type Rule, SOURCES } from '../rule';
import { notificationUrlSites } from '../notification';
import { opId } from '../walk';

export const rule: Rule = {
  id: 'NotificationUrlNotString',
  severity: 'warn',
  description: 'The notification URL property is of type `string`.',
  fix: 'Set `"type": "string"` on the property marked `x-ms-notification-url`.',
  source: SOURCES.validator,
  check(c) {
    return c.operations()
      .flatMap((op) => notificationUrlSites(c, op))
      .filter((site) => site.property.node.type !== 'string')
      .map((site) => ({ pointer: site.property.pointer, ...opId(site.op), message: 'The notification URL property must be of type string.' }));
  },
};
