/** Pure formatters for check results. */
import type { AcceptedFinding } from './accepted';
import type { Finding, Severity } from '../lib/finding';

/** One step of `npm run check` and whether it ran. */
export interface CheckStep {
  /** Stable id: `freshness`, `swagger-parser`, `rules`, `compatibility`, `ms-schemas`. */
  step: string;
  /** What the summary line calls it, e.g. `61 rules`, `compatibility with 1.0`. */
  label: string;
  /** `failed`: the step could not run (its check-setup finding says why). */
  status: 'ran' | 'skipped' | 'failed';
  /** Why it was skipped or failed, e.g. `pass --ms-schemas <dir>`. */
  reason?: string;
}

export interface CheckResult {
  findings: Finding[];
  accepted: AcceptedFinding[];
  /** The steps of the run, in order; absent when the result was not produced by `runCheck`. */
  steps?: CheckStep[];
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

/** `a, b (why), c`: labels in order, each run of equal reasons followed by the reason once. */
function listSteps(steps: CheckStep[]): string {
  const parts: string[] = [];
  steps.forEach((step, i) => {
    const next = steps[i + 1];
    const reasonHere = step.reason !== undefined && (next === undefined || next.reason !== step.reason);
    parts.push(reasonHere ? `${step.label} (${step.reason})` : step.label);
  });
  return parts.join(', ');
}

/** `checked: …; failed: …; skipped: …` — which steps ran, on one line. */
export function formatSteps(steps: CheckStep[]): string {
  const of = (status: CheckStep['status']) => steps.filter((s) => s.status === status);
  const ran = of('ran');
  const parts = [`checked: ${ran.length === 0 ? 'nothing' : ran.map((s) => s.label).join(', ')}`];
  if (of('failed').length > 0) parts.push(`failed: ${listSteps(of('failed'))}`);
  if (of('skipped').length > 0) parts.push(`skipped: ${listSteps(of('skipped'))}`);
  return parts.join('; ');
}

export function formatText(result: CheckResult): string {
  const lines = result.findings.map((f) => `${f.severity === 'error' ? 'error' : 'warn '} ${location(f)} ${f.rule}: ${f.message}`);
  for (const f of result.accepted) lines.push(`accepted ${location(f)} ${f.rule}: ${f.message} (accepted: ${f.reason})`);
  if (result.steps) lines.push(formatSteps(result.steps));
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
    summary: {
      errors: s.errors,
      warnings: s.warnings,
      accepted: s.accepted,
      ...(result.steps ? { steps: result.steps.map(({ step, label, status, reason }) => ({ step, label, status, ...(reason === undefined ? {} : { reason }) })) } : {}),
    },
  }, null, 2) + '\n';
}

/** Exit code: 1 when any finding is at or above the fail severity. */
export function exitCode(result: CheckResult, failSeverity: Severity): number {
  const s = summarize(result);
  return s.errors > 0 || (failSeverity === 'warn' && s.warnings > 0) ? 1 : 0;
}
