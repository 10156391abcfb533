import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RULES } from '../../checks/rules';
import { parseCommand } from '../../lib/cli';
import { CHECK_CLI } from '../../scripts/check';
import { baseFiles } from './fixture';

const root = resolve(__dirname, '../..');

describe('check CLI arguments', () => {
  const parse = (argv: string[]) => parseCommand(CHECK_CLI, argv, { cwd: root }).flags;

  it('defaults to text output failing on errors', () => {
    expect(parse([])).toEqual({ dir: undefined, format: 'text', 'fail-severity': 'error', 'ms-schemas': undefined });
  });

  it('reads every option, folders resolved against the working directory', () => {
    expect(parse(['--dir', 'connector', '--format', 'json', '--fail-severity', 'warn', '--ms-schemas', 'checks'])).toEqual({
      dir: join(root, 'connector'), format: 'json', 'fail-severity': 'warn', 'ms-schemas': join(root, 'checks'),
    });
  });

  it('rejects unknown options and bad values', () => {
    expect(() => parse(['--formt', 'json'])).toThrow(/unknown flag --formt; did you mean --format\?/);
    expect(() => parse(['--format', 'xml'])).toThrow(/--format expects text or json/);
    expect(() => parse(['--dir'])).toThrow(/--dir needs a value/);
    expect(() => parse(['--dir', 'no-such-folder'])).toThrow(/--dir expects an existing folder/);
  });

  it('runs end to end: JSON output, and warnings fail with --fail-severity warn', () => {
    const dir = mkdtempSync(join(tmpdir(), 'check-cli-'));
    try {
      const files = baseFiles();
      delete files.definition.paths['/webhooks/CallStarted'].post['x-ms-trigger-hint'];
      writeFileSync(join(dir, 'apiDefinition.swagger.json'), JSON.stringify(files.definition));
      writeFileSync(join(dir, 'apiProperties.json'), JSON.stringify(files.properties));
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
