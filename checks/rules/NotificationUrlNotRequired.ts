import { type Rule, SOURCES } from '../rule';
import { notificationUrlSites } from '../notification';
import { opId } from '../walk';

export const rule: Rule = {
  id: 'NotificationUrlNotRequired',
  severity: 'warn',
  description: 'The notification URL property is required all the way up: listed in each parent\'s `required`, and the body parameter is required.',
  fix: 'Add the property (and each enclosing property) to its parent\'s `required` list and set `"required": true` on the body parameter.',
  source: SOURCES.validator,
  check(c) {
    const hits = [];
    for (const site of c.operations().flatMap((op) => notificationUrlSites(c, op))) {
      const chain = [...site.property.ancestors, site.property].filter((v) => v.propertyName !== undefined);
      const optional = chain.find((v) => !v.requiredByParent);
      if (site.body.node.required !== true) {
        hits.push({ pointer: site.body.pointer, ...opId(site.op), message: 'The notification URL property must be required all the way through the schema chain: the body parameter is optional.' });
      } else if (optional) {
        hits.push({ pointer: optional.pointer, ...opId(site.op), message: `The notification URL property must be required all the way through the schema chain: '${optional.propertyName}' is optional.` });
      }
    }
    return hits;
  },
};
