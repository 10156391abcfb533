import { str } from '../connector';
import { type Rule, type RuleHit, SOURCES } from '../rule';
import { eachOutputProperty, opId, repeatsName } from '../walk';

export const rule: Rule = {
  id: 'output-property-description',
  severity: 'warn',
  description: 'Every visible output property has a description that says more than its name or display name ("callID" or "Call ID" for `callID` is a repeat).',
  fix: 'Describe the value: what it identifies, its format or unit, e.g. "Unique ID of the call."',
  source: SOURCES.strings,
  check(c) {
    const hits: RuleHit[] = [];
    for (const v of eachOutputProperty(c)) {
      const description = str(v.node.description);
      const where = v.propertyPath.join('.');
      if (!description?.trim()) hits.push({ pointer: v.pointer, ...opId(v.op), message: `The output property '${where}' has no description.` });
      else if (repeatsName(description, v.propertyName, str(v.node['x-ms-summary']))) {
        hits.push({ pointer: `${v.pointer}/description`, ...opId(v.op), message: `The output property '${where}' description '${description}' only repeats its name.` });
      }
    }
    return hits;
  },
};
