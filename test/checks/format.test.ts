import { describe, expect, it } from 'vitest';
import type { Finding } from '../../lib/finding';
import { type CheckStep, countByRule, exitCode, exitCodeOfAll, formatFoldersJson, formatFoldersText, formatJson, formatSteps, formatText } from '../../checks/format';

const error: Finding = { file: 'apiDefinition.swagger.json', pointer: '/paths/~1dial/post', rule: 'OperationIdNotUnique', severity: 'error', message: 'dup', operationId: 'Dial' };
const ownSteps: CheckStep[] = [
  { step: 'freshness', label: 'freshness', status: 'ran' },
  { step: 'swagger-parser', label: 'swagger-parser', status: 'ran' },
  { step: 'rules', label: '61 rules', status: 'ran' },
  { step: 'compatibility', label: 'compatibility with 1.0', status: 'ran' },
  { step: 'ms-schemas', label: 'Microsoft schemas', status: 'skipped', reason: 'pass --ms-schemas <dir>' },
];
const warning: Finding = { file: 'apiProperties.json', pointer: '', rule: 'brand-color', severity: 'warn', message: 'colour' };

describe('formatters', () => {
  it('prints one line per finding with file, pointer, rule and message, then the counts', () => {
    const text = formatText({ findings: [error, warning], accepted: [{ ...warning, reason: 'because' }] });
    expect(text).toBe([
      'error apiDefinition.swagger.json#/paths/~1dial/post OperationIdNotUnique: dup',
      'warn  apiProperties.json brand-color: colour',
      'accepted apiProperties.json brand-color: colour (accepted: because)',
      'rule                  severity  count',
      'OperationIdNotUnique  error         1',
      'brand-color           warn          1',
      '1 error (each fails the check), 1 warning, 1 accepted (warnings listed with their reason in checks/accepted-warnings.yaml: shown, not counted)',
      '',
    ].join('\n'));
  });

  it('reads one decision once: accepted findings of one rule, file and reason on one line', () => {
    const at = (pointer: string, file = 'apiDefinition.swagger.json') => ({ ...warning, rule: 'OperationHasManyResponsesWithSchema', file, pointer, message: `m ${pointer}`, reason: 'r' });
    const text = formatText({ findings: [], accepted: [at('/a'), at('/b'), at('/c'), at('/a', 'brands/x/apiDefinition.swagger.json'), { ...warning, reason: 'because' }] });
    expect(text.split('\n').filter((l) => l.startsWith('accepted'))).toEqual([
      'accepted apiDefinition.swagger.json#/a and 2 more in apiDefinition.swagger.json OperationHasManyResponsesWithSchema: m /a (accepted, all 3: r)',
      'accepted brands/x/apiDefinition.swagger.json#/a OperationHasManyResponsesWithSchema: m /a (accepted: r)',
      'accepted apiProperties.json brand-color: colour (accepted: because)',
    ]);
    expect(text).toContain('5 accepted');
  });

  it('says which steps ran and which were skipped, before the counts', () => {
    expect(formatText({ findings: [], accepted: [], steps: ownSteps })).toBe([
      'checked: freshness, swagger-parser, 61 rules, compatibility with 1.0; skipped: Microsoft schemas (pass --ms-schemas <dir>)',
      '0 errors (each fails the check), 0 warnings, 0 accepted (warnings listed with their reason in checks/accepted-warnings.yaml: shown, not counted)',
      '',
    ].join('\n'));
  });

  it('says in the counts line whether warnings fail the run, given the fail severity', () => {
    const last = (severity: 'error' | 'warn') => formatText({ findings: [warning], accepted: [] }, severity).trimEnd().split('\n').at(-1);
    expect(last('warn')).toMatch(/^0 errors \(each fails the check\), 1 warning \(each fails it: --fail-severity warn\), 0 accepted/);
    expect(last('error')).toMatch(/^0 errors \(each fails the check\), 1 warning \(not failing: --fail-severity error\), 0 accepted/);
  });

  it('names a reason once for neighbouring steps skipped for it, and lists failed steps', () => {
    expect(formatSteps([
      { step: 'freshness', label: 'freshness', status: 'skipped', reason: 'own connector only' },
      { step: 'swagger-parser', label: 'swagger-parser', status: 'ran' },
      { step: 'rules', label: '61 rules', status: 'ran' },
      { step: 'compatibility', label: 'compatibility', status: 'skipped', reason: 'own connector only' },
      { step: 'ms-schemas', label: 'Microsoft schemas', status: 'failed', reason: 'see check-setup' },
    ])).toBe('checked: swagger-parser, 61 rules; failed: Microsoft schemas (see check-setup); skipped: freshness, compatibility (own connector only)');
    expect(formatSteps([{ step: 'rules', label: 'rules', status: 'skipped', reason: 'unreadable' }])).toBe('checked: nothing; skipped: rules (unreadable)');
  });

  it('adds the steps to the JSON summary when they are known', () => {
    const json = JSON.parse(formatJson({ findings: [], accepted: [], steps: ownSteps }));
    expect(Object.keys(json)).toEqual(['findings', 'accepted', 'summary']);
    expect(json.summary).toEqual({ errors: 0, warnings: 0, accepted: 0, steps: ownSteps });
  });

  it('prints the documented JSON shape', () => {
    const json = JSON.parse(formatJson({ findings: [error, warning], accepted: [] }));
    expect(json.findings[0]).toEqual({ file: 'apiDefinition.swagger.json', pointer: '/paths/~1dial/post', rule: 'OperationIdNotUnique', severity: 'error', message: 'dup' });
    expect(json.summary).toEqual({ errors: 1, warnings: 1, accepted: 0 });
  });

  it('fails on errors by default and on warnings only when asked', () => {
    expect(exitCode({ findings: [warning], accepted: [] }, 'error')).toBe(0);
    expect(exitCode({ findings: [warning], accepted: [] }, 'warn')).toBe(1);
    expect(exitCode({ findings: [error], accepted: [] }, 'error')).toBe(1);
    expect(exitCode({ findings: [], accepted: [{ ...warning, reason: 'r' }] }, 'warn')).toBe(0);
  });

  const missing: Finding = { file: '', pointer: '', rule: 'folder-readable', severity: 'error', message: 'The connector folder /x does not exist.' };
  const unchecked = { findings: [missing], accepted: [], unchecked: 'The connector folder /x does not exist.' };

  it('exits 3 for a folder that could not be checked at all, and a batch with the highest code of its folders', () => {
    expect(exitCode(unchecked, 'error')).toBe(3);
    expect(exitCodeOfAll([{ findings: [], accepted: [] }, { findings: [error], accepted: [] }], 'error')).toBe(1);
    expect(exitCodeOfAll([{ findings: [error], accepted: [] }, unchecked, { findings: [], accepted: [] }], 'error')).toBe(3);
    expect(exitCodeOfAll([{ findings: [warning], accepted: [] }], 'error')).toBe(0);
  });

  it('says a folder was not checked: its line in a batch, the totals, and the end of a single report', () => {
    const text = formatFoldersText([{ dir: 'a', result: { findings: [], accepted: [] } }, { dir: 'gone', result: unchecked }], 'error');
    expect(text.split('\n')).toContain('NOT CHECKED gone: The connector folder /x does not exist.');
    expect(text).toMatch(/2 folders, 0 failing, 1 not checked; 1 error/);
    expect(formatText(unchecked, 'error').trim().split('\n').at(-1)).toBe('not checked (exit 3): The connector folder /x does not exist.');
    expect(JSON.parse(formatJson(unchecked)).summary.unchecked).toBe('The connector folder /x does not exist.');
  });

  it('counts findings by rule and severity, errors first, then the most frequent', () => {
    const w2: Finding = { ...warning, rule: 'summary-required' };
    expect(countByRule([warning, error, w2, w2, warning, w2])).toEqual([
      { rule: 'OperationIdNotUnique', severity: 'error', count: 1 },
      { rule: 'summary-required', severity: 'warn', count: 3 },
      { rule: 'brand-color', severity: 'warn', count: 2 },
    ]);
  });

  it('prints a line per folder, the rule summary over all folders, then the totals', () => {
    const results = [
      { dir: 'a', result: { findings: [warning], accepted: [] } },
      { dir: 'b', result: { findings: [error, warning], accepted: [] } },
    ];
    expect(formatFoldersText(results, 'error')).toBe([
      'ok   a: 0 errors, 1 warning, 0 accepted',
      'FAIL b: 1 error, 1 warning, 0 accepted (errors: OperationIdNotUnique)',
      'rule                  severity  count',
      'OperationIdNotUnique  error         1',
      'brand-color           warn          2',
      '2 folders, 1 failing; 1 error, 2 warnings, 0 accepted',
      '',
    ].join('\n'));
    const lines = formatFoldersJson(results).trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => [l.dir, l.summary.errors, l.findings.length])).toEqual([['a', 0, 1], ['b', 1, 2]]);
  });
});
