import { type Rule, SOURCES } from '../rule';
import { notificationUrlSites } from '../notification';
import { isInternal, opId } from '../walk';

export const rule: Rule = {
  id: 'NotificationUrlNotInternal',
  severity: 'warn',
  description: 'The notification URL property, or one of its parents (up to the body parameter), is `x-ms-visibility: internal`.',
  fix: 'Add `"x-ms-visibility": "internal"` to the property (the platform fills it in; makers must not see it).',
  source: SOURCES.validator,
  check(c) {
    return c.operations()
      .flatMap((op) => notificationUrlSites(c, op))
      .filter((site) => !isInternal(site.body.node) && !isInternal(site.property.node) && !site.property.ancestors.some((a) => isInternal(a.node)))
      .map((site) => ({ pointer: site.property.pointer, ...opId(site.op), message: 'The notification URL property itself or at least one of its parents must be internal.' }));
  },
};
