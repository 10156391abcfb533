/** Pure formatters for check results. */
import { ACCEPTED_FILE, type AcceptedFinding } from './accepted';
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
  /**
   * Why the folder could not be checked at all (missing or unreadable folder or definition, or a
   * failure of the check itself); its finding says the same. Absent when the folder was checked.
   */
  unchecked?: string;
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

export interface RuleCount {
  rule: string;
  severity: Severity;
  count: number;
}

/** Findings counted by rule and severity: errors first, then by count (highest first), then by rule id. */
export function countByRule(findings: readonly Finding[]): RuleCount[] {
  const counts = new Map<string, RuleCount>();
  for (const f of findings) {
    const key = `${f.severity}\u0000${f.rule}`;
    const entry = counts.get(key) ?? { rule: f.rule, severity: f.severity, count: 0 };
    entry.count += 1;
    counts.set(key, entry);
  }
  const rank = (s: Severity): number => (s === 'error' ? 0 : 1);
  return [...counts.values()].sort((a, b) => rank(a.severity) - rank(b.severity) || b.count - a.count || a.rule.localeCompare(b.rule));
}

/** A small table: rule, severity, count — the end of the text output, so the shape of a run reads at a glance. */
export function formatRuleSummary(findings: readonly Finding[]): string[] {
  const rows = countByRule(findings);
  if (rows.length === 0) return [];
  const width = Math.max('rule'.length, ...rows.map((r) => r.rule.length));
  return [
    `${'rule'.padEnd(width)}  severity  count`,
    ...rows.map((r) => `${r.rule.padEnd(width)}  ${r.severity.padEnd(8)}  ${String(r.count).padStart(5)}`),
  ];
}

function counts(s: Summary): string {
  return `${s.errors} error${s.errors === 1 ? '' : 's'}, ${s.warnings} warning${s.warnings === 1 ? '' : 's'}, ${s.accepted} accepted`;
}

/**
 * The counts line of a run, each count said in words: what fails the check (given the fail
 * severity in force, when known) and what "accepted" means.
 */
export function formatCounts(s: Summary, failSeverity?: Severity): string {
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const warnings =
    failSeverity === 'warn' ? ' (each fails it: --fail-severity warn)' : failSeverity === 'error' ? ' (not failing: --fail-severity error)' : '';
  return (
    `${plural(s.errors, 'error')} (each fails the check), ${plural(s.warnings, 'warning')}${warnings}, ` +
    `${s.accepted} accepted (warnings listed with their reason in ${ACCEPTED_FILE}: shown, not counted)`
  );
}

/**
 * The accepted findings: one line each, or, for findings of one rule in one file accepted for one
 * reason, one line for them all (where the first is, how many more) so that a decision reads once.
 */
function acceptedLines(accepted: readonly AcceptedFinding[]): string[] {
  const groups = new Map<string, AcceptedFinding[]>();
  for (const f of accepted) {
    const key = JSON.stringify([f.file, f.rule, f.reason]);
    groups.set(key, [...(groups.get(key) ?? []), f]);
  }
  return [...groups.values()].map((group) => {
    const [f] = group;
    if (group.length === 1) return `accepted ${location(f)} ${f.rule}: ${f.message} (accepted: ${f.reason})`;
    return `accepted ${location(f)} and ${group.length - 1} more in ${f.file} ${f.rule}: ${f.message} (accepted, all ${group.length}: ${f.reason})`;
  });
}

/** The report of one run; `failSeverity`, when given, lets the counts line say whether warnings fail it. */
export function formatText(result: CheckResult, failSeverity?: Severity): string {
  const lines = result.findings.map((f) => `${f.severity === 'error' ? 'error' : 'warn '} ${location(f)} ${f.rule}: ${f.message}`);
  lines.push(...acceptedLines(result.accepted));
  if (result.steps) lines.push(formatSteps(result.steps));
  lines.push(...formatRuleSummary(result.findings));
  lines.push(formatCounts(summarize(result), failSeverity));
  if (result.unchecked !== undefined) lines.push(`not checked (exit ${EXIT.unchecked}): ${result.unchecked}`);
  return lines.join('\n') + '\n';
}

