/**
 * `npm run check -- --dir` on broken folders: every kind gives a finding that names what is wrong
 * and the right exit code (3: the folder could not be checked at all; 1: findings at the fail
 * severity; 0: only warnings), never a stack trace; and a batch with broken folders still reports
 * every other folder. Failures the machine cannot produce (a permission error while the tests run
 * as root, who reads everything) go through an injected file system.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NODE_FS, type CheckFs } from '../../checks/files';
import { exitCode } from '../../checks/format';
import { type CheckOptions, MAX_DUPLICATE_KEY_FINDINGS, MAX_JSON_DEPTH, runCheck } from '../../checks/run';
import type { Finding } from '../../lib/finding';
import { baseFiles } from './fixture';

const root = resolve(__dirname, '../..');
const cacheDir = resolve(root, '.cache');
let tmp: string;
beforeAll(() => { tmp = mkdtempSync(join(tmpdir(), 'check-broken-')); });
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

type Files = ReturnType<typeof baseFiles>;

/** A clean connector folder (the fixture), changed by `mutate`; returns its path. */
function folder(name: string, mutate: (files: Files, dir: string) => void = () => undefined): string {
  const dir = join(tmp, name);
  mkdirSync(dir, { recursive: true });
  const files = baseFiles();
  writeFileSync(join(dir, 'apiProperties.json'), JSON.stringify(files.properties));
  writeFileSync(join(dir, 'script.csx'), files.script);
  writeFileSync(join(dir, 'apiDefinition.swagger.json'), JSON.stringify(files.definition));
  mutate(files, dir);
  return dir;
}

const writeDefinition = (dir: string, text: string | Buffer): void => writeFileSync(join(dir, 'apiDefinition.swagger.json'), text);
const nested = (levels: number, open: string, close: string, inner: string): string => open.repeat(levels) + inner + close.repeat(levels);
const errnoError = (code: string, message: string): NodeJS.ErrnoException => Object.assign(new Error(`${code}: ${message}`), { code });

interface Kind {
  name: string;
  make: () => string;
  fs?: CheckFs;
  /** The finding that says what is wrong. */
  finding: Partial<Omit<Finding, 'message'>> & { message: RegExp };
  exit: 0 | 1 | 3;
  /**
   * Checked through the real command, bounded in time (far above the half second it takes): should a walk turn
   * exponential again, the test fails instead of hanging the run (a synchronous loop in-process would).
   */
  spawned?: true;
}

