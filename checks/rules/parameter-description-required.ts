import { str } from '../connector';
import { type Rule, type RuleHit, SOURCES } from '../rule';
import { eachInputProperty, eachParameter, inputDisplayName, opId, repeatsName } from '../walk';

export const rule: Rule = {
  id: 'parameter-description-required',
  severity: 'error',
  description: 'Every parameter (and every visible body property) has a `description` that says more than its name or display name.',
  fix: 'Describe what the value means, its format or unit, e.g. "Unique ID of the employee involved in the call."',
  source: SOURCES.submission,
  check(c) {
    const hits: RuleHit[] = [];
    const check = (node: Record<string, unknown>, ptr: string, name: string, what: string, extra: { operationId?: string }): void => {
      const description = str(node.description);
      if (!description?.trim()) hits.push({ pointer: ptr, ...extra, message: `The ${what} '${name}' has no description.` });
      else if (repeatsName(description, name, inputDisplayName(node))) {
        hits.push({ pointer: `${ptr}/description`, ...extra, message: `The ${what} '${name}' description '${description}' only repeats its name.` });
      }
    };
    for (const p of eachParameter(c)) {
      if (p.node.in !== 'body') check(p.node, p.pointer, str(p.node.name) ?? '', 'parameter', opId(p.op));
    }
    for (const v of eachInputProperty(c)) check(v.node, v.pointer, v.propertyName, 'body property', opId(v.op));
    return hits;
  },
};
