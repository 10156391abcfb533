import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RULES } from '../../checks/rules';
import { parseArgs } from '../../scripts/check';
import { baseFiles } from './fixture';

describe('check CLI arguments', () => {
  it('defaults to text output failing on errors', () => {
    expect(parseArgs([])).toEqual({ format: 'text', failSeverity: 'error' });
  });

  it('reads every option', () => {
    expect(parseArgs(['--dir', 'x', '--format', 'json', '--fail-severity', 'warn', '--ms-schemas', 'y'])).toEqual({
      dir: 'x', format: 'json', failSeverity: 'warn', msSchemas: 'y',
    });
  });

  it('rejects unknown options and bad values', () => {
    expect(() => parseArgs(['--formt', 'json'])).toThrow(/unknown option/);
    expect(() => parseArgs(['--format', 'xml'])).toThrow(/text or json/);
    expect(() => parseArgs(['--dir'])).toThrow(/needs a value/);
  });

  it('runs end to end: JSON output, and warnings fail with --fail-severity warn', () => {
    const dir = mkdtempSync(join(tmpdir(), 'check-cli-'));
    try {
      const files = baseFiles();
      delete files.definition.paths['/webhooks/CallStarted'].post['x-ms-trigger-hint'];
      writeFileSync(join(dir, 'apiDefinition.swagger.json'), JSON.stringify(files.definition));
      writeFileSync(join(dir, 'apiProperties.json'), JSON.stringify(files.properties));
      const root = resolve(__dirname, '../..');
      const run = (extra: string[]): { status: number; stdout: string } => {
        try {
          const stdout = execFileSync(join(root, 'node_modules/.bin/ts-node'), ['scripts/check.ts', '--dir', dir, '--format', 'json', ...extra], { cwd: root, encoding: 'utf8' });
          return { status: 0, stdout };
        } catch (error) {
          const e = error as { status: number; stdout: string };
          return { status: e.status, stdout: e.stdout };
        }
      };
      // One process (ts-node startup is the slow part): warnings fail only because of --fail-severity warn.
      const strict = run(['--fail-severity', 'warn']);
      expect(strict.status).toBe(1);
      const report = JSON.parse(strict.stdout);
      expect(report.summary).toMatchObject({ errors: 0, warnings: 1, accepted: 0 });
      expect(report.summary.steps.map((s: { label: string; status: string }) => `${s.label}: ${s.status}`)).toEqual([
        'freshness: skipped', 'swagger-parser: ran', `${RULES.length} rules: ran`, 'compatibility: skipped', 'Microsoft schemas: skipped',
      ]);
      expect(report.findings[0]).toEqual({
        file: 'apiDefinition.swagger.json', pointer: '/paths/~1webhooks~1CallStarted/post', rule: 'trigger-hint-required', severity: 'warn',
        message: "The trigger 'CallStarted' has no 'x-ms-trigger-hint'.",
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