const kinds: Kind[] = [
  { name: 'a folder that does not exist', make: () => join(tmp, 'no-such-folder'), finding: { rule: 'folder-readable', message: /no-such-folder does not exist/ }, exit: 3 },
  { name: 'a file given as the folder', make: () => join(folder('file-as-folder'), 'script.csx'), finding: { rule: 'folder-readable', message: /is a file, not a folder/ }, exit: 3 },
  {
    name: 'a folder that is a symbolic link loop',
    make: () => { const a = join(tmp, 'loop-a'); symlinkSync(join(tmp, 'loop-b'), a); symlinkSync(a, join(tmp, 'loop-b')); return a; },
    finding: { rule: 'folder-readable', message: /loop-a is a symbolic link loop/ },
    exit: 3,
  },
  {
    name: 'a folder that cannot be entered (permission)',
    make: () => folder('locked-folder'),
    fs: { ...NODE_FS, enter: () => { throw errnoError('EACCES', 'permission denied'); } },
    finding: { rule: 'folder-readable', message: /locked-folder cannot be read: permission denied/ },
    exit: 3,
  },
  { name: 'no definition', make: () => folder('no-definition', (_, dir) => rmSync(join(dir, 'apiDefinition.swagger.json'))), finding: { rule: 'file-readable', file: 'apiDefinition.swagger.json', message: /is missing .*nothing to import/ }, exit: 3 },
  {
    name: 'a definition that is a folder',
    make: () => folder('definition-folder', (_, dir) => { rmSync(join(dir, 'apiDefinition.swagger.json')); mkdirSync(join(dir, 'apiDefinition.swagger.json')); }),
    finding: { rule: 'file-readable', file: 'apiDefinition.swagger.json', message: /is a folder, not a file \(.*definition-folder/ },
    exit: 3,
  },
  {
    name: 'a definition that cannot be read (permission)',
    make: () => folder('definition-locked'),
    fs: { ...NODE_FS, readFile: (path) => { if (path.endsWith('apiDefinition.swagger.json')) throw errnoError('EACCES', 'permission denied'); return NODE_FS.readFile(path); } },
    finding: { rule: 'file-readable', file: 'apiDefinition.swagger.json', message: /cannot be read: permission denied \(.*definition-locked/ },
    exit: 3,
  },
  {
    name: 'a definition that is a symbolic link loop',
    make: () => folder('definition-loop', (_, dir) => {
      rmSync(join(dir, 'apiDefinition.swagger.json'));
      symlinkSync(join(dir, 'other.json'), join(dir, 'apiDefinition.swagger.json'));
      symlinkSync(join(dir, 'apiDefinition.swagger.json'), join(dir, 'other.json'));
    }),
    finding: { rule: 'file-readable', message: /is a symbolic link loop/ },
    exit: 3,
  },
  {
    // Reading a named pipe would wait forever for a writer.
    name: 'a definition that is a named pipe',
    make: () => folder('definition-fifo', (_, dir) => { rmSync(join(dir, 'apiDefinition.swagger.json')); execFileSync('mkfifo', [join(dir, 'apiDefinition.swagger.json')], { stdio: 'ignore' }); }),
    finding: { rule: 'file-readable', message: /is a named pipe \(FIFO\), not a file/ },
    exit: 3,
  },
  { name: 'an empty definition', make: () => folder('empty', (_, dir) => writeDefinition(dir, '')), finding: { rule: 'file-readable', message: /not valid JSON at line 1, column 1: the file is empty/ }, exit: 1 },
  {
    // V8 says `Unexpected token '}', "…" is not valid JSON`, with no position.
    name: 'invalid JSON where the parser names no position',
    make: () => folder('bare-word', (_, dir) => writeDefinition(dir, '{\n  "swagger": "2.0",\n  "schemes": [https]\n}\n')),
    finding: { rule: 'file-readable', message: /line 3, column 15: 'https' is not a JSON value/ },
    exit: 1,
  },
  {
    name: 'a truncated definition',
    make: () => folder('truncated', (f, dir) => { const text = JSON.stringify(f.definition); writeDefinition(dir, text.slice(0, text.indexOf('"paths":{') + 9)); }),
    finding: { rule: 'file-readable', message: /line 1, column \d+: the text ends while 2 brackets are still open/ },
    exit: 1,
  },
  {
    name: 'bytes that are not UTF-8 (a warning with the byte offset; the rest is checked)',
    make: () => folder('latin1', (f, dir) => {
      const text = JSON.stringify(f.definition).replace('"Calls"', '"Calls \u00e9"');
      const at = Buffer.byteLength(text.slice(0, text.indexOf('\u00e9')));
      writeDefinition(dir, Buffer.concat([Buffer.from(text.slice(0, text.indexOf('\u00e9'))), Buffer.from([0xe9]), Buffer.from(text.slice(text.indexOf('\u00e9') + 1))]));
      expect(at).toBeGreaterThan(0);
    }),
    finding: { rule: 'file-encoding', severity: 'warn', message: /is not UTF-8 at byte \d+ \(line 1, column \d+\)/ },
    exit: 0,
  },
  {
    // JSON.parse keeps the second 200 in silence: the first one's schema is lost to every reader like it.
    name: 'a definition that repeats a key (a warning at the repeat, with line and column; the rest is checked)',
    make: () => folder('repeated-key', (f, dir) => {
      const text = JSON.stringify(f.definition, null, 2);
      const at = text.indexOf('"responses": {', text.indexOf('"/calls/{call_id}"')) + '"responses": {'.length;
      writeDefinition(dir, `${text.slice(0, at)}\n        "200": { "description": "Written first, never read." },${text.slice(at)}`);
    }),
    finding: { rule: 'file-duplicate-key', severity: 'warn', pointer: '/paths/~1calls~1{call_id}/get/responses/200', message: /repeats the key "200" in one object \(line \d+, column \d+\)/ },
    exit: 0,
  },
  {
    name: 'a schema nested 5,000 levels deep',
    make: () => folder('deep-schema', (f, dir) => writeDefinition(dir, JSON.stringify(f.definition).replace('"definitions":{', `"definitions":{"Deep":${nested(5000, '{"type":"object","properties":{"a":', '}}', '{"type":"string"}')},`))),
    finding: { rule: 'file-depth', message: new RegExp(`nests deeper than ${MAX_JSON_DEPTH} levels`) },
    exit: 1,
  },
  {
    name: 'an array nested 5,000 levels deep',
    make: () => folder('deep-array', (f, dir) => writeDefinition(dir, JSON.stringify(f.definition).replace('"definitions":{', `"x-deep":${nested(5000, '[', ']', '1')},"definitions":{`))),
    finding: { rule: 'file-depth', pointer: `/x-deep${'/0'.repeat(MAX_JSON_DEPTH - 1)}`, message: /nests deeper/ },
    exit: 1,
  },
  {
    // The schema walks follow $refs; a definition reused twice at every level has 2^40 paths through them
    // (as an output, a body with a callback URL, and the notification content). Each location is walked once.
    name: 'schemas that reuse a definition twice at each of 40 levels (2^40 paths through $refs)',
    make: () => folder('ref-doubling', (f, dir) => {
      for (let i = 0; i < 40; i++) f.definition.definitions[`Level${i}`] = { type: 'object', properties: { a: { $ref: `#/definitions/Level${i + 1}` }, b: { $ref: `#/definitions/Level${i + 1}` } } };
      f.definition.definitions.Level40 = { type: 'string' };
      f.definition.paths['/calls/{call_id}'].get.responses['200'].schema = { $ref: '#/definitions/Level0' };
      const hook = f.definition.paths['/webhooks/CallStarted'];
      hook.post.parameters[0].schema.properties.deep = { $ref: '#/definitions/Level0' };
      hook['x-ms-notification-content'].schema = { $ref: '#/definitions/Level0' };
      writeDefinition(dir, JSON.stringify(f.definition));
    }),
    finding: { rule: 'BodySchemaCountExceedsMaxAllowed', severity: 'error', message: /\(at least 5\d\d\) exceeds the max schema count allowed value of '512'/ },
    exit: 1,
    spawned: true,
  },
  { name: 'a definition that is a JSON array', make: () => folder('array-definition', (_, dir) => writeDefinition(dir, '[1, 2]')), finding: { rule: 'swagger-schema', message: /must be object/ }, exit: 1 },
  {
    name: 'a definition of 17 MB (a sparse file, never read)',
    make: () => folder('huge', (_, dir) => truncateSync(join(dir, 'apiDefinition.swagger.json'), 17 * 1024 * 1024)),
    finding: { rule: 'file-readable', message: /is 17\.0 MB .*reads at most 16\.0 MB/ },
    exit: 1,
  },
  {
    name: 'apiProperties.json that is a folder (the definition is still checked)',
    make: () => folder('properties-folder', (_, dir) => { rmSync(join(dir, 'apiProperties.json')); mkdirSync(join(dir, 'apiProperties.json')); }),
    finding: { rule: 'file-readable', file: 'apiProperties.json', message: /is a folder, not a file/ },
    exit: 1,
  },
  {
    name: 'apiProperties.json that is JSON but no object (null)',
    make: () => folder('properties-null', (_, dir) => writeFileSync(join(dir, 'apiProperties.json'), 'null')),
    finding: { rule: 'api-properties-structure', file: 'apiProperties.json', message: /holds null, not an object/ },
    exit: 1,
  },
  {
    name: 'apiProperties.json nested 5,000 levels deep',
    make: () => folder('deep-properties', (_, dir) => writeFileSync(join(dir, 'apiProperties.json'), `{"properties":${nested(5000, '{"a":', '}', '1')}}`)),
    finding: { rule: 'file-depth', file: 'apiProperties.json', message: /nests deeper/ },
    exit: 1,
  },
  {
    name: 'script.csx that is a folder',
    make: () => folder('script-folder', (_, dir) => { rmSync(join(dir, 'script.csx')); mkdirSync(join(dir, 'script.csx')); }),
    finding: { rule: 'file-readable', file: 'script.csx', message: /script\.csx is a folder, not a file/ },
    exit: 1,
  },
  {
    name: 'a $ref with broken percent-encoding',
    make: () => folder('bad-ref', (f, dir) => { f.definition.paths['/calls/{call_id}'].get.responses['200'].schema = { $ref: '#/definitions/100%' }; writeDefinition(dir, JSON.stringify(f.definition)); }),
    finding: { rule: 'SchemaReferenceNotFound', message: /100%/ },
    exit: 1,
  },
  {
    name: 'paths, operations and parameters of the wrong types',
    make: () => folder('odd-shapes', (f, dir) => {
      f.definition.paths['/calls/{call_id}'].get.parameters = null;
      f.definition.paths['/dial'] = { post: 'not an operation', parameters: 7 };
      f.definition.definitions.Call.properties = ['not', 'a', 'map'];
      writeDefinition(dir, JSON.stringify(f.definition));
    }),
    finding: { rule: 'swagger-schema', severity: 'error', message: /Swagger 2\.0 schema/ },
    exit: 1,
  },
  {
    // Whatever goes wrong inside the check is that folder's finding.
    name: 'a failure of the check itself',
    make: () => folder('check-fails'),
    fs: { ...NODE_FS, readFile: (path) => (path.endsWith('apiDefinition.swagger.json') ? (undefined as unknown as Buffer) : NODE_FS.readFile(path)) },
    finding: { rule: 'check-internal', message: /The check itself failed while reading .*TypeError/ },
    exit: 3,
  },
];

/** Each kind's folder is made once, for its own test and for the batch through the real command. */
const made = new Map<Kind, string>();
const dirOf = (kind: Kind): string => {
  if (!made.has(kind)) made.set(kind, kind.make());
  return made.get(kind)!;
};

describe('npm run check on broken folders', () => {
  it(`covers at least 20 kinds`, () => {
    expect(kinds.length).toBeGreaterThanOrEqual(20);
  });

  for (const kind of kinds) {
    it(`${kind.name}: a finding and exit ${kind.exit}`, async () => {
      let findings: Finding[];
      if (kind.spawned) {
        const run = spawnSync(process.execPath, ['scripts/run-ts.js', 'scripts/check.ts', '--dir', dirOf(kind), '--format', 'json'], { cwd: root, encoding: 'utf8', timeout: 60_000 });
        expect({ status: run.status, signal: run.signal, stderr: run.stderr }).toEqual({ status: kind.exit, signal: null, stderr: '' });
        findings = (JSON.parse(run.stdout) as { findings: Finding[] }).findings;
      } else {
        const options: CheckOptions = { root: join(tmp, 'elsewhere'), dir: dirOf(kind), cacheDir, ...(kind.fs ? { fs: kind.fs } : {}) };
        const result = await runCheck(options);
        expect(exitCode(result, 'error')).toBe(kind.exit);
        findings = result.findings;
      }
      const { message, ...rest } = kind.finding;
      const match = findings.find((f) => Object.entries(rest).every(([k, v]) => f[k as keyof Finding] === v) && message.test(f.message));
      expect(match, JSON.stringify(findings.slice(0, 5), null, 2)).toBeDefined();
      if (kind.exit !== 3) expect(findings.map((f) => f.rule)).not.toContain('check-internal');
    }, 90_000);
  }

  it(`checks a schema nested just under the bound (${MAX_JSON_DEPTH} levels) completely: the validators stay on the stack`, async () => {
    const dir = folder('deep-but-allowed', (f, d) => {
      let inner: unknown = { type: 'string', description: 'Leaf.', 'x-ms-summary': 'Leaf' };
      // Each level is two JSON levels (`properties`, then the property); the document adds three.
      for (let i = 0; i < (MAX_JSON_DEPTH - 4) / 2; i++) inner = { type: 'object', description: 'Level.', 'x-ms-summary': 'Level', properties: { a: inner } };
      f.definition.definitions.Deep = inner;
      f.definition.paths['/calls/{call_id}'].get.responses['200'].schema = { $ref: '#/definitions/Deep' };
      writeDefinition(d, JSON.stringify(f.definition));
    });
    const result = await runCheck({ root: join(tmp, 'elsewhere'), dir, cacheDir });
    expect(result.findings.map((f) => f.rule)).not.toContain('file-depth');
    expect(result.findings.map((f) => f.rule)).not.toContain('check-internal');
    expect(result.steps?.filter((s) => s.status === 'ran').map((s) => s.step)).toEqual(['swagger-parser', 'rules']);
  });

  it(`lists the first ${MAX_DUPLICATE_KEY_FINDINGS} repeated keys of a file one by one, then one finding counts the rest`, async () => {
    const dir = folder('many-repeats', (_, d) => {
      const text = readFileSync(join(d, 'apiProperties.json'), 'utf8');
      writeFileSync(join(d, 'apiProperties.json'), `{${Array.from({ length: MAX_DUPLICATE_KEY_FINDINGS + 5 }, (_, i) => `"k${i}":1,"k${i}":2`).join(',')},${text.slice(1)}`);
    });
    const result = await runCheck({ root: join(tmp, 'elsewhere'), dir, cacheDir });
    const repeats = result.findings.filter((f) => f.rule === 'file-duplicate-key');
    expect(repeats.map((f) => f.pointer)).toEqual([...Array.from({ length: MAX_DUPLICATE_KEY_FINDINGS }, (_, i) => `/k${i}`), '']);
    expect(repeats.every((f) => f.file === 'apiProperties.json' && f.severity === 'warn')).toBe(true);
    expect(repeats[MAX_DUPLICATE_KEY_FINDINGS].message).toMatch(/repeats 5 more keys beyond the 20 listed/);
  });

  it('checks what it can beside a broken apiProperties.json: the definition\'s rules still ran', async () => {
    const dir = folder('properties-folder-rules', (f, d) => {
      delete f.definition.paths['/webhooks/CallStarted'].post['x-ms-trigger-hint'];
      writeDefinition(d, JSON.stringify(f.definition));
      rmSync(join(d, 'apiProperties.json'));
      mkdirSync(join(d, 'apiProperties.json'));
    });
    const result = await runCheck({ root: join(tmp, 'elsewhere'), dir, cacheDir });
    expect(result.findings.map((f) => f.rule)).toEqual(expect.arrayContaining(['file-readable', 'trigger-hint-required']));
    expect(result.steps?.find((s) => s.step === 'rules')?.status).toBe('ran');
  });

  it('runs the real command over a batch of every kind the disk can hold and a clean folder: every folder reported, in order, exit 3, no stack trace', () => {
    const onDisk = kinds.filter((k) => !k.fs);
    const clean = folder('batch-clean');
    const dirs = [...onDisk.slice(0, 3).map(dirOf), clean, ...onDisk.slice(3).map(dirOf)];
    const run = spawnSync(process.execPath, ['scripts/run-ts.js', 'scripts/check.ts', ...dirs.flatMap((d) => ['--dir', d]), '--format', 'json'], { cwd: root, encoding: 'utf8', timeout: 120_000 });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(3);
    const lines = run.stdout.trim().split('\n').map((line) => JSON.parse(line) as { dir: string; findings: Finding[]; summary: { errors: number; unchecked?: string } });
    expect(lines.map((l) => l.dir)).toEqual(dirs);
    const cleanLine = lines[3];
    expect(cleanLine.summary.errors).toBe(0);
    expect(cleanLine.summary.unchecked).toBeUndefined();
    const reported = lines.filter((l) => l !== cleanLine);
    onDisk.forEach((kind, i) => {
      const line = reported[i];
      expect(line.findings.some((f) => f.rule === kind.finding.rule && kind.finding.message.test(f.message)), `${kind.name}: ${JSON.stringify(line.findings.slice(0, 3))}`).toBe(true);
      expect(line.summary.unchecked !== undefined, kind.name).toBe(kind.exit === 3);
    });
  }, 150_000);

  it('exits 1 for a folder with errors and 0 for a clean one, from the real command', () => {
    const run = (dir: string): number | null => spawnSync(process.execPath, ['scripts/run-ts.js', 'scripts/check.ts', '--dir', dir], { cwd: root, encoding: 'utf8' }).status;
    expect(run(folder('cli-clean'))).toBe(0);
    expect(run(folder('cli-empty', (_, dir) => writeDefinition(dir, '')))).toBe(1);
  });
});
