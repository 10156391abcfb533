import { describe, expect, it } from 'vitest';
import { applyAcceptances, parseAcceptances } from '../../checks/accepted';
import type { Finding } from '../../lib/finding';

const warning: Finding = { file: 'apiDefinition.swagger.json', pointer: '/paths/~1x/get', rule: 'trigger-hint-required', severity: 'warn', message: 'm' };
const error: Finding = { ...warning, rule: 'OperationIdNotUnique', severity: 'error' };

describe('accepted warnings', () => {
  it('parses entries and rejects one without a reason', () => {
    const { entries, findings } = parseAcceptances([
      'accepted:',
      '  - rule: trigger-hint-required',
      "    pointer: /paths/~1x/get",
      '    reason: The trigger fires on a schedule the maker cannot provoke.',
      '  - rule: x',
      '    pointer: /y',
    ].join('\n'));
    expect(entries).toEqual([{ rule: 'trigger-hint-required', pointer: '/paths/~1x/get', file: 'apiDefinition.swagger.json', reason: 'The trigger fires on a schedule the maker cannot provoke.' }]);
    expect(findings.map((f) => [f.rule, f.pointer])).toEqual([['accepted-warning-invalid', '/accepted/1']]);
  });

  it('moves a matching warning to accepted with its reason, never an error, and reports unused entries', () => {
    const entries = [
      { rule: 'trigger-hint-required', pointer: '/paths/~1x/get', file: 'apiDefinition.swagger.json', reason: 'r1' },
      { rule: 'OperationIdNotUnique', pointer: '/paths/~1x/get', file: 'apiDefinition.swagger.json', reason: 'r2' },
    ];
    const { open, accepted } = applyAcceptances([warning, error], entries);
    expect(accepted).toEqual([{ ...warning, reason: 'r1' }]);
    expect(open.map((f) => f.rule)).toEqual(['OperationIdNotUnique', 'accepted-warning-unused']);
    expect(open[1].pointer).toBe('/accepted/1');
  });

  it('lets a * segment of the pointer or file stand for any one segment, never for several', () => {
    const at = (file: string, pointer: string): Finding => ({ ...warning, rule: 'OperationHasManyResponsesWithSchema', file, pointer });
    const entries = [{ rule: 'OperationHasManyResponsesWithSchema', pointer: '/paths/*/*/responses', file: 'brands/*/apiDefinition.swagger.json', reason: 'r' }];
    const findings = [
      at('brands/mobili-stotele/apiDefinition.swagger.json', '/paths/~1list~1calls/get/responses'),
      at('brands/mobili-stotele/apiDefinition.swagger.json', '/paths/~1dial/post/responses'),
      at('apiDefinition.swagger.json', '/paths/~1dial/post/responses'),
      at('brands/mobili-stotele/apiDefinition.swagger.json', '/paths/~1dial/post/responses/200'),
    ];
    const { open, accepted } = applyAcceptances(findings, entries);
    expect(accepted.map((f) => f.pointer)).toEqual(['/paths/~1list~1calls/get/responses', '/paths/~1dial/post/responses']);
    expect(open.map((f) => `${f.file}#${f.pointer}`)).toEqual(['apiDefinition.swagger.json#/paths/~1dial/post/responses', 'brands/mobili-stotele/apiDefinition.swagger.json#/paths/~1dial/post/responses/200']);
  });
});

describe('the committed accepted-warnings file', () => {
  it('parses', async () => {
    const { loadAcceptances, ACCEPTED_FILE } = await import('../../checks/accepted');
    const { resolve } = await import('node:path');
    const loaded = loadAcceptances(resolve(__dirname, '../..', ACCEPTED_FILE));
    expect(loaded.findings).toEqual([]);
    for (const entry of loaded.entries) expect(entry.reason.length).toBeGreaterThan(10);
  });

  it('an empty list skips the parser but a non-empty one is read', async () => {
    const { loadAcceptances } = await import('../../checks/accepted');
    const { mkdtempSync, writeFileSync, rmSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'accepted-'));
    try {
      writeFileSync(join(dir, 'a.yaml'), '# none\naccepted: []\n');
      expect(loadAcceptances(join(dir, 'a.yaml')).entries).toEqual([]);
      writeFileSync(join(dir, 'b.yaml'), 'accepted: [{ rule: r, pointer: /p, reason: because it is so }]\n');
      expect(loadAcceptances(join(dir, 'b.yaml')).entries).toEqual([{ rule: 'r', pointer: '/p', file: 'apiDefinition.swagger.json', reason: 'because it is so' }]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
