import { str } from '../connector';
import { type Rule, type RuleHit, SOURCES } from '../rule';
import { eachParameter, isInternal, opId } from '../walk';

export const rule: Rule = {
  id: 'PropertyMustBeRequired',
  severity: 'warn',
  description: 'An internal parameter or body property with a `default` is required (optional internal values are not sent).',
  fix: 'Mark it required (`"required": true` on a parameter, or list it in the parent schema\'s `required`).',
  source: SOURCES.validator,
  check(c) {
    const hits: RuleHit[] = [];
    const seen = new Set<string>();
    for (const p of eachParameter(c)) {
      if (p.node.in !== 'body' && isInternal(p.node) && p.node.default !== undefined && p.node.required !== true) {
        hits.push({ pointer: p.pointer, ...opId(p.op), message: `The internal parameter '${str(p.node.name)}' has a default value but is optional.` });
      }
      if (p.node.in === 'body') {
        c.walkSchema(p.node.schema, `${p.pointer}/schema`, (v) => {
          // Each location once, its subtree too: a definition reused at every level would otherwise be walked along every path.
          if (seen.has(v.pointer)) return false;
          seen.add(v.pointer);
          if (v.propertyName === undefined) return;
          if (isInternal(v.node) && v.node.default !== undefined && !v.requiredByParent) {
            hits.push({ pointer: v.pointer, ...opId(p.op), message: `The internal property '${v.propertyName}' has a default value but is optional.` });
          }
        });
      }
    }
    return hits;
  },
};
