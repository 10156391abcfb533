import { str } from '../connector';
import { type Rule, type RuleHit, SOURCES } from '../rule';
import { eachInputProperty, eachParameter, inputDisplayName, isInternal, opId, repeatsName } from '../walk';

export const rule: Rule = {
  id: 'parameter-description-required',
  severity: 'warn',
  description: 'Every visible parameter of a visible operation (and every visible body property) has a `description` that says more than its name or display name.',
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
      // Makers never see internal parameters or the parameters of internal operations.
      if (isInternal(p.node) || isInternal(p.op.operation)) continue;
      if (p.node.in !== 'body') check(p.node, p.pointer, str(p.node.name) ?? '', 'parameter', opId(p.op));
    }
    for (const v of eachInputProperty(c)) if (!isInternal(v.op.operation)) check(v.node, v.pointer, v.propertyName, 'body property', opId(v.op));
    return hits;
  },
};
