/** Runs registered rules over a connector and collects every finding before anyone decides an exit code. */
import { Connector, type ConnectorFiles, DEFINITION_FILE } from './connector';
import type { Finding } from '../lib/finding';
import type { Rule } from './rule';
import { RULES } from './rules';

export function runRules(input: Connector | ConnectorFiles, rules: readonly Rule[] = RULES): Finding[] {
  const connector = input instanceof Connector ? input : new Connector(input);
  const findings: Finding[] = [];
  const seen = new Set<string>();
  for (const rule of rules) {
    let hits;
    try {
      hits = rule.check(connector);
    } catch (error) {
      // A rule that crashes on odd input must not hide the other rules' findings, nor fail the
      // connector for a defect of the check: a warning that says so.
      hits = [{ pointer: '', severity: 'warn' as const, message: `rule crashed: ${error instanceof Error ? error.message : String(error)} (a defect of the check, not of the connector; the other rules ran)` }];
    }
    for (const hit of hits) {
      const finding: Finding = {
        file: hit.file ?? DEFINITION_FILE,
        pointer: hit.pointer,
        rule: rule.id,
        severity: hit.severity ?? rule.severity,
        message: hit.message,
      };
      if (hit.operationId !== undefined) finding.operationId = hit.operationId;
      // Shared schemas are reached from many operations; report each location once.
      const key = `${finding.rule}\u0000${finding.file}\u0000${finding.pointer}\u0000${finding.message}`;
      if (seen.has(key)) continue;
      seen.add(key);
      findings.push(finding);
    }
  }
  return findings;
}
