import { str } from '../connector';
import { type Rule, SOURCES } from '../rule';
import { eachOutputProperty, opId } from '../walk';

export const rule: Rule = {
  id: 'output-property-display-name',
  severity: 'warn',
  description: 'Every visible output property (success response schemas, webhook notification content) has a display name (`x-ms-summary`).',
  fix: 'Add a short Title Case `x-ms-summary` to the property (in the shared definition when it is referenced), e.g. "Call ID".',
  source: SOURCES.strings,
  check(c) {
    return eachOutputProperty(c)
      .filter((v) => !str(v.node['x-ms-summary'])?.trim())
      .map((v) => ({ pointer: v.pointer, ...opId(v.op), message: `The output property '${v.propertyPath.join('.')}' has no display name ('x-ms-summary').` }));
  },
};
