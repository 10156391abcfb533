import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../../lib/finding';
import { RULES } from '../../checks/rules';
import { type CompatGuard, runCheck } from '../../checks/run';
import { baseFiles } from './fixture';

let tmp: string;
let cacheDir: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'check-run-'));
  // The project's own (git-ignored) cache: the compiled Swagger validator is reused across runs.
  cacheDir = resolve(__dirname, '../../.cache');
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;

/** Writes a connector folder; returns its path. */
function folder(name: string, mutate: (files: ReturnType<typeof baseFiles>) => void = () => undefined): string {
  const dir = join(tmp, name);
  mkdirSync(dir, { recursive: true });
  const files = baseFiles();
  mutate(files);
  writeFileSync(join(dir, 'apiDefinition.swagger.json'), json(files.definition));
  writeFileSync(join(dir, 'apiProperties.json'), json(files.properties));
  writeFileSync(join(dir, 'script.csx'), files.script);
  return dir;
}

const noCompat: CompatGuard = { loadBaseline: () => ({}), checkCompatibility: () => [] };

describe('runCheck', () => {
  it('finds nothing in a clean foreign folder, and skips freshness and compat there', async () => {
    const dir = folder('clean');
    const result = await runCheck({ root: join(tmp, 'elsewhere'), dir, cacheDir });
    expect(result).toEqual({ findings: [], accepted: [], steps: expect.any(Array) });
    expect(result.steps).toEqual([
      { step: 'freshness', label: 'freshness', status: 'skipped', reason: 'own connector only' },
      { step: 'swagger-parser', label: 'swagger-parser', status: 'ran' },
      { step: 'rules', label: `${RULES.length} rules`, status: 'ran' },
      { step: 'compatibility', label: 'compatibility', status: 'skipped', reason: 'own connector only' },
      { step: 'ms-schemas', label: 'Microsoft schemas', status: 'skipped', reason: 'pass --ms-schemas <dir>' },
    ]);
  });

  it('with Microsoft\'s schemas, says where they are stale: scriptOperations and settings\' script, which paconn reads', async () => {
    const schemas = join(tmp, 'ms-schemas');
    mkdirSync(schemas, { recursive: true });
    // Permissive stand-ins for the three schema files: only the step's report is under test here.
    writeFileSync(join(schemas, 'apiDefinition.swagger.schema.json'), '{ "$schema": "http://json-schema.org/draft-04/schema#", "type": "object" }');
    writeFileSync(join(schemas, 'paconn-apiProperties.schema.json'), '{ "type": "object", "properties": { "properties": { "type": "object", "properties": {} } } }');
    writeFileSync(join(schemas, 'paconn-settings.schema.json'), '{ "type": "object", "properties": {} }');
    const result = await runCheck({ root: join(tmp, 'elsewhere'), dir: folder('with-schemas'), cacheDir, msSchemasDir: schemas });
    expect(result.steps?.find((s) => s.step === 'ms-schemas')).toEqual({
      step: 'ms-schemas',
      label: "Microsoft schemas (Microsoft's schemas refuse properties.scriptOperations and settings.json's script, which paconn reads: both allowed)",
      status: 'ran',
    });
  });

  it('collects findings of every step in one pass', async () => {
    const dir = folder('broken', (f) => {
      f.definition.paths['/calls/{call_id}'].get.operationId = 'GetCalls';
      delete f.definition.paths['/webhooks/CallStarted'].post['x-ms-trigger-hint'];
      f.script = 'using System.Reflection;\n' + f.script;
    });
    const result = await runCheck({ root: join(tmp, 'elsewhere'), dir, cacheDir });
    const rules = result.findings.map((f) => f.rule);
    expect(rules).toEqual(expect.arrayContaining(['swagger-spec', 'OperationIdNotUnique', 'trigger-hint-required', 'script-namespaces']));
  });

  it('reports a Swagger 2.0 schema violation with its pointer', async () => {
    const dir = folder('schema', (f) => {
      f.definition.paths['/calls/{call_id}'].get.parameters[0].in = 'paath';
    });
    const result = await runCheck({ root: join(tmp, 'elsewhere'), dir, cacheDir });
    expect(result.findings).toContainEqual(expect.objectContaining({ rule: 'swagger-schema', pointer: '/paths/~1calls~1{call_id}/get/parameters/0' }));
  });

  it('reports an extra keyword and an empty required list as warnings, and still runs the semantic step', async () => {
    const dir = folder('tolerated', (f) => {
      // OpenAPI 3 leftovers certified connectors ship with: `nullable`, `required: []`.
      f.definition.definitions.Call.properties.caller.nullable = true;
      f.definition.definitions.Call.required = [];
      f.definition.paths['/calls/{call_id}'].get.parameters[0].name = 'callid';
    });
    const result = await runCheck({ root: join(tmp, 'elsewhere'), dir, cacheDir });
    const swagger = result.findings.filter((f) => f.rule.startsWith('swagger-')).map((f) => [f.rule, f.severity, f.pointer]);
    expect(swagger).toEqual([
      ['swagger-schema', 'warn', '/definitions/Call/required'],
      ['swagger-schema', 'warn', '/definitions/Call/properties/caller'],
      ['swagger-spec', 'error', '/paths/~1calls~1{call_id}/get'],
    ]);
  });

  it('reports a required name no property declares as a warning, tolerates an array without items, and still finds the real semantic error', async () => {
    const dir = folder('spec-tolerated', (f) => {
      f.definition.definitions.Call.required = ['callID', 'duration'];
      f.definition.definitions.Call.properties.tags = { type: 'array', 'x-ms-summary': 'Tags', description: 'Labels.' };
      f.definition.paths['/calls/{call_id}'].get.parameters[0].name = 'callid';
    });
    const result = await runCheck({ root: join(tmp, 'elsewhere'), dir, cacheDir });
    const spec = result.findings.filter((f) => f.rule === 'swagger-spec').map((f) => [f.severity, f.pointer, f.message]);
    expect(spec).toEqual([
      ['warn', '/definitions/Call/required', "'required' lists 'duration', which 'Call' does not declare."],
      ['error', '/paths/~1calls~1{call_id}/get', expect.stringMatching(/no corresponding \{callid\}/)],
    ]);
    expect(result.findings).toContainEqual(expect.objectContaining({ rule: 'ArrayHasNoItems', severity: 'warn', pointer: '/definitions/Call/properties/tags' }));
  });

  it('reports unreadable and missing files instead of crashing', async () => {
    const dir = folder('unreadable');
    writeFileSync(join(dir, 'apiDefinition.swagger.json'), '{ "swagger": "2.0", ');
    rmSync(join(dir, 'apiProperties.json'));
    const result = await runCheck({ root: join(tmp, 'elsewhere'), dir, cacheDir });
    expect(result.findings.map((f) => [f.rule, f.file, f.severity])).toEqual([
      ['file-readable', 'apiDefinition.swagger.json', 'error'],
      ['file-readable', 'apiProperties.json', 'warn'],
    ]);
    expect(result.findings[0].message).toMatch(/not valid JSON/);
    expect(result.steps?.map((s) => [s.step, s.status, s.reason])).toEqual([
      ['freshness', 'skipped', 'own connector only'],
      ['swagger-parser', 'skipped', 'apiDefinition.swagger.json unreadable'],
      ['rules', 'skipped', 'apiDefinition.swagger.json unreadable'],
      ['compatibility', 'skipped', 'own connector only'],
      ['ms-schemas', 'skipped', 'pass --ms-schemas <dir>'],
    ]);
  });

  it('reports a missing apiProperties.json as a warning and checks the rest (Truth Enforcer, digisign ship without one)', async () => {
    // The shape of those connectors: a definition and a script, no properties file.
    const dir = folder('no-properties', (f) => { delete f.definition.paths['/webhooks/CallStarted'].post['x-ms-trigger-hint']; });
    rmSync(join(dir, 'apiProperties.json'));
    const result = await runCheck({ root: join(tmp, 'elsewhere'), dir, cacheDir });
    expect(result.findings.filter((f) => f.severity === 'error')).toEqual([]);
    expect(result.findings[0]).toMatchObject({ rule: 'file-readable', file: 'apiProperties.json', severity: 'warn', message: expect.stringMatching(/is missing .*: the definition imports alone/) });
    // The definition's rules still ran.
    expect(result.findings).toContainEqual(expect.objectContaining({ rule: 'trigger-hint-required', file: 'apiDefinition.swagger.json' }));
    expect(result.steps?.find((s) => s.step === 'rules')?.status).toBe('ran');
  });

  it('reports a missing apiDefinition.swagger.json as an error', async () => {
    const dir = folder('no-definition');
    rmSync(join(dir, 'apiDefinition.swagger.json'));
    const result = await runCheck({ root: join(tmp, 'elsewhere'), dir, cacheDir });
    expect(result.findings).toEqual([expect.objectContaining({ rule: 'file-readable', file: 'apiDefinition.swagger.json', severity: 'error', message: expect.stringMatching(/missing .*nothing to import/) })]);
  });

  it('reports invalid JSON with its line and column, naming a non-JSON space (ZohoSign\'s U+2003)', async () => {
    const dir = folder('em-space');
    writeFileSync(join(dir, 'apiDefinition.swagger.json'), '{\n  "swagger": "2.0",\n  "info": {}\u2003,\n  "paths": {}\n}\n');
    const result = await runCheck({ root: join(tmp, 'elsewhere'), dir, cacheDir });
    expect(result.findings[0]).toMatchObject({ rule: 'file-readable', severity: 'error', file: 'apiDefinition.swagger.json' });
    expect(result.findings[0].message).toMatch(/line 3, column 13: character U\+2003 is not JSON whitespace/);
  });

  it('reports a trailing comma at the comma, with its line and column', async () => {
    const dir = folder('trailing-comma');
    writeFileSync(join(dir, 'apiProperties.json'), '{\n  "properties": {\n    "publisher": "x",\n  }\n}\n');
    const result = await runCheck({ root: join(tmp, 'elsewhere'), dir, cacheDir });
    const finding = result.findings.find((f) => f.file === 'apiProperties.json');
    expect(finding?.rule).toBe('file-readable');
    expect(finding?.message).toMatch(/line 3, column 21: a comma before '\}' \(JSON allows no trailing comma\)/);
  });

  it('names the line and column where V8 names no position (a bare word: "Unexpected token" with no offset)', async () => {
    const dir = folder('bare-word');
    writeFileSync(join(dir, 'apiDefinition.swagger.json'), '{\n  "swagger": "2.0",\n  "x-ms-flag": tru\n}\n');
    const result = await runCheck({ root: join(tmp, 'elsewhere'), dir, cacheDir });
    expect(result.findings[0].message).toMatch(/line 3, column 16: 'tru' is not a JSON value/);
  });

  it('strips a UTF-8 byte order mark, warns, and checks the rest (SignNow, Microsoft Bookings)', async () => {
    const dir = folder('bom', (f) => { delete f.definition.paths['/webhooks/CallStarted'].post['x-ms-trigger-hint']; });
    const path = join(dir, 'apiDefinition.swagger.json');
    writeFileSync(path, `\uFEFF${readFileSync(path, 'utf8')}`);
    const result = await runCheck({ root: join(tmp, 'elsewhere'), dir, cacheDir });
    expect(result.findings.map((f) => [f.rule, f.severity])).toEqual([['file-encoding', 'warn'], ['trigger-hint-required', 'warn']]);
    expect(result.findings[0].message).toMatch(/byte order mark/);
  });

  describe('own connector', () => {
    it('flags stale and missing generated files, passes compat findings through, and applies accepted warnings', async () => {
      const root = folder('own', (f) => {
        delete f.definition.paths['/webhooks/CallStarted'].post['x-ms-trigger-hint'];
      });
      mkdirSync(join(root, 'checks'));
      writeFileSync(join(root, 'checks', 'accepted-warnings.yaml'), [
        'accepted:',
        '  - rule: trigger-hint-required',
        '    pointer: /paths/~1webhooks~1CallStarted/post',
        '    reason: Test acceptance.',
      ].join('\n'));
      const compatFinding: Finding = { file: 'apiDefinition.swagger.json', pointer: '/paths/~1dial/post', rule: 'operation-removed', severity: 'error', message: 'Dial was removed.' };
      let comparedWith: unknown;
      const result = await runCheck({
        root,
        cacheDir,
        buildArtifacts: () => [
          { path: 'apiProperties.json', content: 'something else' },
          { path: 'docs/rules.md', content: '# rules\n' },
        ],
        compat: { BASELINE_VERSION: '1.0', loadBaseline: () => 'baseline', checkCompatibility: (baseline) => { comparedWith = baseline; return [compatFinding]; } },
      });
      expect(result.steps?.filter((s) => s.status === 'ran').map((s) => s.label)).toEqual(['freshness', 'swagger-parser', `${RULES.length} rules`, 'compatibility with 1.0']);
      expect(comparedWith).toBe('baseline');
      expect(result.findings).toEqual([
        expect.objectContaining({ rule: 'generated-file-fresh', file: 'apiProperties.json', pointer: '', message: expect.stringMatching(/npm run build/) }),
        expect.objectContaining({ rule: 'generated-file-fresh', file: 'docs/rules.md', message: expect.stringMatching(/missing/) }),
        compatFinding,
      ]);
      expect(result.accepted).toEqual([expect.objectContaining({ rule: 'trigger-hint-required', reason: 'Test acceptance.' })]);
    });

    it('passes when the committed files equal the build', async () => {
      const root = folder('own-fresh');
      const files = baseFiles();
      const result = await runCheck({
        root,
        cacheDir,
        buildArtifacts: () => [{ path: 'apiDefinition.swagger.json', content: json(files.definition) }],
        compat: noCompat,
      });
      expect(result.findings).toEqual([]);
    });

    it('reports a missing integration module as a finding', async () => {
      const root = folder('own-no-build');
      const result = await runCheck({ root, cacheDir, compat: noCompat });
      expect(result.findings).toEqual([expect.objectContaining({ rule: 'check-setup', message: expect.stringMatching(/checks\/artifacts/) })]);
      expect(result.steps?.[0]).toEqual({ step: 'freshness', label: 'freshness', status: 'failed', reason: 'see check-setup' });
    });
  });
});

describe('swagger-parser semantic validation', () => {
  it('points at the operation it names, through $ref-resolved parameters', async () => {
    const { validateSwagger } = await import('../../checks/swagger');
    const files = baseFiles();
    files.definition.parameters = { CallId: { ...files.definition.paths['/calls/{call_id}'].get.parameters[0], name: 'callid' } };
    files.definition.paths['/calls/{call_id}'].get.parameters = [{ $ref: '#/parameters/CallId' }];
    const findings = await validateSwagger(files.definition, { cacheDir: resolve(__dirname, '../../.cache') });
    expect(findings).toEqual([expect.objectContaining({ rule: 'swagger-spec', pointer: '/paths/~1calls~1{call_id}/get', message: expect.stringMatching(/no corresponding \{callid\}/) })]);
  });

  it('accepts the base fixture, whose schemas refer to themselves', async () => {
    const { validateSwagger } = await import('../../checks/swagger');
    expect(await validateSwagger(baseFiles().definition, { cacheDir: resolve(__dirname, '../../.cache') })).toEqual([]);
  });
});
