/**
 * Accepted warnings: one committed file (`checks/accepted-warnings.yaml`) listing warnings the
 * project has decided to live with, each with its reason. Accepted findings are reported as
 * accepted, not counted; errors cannot be accepted; an entry that matches nothing is itself
 * reported so the list never goes stale. In `pointer` and `file`, a segment `*` stands for any one
 * segment (every operation's responses; every further brand's definition under brands/), so one
 * reason covers one decision.
 */
import { existsSync, readFileSync } from 'node:fs';
import { DEFINITION_FILE, isObject, str } from './connector';
import type { Finding } from '../lib/finding';

export const ACCEPTED_FILE = 'checks/accepted-warnings.yaml';
export const ACCEPTED_UNUSED_RULE = 'accepted-warning-unused';
export const ACCEPTED_INVALID_RULE = 'accepted-warning-invalid';

export interface Acceptance {
  rule: string;
  pointer: string;
  file: string;
  reason: string;
}

export interface AcceptedFinding extends Finding {
  reason: string;
}

/** Parses the file's text: `accepted: [{ rule, pointer, file?, reason }]`. */
export function parseAcceptances(text: string): { entries: Acceptance[]; findings: Finding[] } {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { parse } = require('yaml') as { parse(text: string): unknown };
  const data = parse(text);
  const list = isObject(data) ? data.accepted : undefined;
  const entries: Acceptance[] = [];
  const findings: Finding[] = [];
  if (list === undefined || list === null) return { entries, findings };
  if (!Array.isArray(list)) {
    return { entries, findings: [{ file: ACCEPTED_FILE, pointer: '/accepted', rule: ACCEPTED_INVALID_RULE, severity: 'error', message: "'accepted' must be a list." }] };
  }
  list.forEach((raw, index) => {
    const entry = isObject(raw) ? raw : {};
    const rule = str(entry.rule);
    const pointer = str(entry.pointer);
    const reason = str(entry.reason)?.trim();
    if (!rule || pointer === undefined || !reason) {
      findings.push({ file: ACCEPTED_FILE, pointer: `/accepted/${index}`, rule: ACCEPTED_INVALID_RULE, severity: 'error', message: 'Each accepted warning needs rule, pointer and a reason.' });
      return;
    }
    entries.push({ rule, pointer, file: str(entry.file) ?? DEFINITION_FILE, reason });
  });
  return { entries, findings };
}

export function loadAcceptances(path: string): { entries: Acceptance[]; findings: Finding[] } {
  if (!existsSync(path)) return { entries: [], findings: [] };
  const text = readFileSync(path, 'utf8');
  // The usual case, an empty list, needs no YAML parser (loading it costs a tenth of the check).
  if (/^accepted:\s*\[\s*\]\s*$/.test(text.replace(/^\s*#.*$/gm, '').trim())) return { entries: [], findings: [] };
  return parseAcceptances(text);
}

/** `pattern` equals `value` segment by segment (split on `/`), a `*` segment matching any one segment. */
export function segmentsMatch(pattern: string, value: string): boolean {
  const p = pattern.split('/');
  const v = value.split('/');
  return p.length === v.length && p.every((segment, i) => segment === '*' || segment === v[i]);
}

/** Splits findings into open and accepted ones; reports entries that accepted nothing. */
export function applyAcceptances(findings: Finding[], entries: Acceptance[]): { open: Finding[]; accepted: AcceptedFinding[] } {
  const used = new Set<Acceptance>();
  const open: Finding[] = [];
  const accepted: AcceptedFinding[] = [];
  for (const finding of findings) {
    const entry = finding.severity === 'warn'
      ? entries.find((e) => e.rule === finding.rule && segmentsMatch(e.pointer, finding.pointer) && segmentsMatch(e.file, finding.file))
      : undefined;
    if (entry) {
      used.add(entry);
      accepted.push({ ...finding, reason: entry.reason });
    } else open.push(finding);
  }
  entries.forEach((entry, index) => {
    if (!used.has(entry)) {
      open.push({
        file: ACCEPTED_FILE,
        pointer: `/accepted/${index}`,
        rule: ACCEPTED_UNUSED_RULE,
        severity: 'warn',
        message: `The accepted warning ${entry.rule} at ${entry.file}#${entry.pointer} no longer occurs (or is an error, which cannot be accepted); remove the entry.`,
      });
    }
  });
  return { open, accepted };
}
