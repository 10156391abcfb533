import { SCRIPT_FILE } from '../connector';
import { operationIdLiterals, scanCSharp } from '../csharp';
import { type Rule, type RuleHit, SOURCES } from '../rule';

export const rule: Rule = {
  id: 'script-operation-ids',
  severity: 'error',
  description: 'Every operationId that script.csx compares with `Context.OperationId` exists in the definition, in the case the comparison needs.',
  fix: 'Write the name exactly as the definition\'s operationId (or compare with StringComparison.OrdinalIgnoreCase); remove a branch whose operation no longer exists.',
  severityReason:
    'Error only when a comparison that respects case names an operationId in another case (`== "getuser"` for `GetUser`): that operation exists and provably never takes its branch. ' +
    'A comparison that ignores case (`"GetWorkflowIds".Equals(OperationId, StringComparison.OrdinalIgnoreCase)` for `GetWorkflowIDs`, as certified DocuSign writes it) matches, so it is no finding. ' +
    'A name no operation has, in any case, is a warning: the branch (often a `case` label) is dead code, and which operation it was meant for, if any, cannot be proven.',
  source: SOURCES.code,
  check(c) {
    if (c.script === undefined) return [];
    const ids = c.operationIds();
    const byLower = new Map([...ids].map((id) => [id.toLowerCase(), id]));
    const hits: RuleHit[] = [];
    for (const literal of operationIdLiterals(scanCSharp(c.script))) {
      if (ids.has(literal.value)) continue;
      const other = byLower.get(literal.value.toLowerCase());
      if (other !== undefined && literal.ignoresCase) continue;
      hits.push(other !== undefined
        ? { file: SCRIPT_FILE, pointer: '', message: `line ${literal.line}: the script compares the operation id with '${literal.value}' respecting case, but the operation is '${other}': its branch never runs. Write '${other}' or compare with StringComparison.OrdinalIgnoreCase.` }
        : { file: SCRIPT_FILE, pointer: '', severity: 'warn', message: `line ${literal.line}: the script names the operation '${literal.value}', which is not an operationId of the definition: that branch never runs (remove it, or correct the name if an operation was renamed).` });
    }
    return hits;
  },
};
