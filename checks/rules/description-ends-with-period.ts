import { str } from '../connector';
import { type Rule, type RuleHit, SOURCES } from '../rule';
import { eachInputProperty, eachParameter, opId } from '../walk';

/** Descriptions are sentences; a single word needs no period (connector string guidance). */
function lacksPeriod(text: string): boolean {
  const trimmed = text.trim();
  return /\s/.test(trimmed) && !trimmed.endsWith('.');
}

export const rule: Rule = {
  id: 'description-ends-with-period',
  severity: 'warn',
  description: 'Operation, parameter and body property descriptions are sentences ending with a period.',
  fix: 'Finish the description as a sentence with a period.',
  source: SOURCES.submission,
  check(c) {
    const hits: RuleHit[] = [];
    const flag = (text: unknown, ptr: string, what: string, extra: { operationId?: string }): void => {
      const value = str(text);
      if (value !== undefined && lacksPeriod(value)) hits.push({ pointer: ptr, ...extra, message: `The ${what} description '${value}' does not end with a period.` });
    };
    for (const op of c.operations()) flag(op.operation.description, `${op.pointer}/description`, 'operation', opId(op));
    for (const p of eachParameter(c)) flag(p.node.description, `${p.pointer}/description`, 'parameter', opId(p.op));
    for (const v of eachInputProperty(c)) flag(v.node.description, `${v.pointer}/description`, 'property', opId(v.op));
    return hits;
  },
};
