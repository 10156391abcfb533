import { str } from '../connector';
import { type Rule, type RuleHit, SOURCES } from '../rule';
import { eachInputProperty, eachParameter, inputDisplayName, isInternal, opId } from '../walk';

export const rule: Rule = {
  id: 'parameter-summary-required',
  severity: 'warn',
  description: 'Every visible parameter of a visible operation has a display name (`x-ms-summary`); for a body parameter, every visible property of its schema has one (`x-ms-summary` or `title`).',
  fix: 'Add a short Title Case `x-ms-summary`, e.g. "Contact ID".',
  source: SOURCES.submission,
  check(c) {
    const hits: RuleHit[] = [];
    for (const p of eachParameter(c)) {
      // Makers never see internal parameters or the parameters of internal operations.
      if (isInternal(p.node) || isInternal(p.op.operation)) continue;
      if (p.node.in !== 'body' && !str(p.node['x-ms-summary'])?.trim()) {
        hits.push({ pointer: p.pointer, ...opId(p.op), message: `The parameter '${str(p.node.name)}' has no 'x-ms-summary'.` });
      }
    }
    for (const v of eachInputProperty(c)) {
      if (isInternal(v.op.operation)) continue;
      if (!inputDisplayName(v.node)?.trim()) hits.push({ pointer: v.pointer, ...opId(v.op), message: `The body property '${v.propertyName}' has no 'x-ms-summary'.` });
    }
    return hits;
  },
};
