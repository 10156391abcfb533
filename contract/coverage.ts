/**
 * Scenario coverage: which operations and webhook events have which kinds of scenarios.
 * Every operation needs a success scenario; every webhook trigger also needs an event scenario.
 * Pure: takes the operations and scenarios, returns rows and problems (the CLI prints them).
 */
import { WEBHOOK_EVENTS } from '../connector/model/events';
import type { Scenario } from './scenario';

/**
 * The ten webhook events of the PBX API, from the connector's one list (a trigger removed from the
 * definition still needs its event scenarios).
 */
export { WEBHOOK_EVENTS } from '../connector/model/events';

export const COVERAGE_COLUMNS = ['success', 'empty', 'error', '429', 'event'] as const;
export type CoverageColumn = (typeof COVERAGE_COLUMNS)[number];

export interface CoverageOperation {
  operationId: string;
  /** 'action' | 'polling' | 'webhook' (webhook triggers also need an event scenario). */
  kind: 'action' | 'polling' | 'webhook';
}

export interface CoverageRow {
  operationId: string;
  kind: CoverageOperation['kind'];
  counts: Record<CoverageColumn, number>;
  /** What this operation lacks, e.g. ['success'] or ['event']. */
  missing: string[];
}

export interface CoverageReport {
  rows: CoverageRow[];
  /** One sentence per gap; empty = complete. */
  problems: string[];
}

function hasStatus(s: Scenario, status: number): boolean {
  return s.kind !== 'event' && s.steps.some((step) => step.response.status === status);
}

export function contractCoverage(operations: CoverageOperation[], scenarios: Scenario[]): CoverageReport {
  const known = new Map(operations.map((o) => [o.operationId, o]));
  for (const event of WEBHOOK_EVENTS) if (!known.has(event)) known.set(event, { operationId: event, kind: 'webhook' });
  const rows: CoverageRow[] = [];
  const problems: string[] = [];
  for (const op of [...known.values()].sort((a, b) => a.operationId.localeCompare(b.operationId))) {
    const mine = scenarios.filter((s) => s.operationId === op.operationId);
    const counts: Record<CoverageColumn, number> = {
      success: mine.filter((s) => s.kind === 'success').length,
      empty: mine.filter((s) => s.kind === 'empty').length,
      error: mine.filter((s) => s.kind === 'error').length,
      '429': mine.filter((s) => hasStatus(s, 429)).length,
      event: mine.filter((s) => s.kind === 'event').length,
    };
    const missing: string[] = [];
    if (counts.success === 0) missing.push('success');
    if (op.kind === 'webhook' && counts.event === 0) missing.push('event');
    for (const m of missing) {
      problems.push(
        m === 'success'
          ? `${op.operationId} has no success scenario (add test/scenarios/${op.operationId}/<name>.yaml with kind: success)`
          : `${op.operationId} has no event scenario (add one with kind: event and the body the PBX posts)`,
      );
    }
    rows.push({ operationId: op.operationId, kind: op.kind, counts, missing });
  }
  for (const s of scenarios) {
    if (!known.has(s.operationId)) problems.push(`scenario ${s.operationId}/${s.name} names an operation the definition does not have`);
  }
  return { rows, problems };
}

/** A fixed-width text table of the report (one line per operation, then totals). */
export function formatCoverage(report: CoverageReport): string {
  const header = ['operation', 'kind', ...COVERAGE_COLUMNS, 'missing'];
  const body = report.rows.map((r) => [r.operationId, r.kind, ...COVERAGE_COLUMNS.map((c) => String(r.counts[c])), r.missing.join(', ') || '-']);
  const totals = ['total', '', ...COVERAGE_COLUMNS.map((c) => String(report.rows.reduce((n, r) => n + r.counts[c], 0))), String(report.problems.length ? report.problems.length + ' gap(s)' : '-')];
  const all = [header, ...body, totals];
  const widths = header.map((_, i) => Math.max(...all.map((row) => row[i].length)));
  const line = (row: string[]): string => row.map((cell, i) => (i >= 2 && i < 2 + COVERAGE_COLUMNS.length ? cell.padStart(widths[i]) : cell.padEnd(widths[i]))).join('  ').trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  return [line(header), rule, ...body.map(line), rule, line(totals)].join('\n') + '\n';
}

/** The operations of a loaded definition, classified for coverage. */
export function coverageOperations(def: { operations: Map<string, { operationId: string; trigger?: 'batch' | 'single' }> }): CoverageOperation[] {
  return [...def.operations.values()].map((o) => ({
    operationId: o.operationId,
    kind: o.trigger === 'single' ? 'webhook' : o.trigger === 'batch' ? 'polling' : 'action',
  }));
}
