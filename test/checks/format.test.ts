import { describe, expect, it } from 'vitest';
import type { Finding } from '../../checks/finding';
import { exitCode, formatJson, formatText } from '../../checks/format';

const error: Finding = { file: 'apiDefinition.swagger.json', pointer: '/paths/~1dial/post', rule: 'OperationIdNotUnique', severity: 'error', message: 'dup', operationId: 'Dial' };
const warning: Finding = { file: 'apiProperties.json', pointer: '', rule: 'brand-color', severity: 'warn', message: 'colour' };

describe('formatters', () => {
  it('prints one line per finding with file, pointer, rule and message, then the counts', () => {
    const text = formatText({ findings: [error, warning], accepted: [{ ...warning, reason: 'because' }] });
    expect(text).toBe([
      'error apiDefinition.swagger.json#/paths/~1dial/post OperationIdNotUnique: dup',
      'warn  apiProperties.json brand-color: colour',
      'accepted apiProperties.json brand-color: colour (accepted: because)',
      '1 error, 1 warning, 1 accepted',
      '',
    ].join('\n'));
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
});
