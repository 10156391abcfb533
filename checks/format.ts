/** Pure formatters for check results. */
import type { AcceptedFinding } from './accepted';
import type { Finding, Severity } from './finding';

export interface CheckResult {
  findings: Finding[];
  accepted: AcceptedFinding[];
}

export interface Summary {
  errors: number;
  warnings: number;
  accepted: number;
}

export function summarize(result: CheckResult): Summary {
  return {
    errors: result.findings.filter((f) => f.severity === 'error').length,
    warnings: result.findings.filter((f) => f.severity === 'warn').length,
    accepted: result.accepted.length,
  };
}

function location(f: Finding): string {
  return f.pointer === '' ? f.file : `${f.file}#${f.pointer}`;
}

export function formatText(result: CheckResult): string {
  const lines = result.findings.map((f) => `${f.severity === 'error' ? 'error' : 'warn '} ${location(f)} ${f.rule}: ${f.message}`);
  for (const f of result.accepted) lines.push(`accepted ${location(f)} ${f.rule}: ${f.message} (accepted: ${f.reason})`);
  const s = summarize(result);
  lines.push(`${s.errors} error${s.errors === 1 ? '' : 's'}, ${s.warnings} warning${s.warnings === 1 ? '' : 's'}, ${s.accepted} accepted`);
  return lines.join('\n') + '\n';
}

export function formatJson(result: CheckResult): string {
  const pick = ({ file, pointer, rule, severity, message }: Finding) => ({ file, pointer, rule, severity, message });
  const s = summarize(result);
  return JSON.stringify({
    findings: result.findings.map(pick),
    accepted: result.accepted.map((f) => ({ ...pick(f), reason: f.reason })),
    summary: { errors: s.errors, warnings: s.warnings, accepted: s.accepted },
  }, null, 2) + '\n';
}

/** Exit code: 1 when any finding is at or above the fail severity. */
export function exitCode(result: CheckResult, failSeverity: Severity): number {
  const s = summarize(result);
  return s.errors > 0 || (failSeverity === 'warn' && s.warnings > 0) ? 1 : 0;
}
