import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RULES } from '../../checks/rules';
import { parseArgs } from '../../scripts/check';
import { baseFiles } from './fixture';

describe('check CLI arguments', () => {
  it('defaults to text output, the own connector, and the fail severity chosen per folder', () => {
    expect(parseArgs([])).toEqual({ dirs: [], format: 'text' });
  });

  it('reads every option, --dir repeated', () => {
    expect(parseArgs(['--dir', 'x', '--format', 'json', '--fail-severity', 'warn', '--ms-schemas', 'y', '--dir', 'z'])).toEqual({
      dirs: ['x', 'z'], format: 'json', failSeverity: 'warn', msSchemas: 'y',
    });
  });

  it('reads --help and -h as a request for help, not an error', () => {
    expect(parseArgs(['--help']).help).toBe(true);
    expect(parseArgs(['-h']).help).toBe(true);
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

  it('prints the usage once to stdout and exits 0 for --help', () => {
    const root = resolve(__dirname, '../..');
    const stdout = execFileSync(join(root, 'node_modules/.bin/ts-node'), ['scripts/check.ts', '--help'], { cwd: root, encoding: 'utf8' });
    expect(stdout.match(/^usage: npm run check/gm)).toHaveLength(1);
    expect(stdout).toContain('--dir <folder>');
  });

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
      const root = resolve(__dirname, '../..');
      let status = 0;
      let stdout = '';
      try {
        stdout = execFileSync(join(root, 'node_modules/.bin/ts-node'), ['scripts/check.ts', '--dir', clean, '--dir', broken, '--format', 'json'], { cwd: root, encoding: 'utf8' });
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