/** One result of a run over many folders. */
export interface FolderResult {
  dir: string;
  result: CheckResult;
}

/** One line for a folder: verdict, counts, and the rules that raised errors. */
export function formatFolderLine({ dir, result }: FolderResult, failSeverity: Severity): string {
  const s = summarize(result);
  const errorRules = countByRule(result.findings).filter((r) => r.severity === 'error').map((r) => r.rule);
  const code = exitCode(result, failSeverity);
  const verdict = code === EXIT.clean ? 'ok  ' : code === EXIT.unchecked ? 'NOT CHECKED' : 'FAIL';
  if (code === EXIT.unchecked) return `${verdict} ${dir}: ${result.unchecked}`;
  return `${verdict} ${dir}: ${counts(s)}${errorRules.length > 0 ? ` (errors: ${errorRules.join(', ')})` : ''}`;
}

/** Text for many folders: a line per folder, the rule summary over all of them, then the totals. */
export function formatFoldersText(results: readonly FolderResult[], failSeverity: Severity): string {
  const all = results.flatMap((r) => r.result.findings);
  const failing = results.filter((r) => exitCode(r.result, failSeverity) === EXIT.findings).length;
  const unchecked = results.filter((r) => exitCode(r.result, failSeverity) === EXIT.unchecked).length;
  const total = summarize({ findings: all, accepted: results.flatMap((r) => r.result.accepted) });
  return [
    ...results.map((r) => formatFolderLine(r, failSeverity)),
    ...formatRuleSummary(all),
    `${results.length} folders, ${failing} failing${unchecked > 0 ? `, ${unchecked} not checked` : ''}; ${counts(total)}`,
  ].join('\n') + '\n';
}

/** JSON Lines for many folders: one compact object per folder, `{dir, findings, accepted, summary}`. */
export function formatFoldersJson(results: readonly FolderResult[]): string {
  return results.map(({ dir, result }) => JSON.stringify({ dir, ...jsonObject(result) })).join('\n') + '\n';
}

function jsonObject(result: CheckResult): object {
  const pick = ({ file, pointer, rule, severity, message }: Finding) => ({ file, pointer, rule, severity, message });
  const s = summarize(result);
  return {
    findings: result.findings.map(pick),
    accepted: result.accepted.map((f) => ({ ...pick(f), reason: f.reason })),
    summary: {
      errors: s.errors,
      warnings: s.warnings,
      accepted: s.accepted,
      ...(result.steps ? { steps: result.steps.map(({ step, label, status, reason }) => ({ step, label, status, ...(reason === undefined ? {} : { reason }) })) } : {}),
      ...(result.unchecked === undefined ? {} : { unchecked: result.unchecked }),
    },
  };
}

export function formatJson(result: CheckResult): string {
  return JSON.stringify(jsonObject(result), null, 2) + '\n';
}

/** The exit codes of `npm run check` (2, a usage mistake, is lib/cli.ts's). */
export const EXIT = { clean: 0, findings: 1, usage: 2, unchecked: 3 } as const;

/** Exit code of one folder: 3 when it could not be checked at all, 1 when a finding is at or above the fail severity, else 0. */
export function exitCode(result: CheckResult, failSeverity: Severity): number {
  if (result.unchecked !== undefined) return EXIT.unchecked;
  const s = summarize(result);
  return s.errors > 0 || (failSeverity === 'warn' && s.warnings > 0) ? EXIT.findings : EXIT.clean;
}

/** Exit code of a run over many folders: 3 when any could not be checked, else 1 when any fails, else 0. */
export function exitCodeOfAll(results: readonly CheckResult[], failSeverity: Severity): number {
  return results.reduce((code, result) => Math.max(code, exitCode(result, failSeverity)), EXIT.clean as number);
}
