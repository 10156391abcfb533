import { SCRIPT_FILE } from '../connector';
import { operationIdLiterals, scanCSharp } from '../csharp';
import { type Rule, SOURCES } from '../rule';

export const rule: Rule = {
  id: 'script-operation-ids',
  severity: 'error',
  description: 'Every operationId that script.csx compares with `Context.OperationId` exists in the definition.',
  fix: 'Correct the name in the script (or rename the operation back); a stale name silently disables that branch.',
  severityReason: 'Runtime: a branch on an operationId the definition does not have never runs; the operation it was meant for gets the fallback behaviour.',
  source: SOURCES.code,
  check(c) {
    if (c.script === undefined) return [];
    const ids = c.operationIds();
    return operationIdLiterals(scanCSharp(c.script))
      .filter((l) => !ids.has(l.value))
      .map((l) => ({ file: SCRIPT_FILE, pointer: '', message: `line ${l.line}: the script names the operation '${l.value}', which is not an operationId of the definition.` }));
  },
};
