import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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

  it('defaults to text output, the own connector, and the fail severity chosen per folder', () => {
    expect(parse([])).toEqual({ dir: [], format: 'text', 'fail-severity': undefined, 'ms-schemas': undefined });
  });

  it('reads every option, --dir repeated, folders resolved against the working directory', () => {
    // --ms-schemas must hold Microsoft's definition schema.
    const schemas = mkdtempSync(join(tmpdir(), 'check-cli-schemas-'));
    try {
      writeFileSync(join(schemas, 'apiDefinition.swagger.schema.json'), '{}');
      expect(parse(['--dir', 'connector', '--format', 'json', '--fail-severity', 'warn', '--ms-schemas', schemas, '--dir', 'lib'])).toEqual({
        dir: [join(root, 'connector'), join(root, 'lib')], format: 'json', 'fail-severity': 'warn', 'ms-schemas': schemas,
      });
    } finally {
      rmSync(schemas, { recursive: true, force: true });
    }
  });

  it('rejects unknown options and bad values', () => {
    expect(() => parse(['--formt', 'json'])).toThrow(/unknown flag --formt; did you mean --format\?/);
    expect(() => parse(['--format', 'xml'])).toThrow(/--format expects text or json/);
    expect(() => parse(['--dir'])).toThrow(/--dir needs a value/);
    // A folder that does not exist is that folder's finding (exit 3), not a usage mistake: a batch goes on.
    expect(parse(['--dir', 'no-such-folder']).dir).toEqual([join(root, 'no-such-folder')]);
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
          const stdout = execFileSync(process.execPath, ['scripts/run-ts.js', 'scripts/check.ts', '--dir', dir, '--format', 'json', ...extra], { cwd: root, encoding: 'utf8' });
          return { status: 0, stdout };
        } catch (error) {
          const e = error as { status: number; stdout: string };
          return { status: e.status, stdout: e.stdout };
        }
      };
      // One process (start-up is the slow part): warnings fail only because of --fail-severity warn.
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

  // --help (once, to stdout, exit 0) is spawned with every other command in test/cli/commands.test.ts.

  it('checks many folders in one process: one JSON object per line, each with its dir', () => {
    const dir = mkdtempSync(join(tmpdir(), 'check-many-'));
    try {
      const write = (name: string, mutate: (f: ReturnType<typeof baseFiles>) => void): string => {
        const files = baseFiles();
        mutate(files);
        const at = join(dir, name);
        mkdirSync(at);
        writeFileSync(join(at, 'apiDefinition.swagger.json'), JSON.stringify(files.definition));
        writeFileSync(join(at, 'apiProperties.json'), JSON.stringify(files.properties));
        return at;
      };
      const clean = write('clean', () => undefined);
      const broken = write('broken', (f) => { delete f.definition.paths['/webhooks/{webhook_id}']; });
      let status = 0;
      let stdout = '';
      try {
        stdout = execFileSync(process.execPath, ['scripts/run-ts.js', 'scripts/check.ts', '--dir', clean, '--dir', broken, '--format', 'json'], { cwd: root, encoding: 'utf8' });
      } catch (error) {
        ({ status, stdout } = error as { status: number; stdout: string });
      }
      expect(status).toBe(1);
      const lines = stdout.trim().split('\n').map((line) => JSON.parse(line));
      expect(lines.map((l) => l.dir)).toEqual([clean, broken]);
      expect(lines.map((l) => l.summary.errors)).toEqual([0, 1]);
      expect(lines[1].findings.find((f: { severity: string }) => f.severity === 'error').rule).toBe('webhook-unsubscribe');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
