/**
 * The release package: deploy/ for paconn and pac, certification/, COMMANDS.md. Built from the
 * generated files at the top level, and only when the checks of `npm run check` report no error; settings.json and apiProperties.json are validated against small
 * purpose-made schemas shaped like Microsoft's (JSONC, an `id`, `additionalProperties: false`,
 * no `script` / `scriptOperations`) through checks/ms-schemas.ts, which allows exactly those keys.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadMsValidator } from '../../checks/ms-schemas';
import { buildArtifacts } from '../../connector/generate/artifacts';
import { buildConnectorReadme } from '../../connector/docs/connector-readme';
import { connector } from '../../connector/model/connector';
import { buildIcon, ICON_SIZE, parseHexColour } from '../../connector/package/icon';
import { buildPackage, PackageError, type PackageFile } from '../../connector/package/package';
import type { CheckResult } from '../../checks/format';
import { runCheck } from '../../checks/run';
import * as compatGuard from '../../connector/compat/guard';
import { parseCommand } from '../../lib/cli';
import { PACKAGE_CLI, runPackage, type PackageCheck } from '../../scripts/package';
import { withoutEventField } from './support';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { ANSWERED_CALLS_WORKBOOK, WEEKLY_CALLS_WORKBOOK } from '../../sandbox/workflow/stand-ins/excel';
import { CONNECTOR_ID_PLACEHOLDER, resolveTarget, TargetError } from '../../connector/package/target';

/** The flags as `npm run package` parses them from argv and the PP_* variables. */
const flagsOf = (argv: string[], env: NodeJS.ProcessEnv) => parseCommand(PACKAGE_CLI, argv, { env }).flags;

const root = path.join(__dirname, '../..');
const committed = {
  definition: fs.readFileSync(path.join(root, 'apiDefinition.swagger.json'), 'utf8'),
  properties: fs.readFileSync(path.join(root, 'apiProperties.json'), 'utf8'),
};
/** A stand-in script: the package copies it verbatim, so its content does not matter here. */
const script = 'public class Script : ScriptBase { /* test stand-in */ }\n';
const ENVIRONMENT = '0f3c5a1e-1b2c-4d5e-8f90-123456789abc';
const CONNECTOR_ID = 'shared_zvanu-20parvaldnieks-5f1a2b3c4d5e6f7a8b';
const PAC_CONNECTOR_ID = '7d2e0c4b-9a51-4f3e-b6a8-0c1d2e3f4a5b';

const withTarget = buildPackage({
  model: connector,
  ...committed,
  script,
  environment: ENVIRONMENT,
  connectorId: CONNECTOR_ID,
  pacConnectorId: PAC_CONNECTOR_ID,
});
const withoutTarget = buildPackage({ model: connector, ...committed, script });

function get(files: PackageFile[], name: string): PackageFile['content'] {
  const found = files.find((f) => f.path === name);
  if (!found) throw new Error(`package has no ${name}`);
  return found.content;
}
const text = (files: PackageFile[], name: string): string => String(get(files, name));
const json = (files: PackageFile[], name: string): Record<string, unknown> => JSON.parse(text(files, name)) as Record<string, unknown>;

describe('package contents', () => {
  it('holds the deploy and certification folders and COMMANDS.md', () => {
    expect(withTarget.files.map((f) => f.path).sort()).toEqual([
      'COMMANDS.md',
      'certification/Readme.md',
      'certification/apiDefinition.swagger.json',
      'certification/apiProperties.json',
      'certification/script.csx',
      'deploy/apiDefinition.swagger.json',
      'deploy/apiProperties.json',
      'deploy/icon.png',
      'deploy/script.csx',
      'deploy/settings.json',
    ]);
  });

  it('packages the committed definition byte for byte, and it is what the model yields', () => {
    expect(get(withTarget.files, 'deploy/apiDefinition.swagger.json')).toBe(committed.definition);
    expect(get(withTarget.files, 'certification/apiDefinition.swagger.json')).toBe(committed.definition);
    expect(buildArtifacts().find((a) => a.path === 'apiDefinition.swagger.json')?.content).toBe(committed.definition);
    expect(get(withTarget.files, 'deploy/script.csx')).toBe(script);
    expect(get(withTarget.files, 'certification/script.csx')).toBe(script);
  });

  it('drops stackOwner from the deployable properties only', () => {
    const deploy = json(withTarget.files, 'deploy/apiProperties.json') as { properties: Record<string, unknown> };
    const certification = json(withTarget.files, 'certification/apiProperties.json') as { properties: Record<string, unknown> };
    expect(deploy.properties).not.toHaveProperty('stackOwner');
    expect(certification.properties.stackOwner).toBe(connector.brand.stackOwner);
    expect(certification.properties.publisher).toBe(connector.brand.publisher);
    const { stackOwner: _owner, ...rest } = certification.properties;
    expect(deploy.properties).toEqual(rest);
    expect(deploy.properties.scriptOperations).toEqual(connector.operations.map((op) => op.operationId));
  });

  it('names every deployable file in settings.json, the script included', () => {
    const settings = json(withTarget.files, 'deploy/settings.json');
    expect(settings).toEqual({
      connectorId: CONNECTOR_ID,
      environment: ENVIRONMENT,
      apiProperties: 'apiProperties.json',
      apiDefinition: 'apiDefinition.swagger.json',
      icon: 'icon.png',
      script: 'script.csx',
    });
    for (const key of ['apiProperties', 'apiDefinition', 'icon', 'script']) {
      expect(withTarget.files.some((f) => f.path === `deploy/${String(settings[key])}`)).toBe(true);
    }
  });

  it('puts the connector readme, in the template sections, in the certification folder', () => {
    expect(text(withTarget.files, 'certification/Readme.md')).toBe(buildConnectorReadme(connector));
  });

  it('refuses inputs that would make a broken package, saying what to do', () => {
    expect(() => buildPackage({ model: connector, ...committed, script: '  \n' })).toThrow(/script\.csx is empty/);
    expect(() => buildPackage({ model: connector, ...committed, properties: '{"properties":{"iconBrandColor":"#fd941b"}}', script })).toThrow(
      /no publisher; certification needs it/,
    );
    expect(() => buildPackage({ model: connector, ...committed, properties: '{ not json', script })).toThrow(PackageError);
  });
});

describe('deployment target', () => {
  it('uses the given environment and connector id, and no placeholders', () => {
    expect(withTarget.placeholders).toEqual([]);
    const commands = text(withTarget.files, 'COMMANDS.md');
    expect(commands).not.toContain('PLACEHOLDER');
    expect(commands).toContain(`--env ${ENVIRONMENT}`);
    expect(commands).toContain(`--cid ${CONNECTOR_ID}`);
    expect(commands).toContain(`pac connector update --connector-id ${PAC_CONNECTOR_ID} `);
  });

  it('marks placeholders clearly when environment and connector id are absent', () => {
    // No placeholder in settings.json: it leaves environment and connectorId out so that paconn asks for them.
    const settings = json(withoutTarget.files, 'deploy/settings.json');
    expect(settings).not.toHaveProperty('environment');
    expect(settings).not.toHaveProperty('connectorId');
    expect(Object.values(settings).filter((v) => typeof v !== 'string' || /REPLACE|PLACEHOLDER|[<>]/.test(v))).toEqual([]);
    expect(text(withoutTarget.files, 'COMMANDS.md')).toContain('to update a connector created elsewhere, add `"connectorId": "<id>"` first, or paconn asks for it');
    expect(text(withTarget.files, 'COMMANDS.md')).not.toContain('add `"connectorId"');
    const commandLines = text(withoutTarget.files, 'COMMANDS.md').split('\n').filter((l) => /^(paconn|pac) /.test(l));
    expect(commandLines.length).toBeGreaterThan(5);
    for (const line of commandLines) expect(line).not.toMatch(/--env(ironment)? /);
    expect(withoutTarget.placeholders).toHaveLength(3);
    const commands = text(withoutTarget.files, 'COMMANDS.md');
    expect(commands).toContain('**PLACEHOLDERS — replace before running:**');
    for (const note of withoutTarget.placeholders) expect(commands).toContain(note);
  });

  it('rejects an environment that is not a GUID and accepts upper case', () => {
    expect(() => resolveTarget({ environment: 'my-env' })).toThrow(TargetError);
    expect(() => resolveTarget({ environment: 'my-env' })).toThrow(/--environment or PP_ENVIRONMENT/);
    expect(resolveTarget({ environment: ENVIRONMENT.toUpperCase() }).environment).toBe(ENVIRONMENT);
    expect(resolveTarget({ connectorId: ENVIRONMENT }).pacConnectorId).toBe(ENVIRONMENT);
    expect(() => resolveTarget({ pacConnectorId: 'shared_x' })).toThrow(/pac connector list/);
  });
});

/**
 * What paconn does with settings.json (tools/paconn-cli/paconn/settings/: settingsserializer.py reads each
 * key with dict.get(key, None); util.py prompts for the environment on every command but validate, and for
 * the connector id on update and download, only when the value is absent or empty). Which values would it ask for?
 */
function paconnWouldAskFor(settingsJson: Record<string, unknown>, command: 'create' | 'update' | 'download' | 'validate'): string[] {
  const value = (key: string): unknown => (key in settingsJson ? settingsJson[key] : null);
  const asks: string[] = [];
  if (command !== 'validate' && !value('environment')) asks.push('environment');
  if ((command === 'update' || command === 'download') && !value('connectorId')) asks.push('connectorId');
  return asks;
}

describe("paconn's settings reader", () => {
  it('would ask for the environment and the connector id the package does not know, and for nothing it was given', () => {
    expect(paconnWouldAskFor(json(withoutTarget.files, 'deploy/settings.json'), 'update')).toEqual(['environment', 'connectorId']);
    expect(paconnWouldAskFor(json(withoutTarget.files, 'deploy/settings.json'), 'create')).toEqual(['environment']);
    expect(paconnWouldAskFor(json(withTarget.files, 'deploy/settings.json'), 'update')).toEqual([]);
  });

  it('would not ask for a placeholder: it would be sent as the target (why settings.json has none)', () => {
    expect(paconnWouldAskFor({ connectorId: CONNECTOR_ID_PLACEHOLDER, environment: ENVIRONMENT }, 'update')).toEqual([]);
    expect(paconnWouldAskFor({ connectorId: '', environment: ENVIRONMENT }, 'update')).toEqual(['connectorId']);
  });
});

describe('COMMANDS.md', () => {
  const commands = text(withTarget.files, 'COMMANDS.md');
  const lines = commands.split('\n').filter((l) => /^(paconn|pac) /.test(l));

  it('has paconn create/update and pac connector create/update lines', () => {
    for (const start of ['paconn create --api-def', 'paconn update --api-def', 'paconn create --settings', 'paconn update --settings', 'pac connector create', 'pac connector update']) {
      expect(lines.some((l) => l.startsWith(start)), start).toBe(true);
    }
  });

  it('passes the script on every create and update', () => {
    const deploying = lines.filter((l) => / (create|update) /.test(l));
    expect(deploying.length).toBe(6);
    for (const line of deploying) expect(line).toMatch(/--script script\.csx|--script-file script\.csx|--settings settings\.json/);
  });

  it('lets paconn create overwrite settings.json without asking, and targets the existing certification folder', () => {
    expect(lines).toContain('paconn create --settings settings.json --overwrite-settings');
    expect(commands).toContain('`certified-connectors/Zvanu parvaldnieks/`');
  });

  it('names only files that are in deploy/', () => {
    const deployed = new Set(withTarget.files.filter((f) => f.path.startsWith('deploy/')).map((f) => f.path.slice('deploy/'.length)));
    const named = lines.flatMap((l) => [...l.matchAll(/ ([A-Za-z.]+\.(?:json|csx|png))\b/g)].map((m) => m[1]));
    expect(named.length).toBeGreaterThan(10);
    for (const name of named) expect(deployed.has(name), name).toBe(true);
  });
});

describe('icon', () => {
  const icon = get(withTarget.files, 'deploy/icon.png') as Buffer;
  const png = PNG.sync.read(icon);

  it('is a square opaque PNG under 1 MB', () => {
    expect(icon.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(png.width).toBe(ICON_SIZE);
    expect(png.height).toBe(png.width);
    expect(icon.length).toBeLessThan(1024 * 1024);
    let transparent = 0;
    for (let i = 3; i < png.data.length; i += 4) if (png.data[i] !== 255) transparent++;
    expect(transparent).toBe(0);
    expect(icon[25]).toBe(2); // IHDR colour type 2: RGB, no alpha channel
  });

  it('has the brand colour as background and a white glyph', () => {
    const [r, g, b] = parseHexColour(connector.brand.brandColor);
    expect([...png.data.subarray(0, 3)]).toEqual([r, g, b]);
    let white = 0;
    for (let i = 0; i < png.data.length; i += 4) if (png.data[i] === 255 && png.data[i + 1] === 255 && png.data[i + 2] === 255) white++;
    expect(white / (png.width * png.height)).toBeGreaterThan(0.05);
    expect(white / (png.width * png.height)).toBeLessThan(0.5);
  });

  it('is deterministic and follows the brand colour', () => {
    expect(buildIcon(connector.brand).equals(icon)).toBe(true);
    expect(buildIcon({ brandColor: '#123456' }).equals(icon)).toBe(false);
    expect(() => buildIcon({ brandColor: 'orange' })).toThrow(/not a #rrggbb colour/);
  });
});

describe("Microsoft's schemas (purpose-made copies of their shape)", () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ship-schemas-'));
    // Same quirks as the published files: `//` comments, an `id` Ajv 8 rejects, closed objects.
    fs.writeFileSync(
      path.join(dir, 'paconn-settings.schema.json'),
      `{
  "$schema": "http://json-schema.org/draft-07/schema#",
  "id": "https://example.invalid/paconn-settings.schema.json#", // dropped by the loader
  "type": "object",
  "additionalProperties": false,
  "properties": {
    "connectorId": { "type": "string" },
    "environment": { "type": "string", "pattern": "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$" },
    "apiProperties": { "type": "string" },
    "apiDefinition": { "type": "string" },
    "icon": { "type": "string" }
  }
}`,
    );
    fs.writeFileSync(
      path.join(dir, 'paconn-apiProperties.schema.json'),
      `{
  "$schema": "http://json-schema.org/draft-07/schema#",
  "id": "https://example.invalid/paconn-apiProperties.schema.json#",
  "type": "object",
  "required": ["properties"],
  "additionalProperties": false,
  "properties": {
    "properties": {
      "type": "object",
      "required": ["iconBrandColor"],
      "additionalProperties": false,
      "properties": {
        "iconBrandColor": { "type": "string" },
        "publisher": { "type": "string" },
        "stackOwner": { "type": "string" },
        "capabilities": { "type": "array", "items": { "type": "string" } },
        "connectionParameters": { "type": "object" },
        "policyTemplateInstances": { "type": "array", "items": { "type": "object", "required": ["templateId", "title", "parameters"] } }
      }
    }
  }
}`,
    );
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('accept settings.json with its script key, with or without placeholders', () => {
    const validate = loadMsValidator(dir, 'settings');
    expect(validate(json(withTarget.files, 'deploy/settings.json'), 'settings.json')).toEqual([]);
    expect(validate(json(withoutTarget.files, 'deploy/settings.json'), 'settings.json')).toEqual([]);
    // The schema is strict: an unknown key or a malformed environment is refused.
    expect(validate({ ...json(withTarget.files, 'deploy/settings.json'), extra: 1 }, 'settings.json')).toHaveLength(1);
    expect(validate({ environment: 'not-a-guid' }, 'settings.json')).toHaveLength(1);
  });

  it('accept both apiProperties.json files with their scriptOperations', () => {
    const validate = loadMsValidator(dir, 'apiProperties');
    expect(validate(json(withTarget.files, 'deploy/apiProperties.json'), 'apiProperties.json')).toEqual([]);
    expect(validate(json(withTarget.files, 'certification/apiProperties.json'), 'apiProperties.json')).toEqual([]);
    expect(validate({ properties: { iconBrandColor: '#fff', somethingElse: true } }, 'apiProperties.json')).toHaveLength(1);
  });
});

/** The writer's checks, injected: `npm run check` itself runs in test/checks; these stand in for it. */
const passing: PackageCheck = async () => ({ findings: [], accepted: [] });

describe('npm run package (the writer)', () => {
  let out: string;
  beforeAll(() => {
    out = fs.mkdtempSync(path.join(os.tmpdir(), 'ship-package-'));
  });
  afterAll(() => fs.rmSync(out, { recursive: true, force: true }));

  it('clears the folder and writes the package from the top-level files, the target from PP_* variables', async () => {
    fs.mkdirSync(path.join(out, 'deploy'), { recursive: true });
    fs.writeFileSync(path.join(out, 'deploy/left-over.txt'), 'from an earlier run');
    const result = await runPackage({
      root,
      flags: flagsOf([], { PP_ENVIRONMENT: ENVIRONMENT, PP_CONNECTOR_ID: CONNECTOR_ID, PP_PAC_CONNECTOR_ID: PAC_CONNECTOR_ID }),
      outDir: out,
      check: passing,
    });
    expect(result).toMatchObject({ ok: true, warnings: [] });
    expect(result.messages[1]).toBe(`environment ${ENVIRONMENT}, connector id ${CONNECTOR_ID}, pac connector id ${PAC_CONNECTOR_ID} (in deploy/settings.json and COMMANDS.md)`);
    expect(fs.existsSync(path.join(out, 'deploy/left-over.txt'))).toBe(false);
    expect(fs.readFileSync(path.join(out, 'deploy/apiDefinition.swagger.json'), 'utf8')).toBe(committed.definition);
    expect(JSON.parse(fs.readFileSync(path.join(out, 'deploy/settings.json'), 'utf8'))).toMatchObject({ environment: ENVIRONMENT, connectorId: CONNECTOR_ID });
    expect(fs.readFileSync(path.join(out, 'deploy/script.csx'), 'utf8')).toBe(fs.readFileSync(path.join(root, 'script.csx'), 'utf8'));
    expect(fs.readdirSync(path.join(out, 'certification')).sort()).toEqual(['Readme.md', 'apiDefinition.swagger.json', 'apiProperties.json', 'script.csx']);
    // The flows as a solution, zipped and unpacked, and the empty workbook the answered-call flows fill.
    const zip = await JSZip.loadAsync(fs.readFileSync(path.join(out, 'solution/ZvanuParvaldnieksFlows.zip')));
    const unpacked = (fs.readdirSync(path.join(out, 'solution/unpacked'), { recursive: true }) as string[]).map((f) => f.split(path.sep).join('/')).filter((f) => f.includes('.'));
    expect(Object.keys(zip.files).sort()).toEqual(unpacked.sort());
    expect(unpacked).toEqual(expect.arrayContaining(['solution.xml', 'customizations.xml', '[Content_Types].xml']));
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(path.join(out, 'flows/AnsweredCalls.xlsx'));
    const table = book.getWorksheet('Calls')!.getTable('Calls') as unknown as { table: { columns: Array<{ name: string }> } };
    expect(table.table.columns.map((c) => c.name)).toEqual([...ANSWERED_CALLS_WORKBOOK.columns]);
    // and the one the weekly report fills
    const weekly = new ExcelJS.Workbook();
    await weekly.xlsx.readFile(path.join(out, `flows/${WEEKLY_CALLS_WORKBOOK.fileName}`));
    const weeklyTable = weekly.getWorksheet(WEEKLY_CALLS_WORKBOOK.sheet)!.getTable(WEEKLY_CALLS_WORKBOOK.table) as unknown as { table: { columns: Array<{ name: string }> } };
    expect(weeklyTable.table.columns.map((c) => c.name)).toEqual([...WEEKLY_CALLS_WORKBOOK.columns]);
  });

  it('prefers flags to variables and reports bad input without writing', async () => {
    const flagged = await runPackage({ root, flags: flagsOf(['--environment', ENVIRONMENT.toUpperCase()], { PP_ENVIRONMENT: 'ignored' }), outDir: out, check: passing });
    expect(flagged.ok).toBe(true);
    expect(flagged.warnings.map((w) => w.split(':')[0])).toEqual([
      'PLACEHOLDER no connector id given',
      'PLACEHOLDER pac connector update needs the connector\'s GUID ("pac connector list" shows it)',
    ]);
    // The summary names only what settings.json holds: the environment given, no placeholder id.
    expect(flagged.messages.at(-1)).toBe(
      `environment ${ENVIRONMENT}, connector id (none given: left out of settings.json, paconn update asks for it; COMMANDS.md says ${CONNECTOR_ID_PLACEHOLDER}), ` +
        'pac connector id (none given: COMMANDS.md says <connector-guid-from-pac-connector-list>) (in deploy/settings.json and COMMANDS.md)',
    );
    expect(() => flagsOf(['--environment'], {})).toThrow('--environment needs a value');
    expect(() => flagsOf(['--enviroment', ENVIRONMENT], {})).toThrow('unknown flag --enviroment; did you mean --environment?');
    expect(() => flagsOf([], { PP_ENVIRONMENT: 'not-a-guid' })).toThrow(/PP_ENVIRONMENT expects a GUID/);
  });
});

describe('npm run package refuses a connector that fails the checks', () => {
  let tmp: string;
  beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ship-refuse-'));
  });
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  /** A project folder with the given generated files at the top level and a script. */
  function project(name: string, files: Array<{ path: string; content: string }>): string {
    const dir = path.join(tmp, name);
    for (const file of files) {
      fs.mkdirSync(path.dirname(path.join(dir, file.path)), { recursive: true });
      fs.writeFileSync(path.join(dir, file.path), file.content);
    }
    fs.writeFileSync(path.join(dir, 'script.csx'), script);
    return dir;
  }
  /** An earlier package in the output folder: a refusal must leave it as it was. */
  function earlierPackage(dir: string): string {
    const out = path.join(dir, 'dist');
    fs.mkdirSync(path.join(out, 'deploy'), { recursive: true });
    fs.writeFileSync(path.join(out, 'deploy/settings.json'), 'from an earlier run');
    return out;
  }
  const listing = (dir: string): string[] => (fs.readdirSync(dir, { recursive: true }) as string[]).map((f) => f.split(path.sep).join('/')).sort();

  it('lists every error finding, says to fix them and build, and writes nothing', async () => {
    const dir = project('errors', buildArtifacts());
    const out = earlierPackage(dir);
    const result: CheckResult = {
      findings: [
        { file: 'apiDefinition.swagger.json', pointer: '/paths/~1dial/post', rule: 'operation-removed', severity: 'error', message: 'Dial was removed.' },
        { file: 'apiDefinition.swagger.json', pointer: '/info', rule: 'info-description', severity: 'warn', message: 'A warning only.' },
        { file: 'docs/reference.md', pointer: '', rule: 'generated-file-fresh', severity: 'error', message: 'docs/reference.md differs.' },
      ],
      accepted: [],
    };
    let checkedRoot: string | undefined;
    const refused = await runPackage({ root: dir, flags: flagsOf([], {}), outDir: out, check: async (r) => ((checkedRoot = r), result) });
    expect(checkedRoot).toBe(dir);
    expect(refused.ok).toBe(false);
    expect(refused.messages).toHaveLength(1);
    const lines = refused.messages[0].split('\n');
    expect(lines[0]).toMatch(/2 errors; nothing was packaged/);
    expect(lines).toContain('  apiDefinition.swagger.json#/paths/~1dial/post operation-removed: Dial was removed.');
    expect(lines).toContain('  docs/reference.md generated-file-fresh: docs/reference.md differs.');
    expect(refused.messages[0]).not.toContain('A warning only.');
    expect(lines.at(-1)).toMatch(/^Fix them .*run npm run build/);
    expect(listing(out)).toEqual(['deploy', 'deploy/settings.json']);
    expect(fs.readFileSync(path.join(out, 'deploy/settings.json'), 'utf8')).toBe('from an earlier run');

    // Warnings alone do not block; they are mentioned.
    const warned = await runPackage({ root: dir, flags: flagsOf([], {}), outDir: out, check: async () => ({ findings: [result.findings[1]], accepted: [] }) });
    expect(warned.ok).toBe(true);
    expect(warned.warnings[0]).toMatch(/^the checks report 1 warning \(not blocking\)/);
  });

  it('refuses a built model without an output field (npm run build failed, yet wrote the files)', async () => {
    // The walkthrough: a field is removed from the model and npm run build writes the generated files.
    const model = withoutEventField('LostCallerAdded', 'callerid');
    const artifacts = buildArtifacts(model);
    const dir = project('removed-field', artifacts);
    const out = path.join(dir, 'dist', 'never');
    // npm run check as it runs on the project's own connector, pointed at this folder and its model.
    const check: PackageCheck = (r) => runCheck({ root: r, buildArtifacts: () => artifacts, compat: compatGuard, cacheDir: path.join(root, '.cache') });
    const refused = await runPackage({ root: dir, flags: flagsOf([], {}), outDir: out, model, check });
    expect(refused.ok).toBe(false);
    expect(refused.messages[0]).toMatch(/^the checks of npm run check report \d+ errors?; nothing was packaged:\n/);
    expect(refused.messages[0]).toMatch(/\n {2}apiDefinition\.swagger\.json#\/\S+ \S+: .*callerid/);
    expect(fs.existsSync(out)).toBe(false);
  });

  it('names the stale top-level file, one or several, with the right verb', async () => {
    const [definition, properties] = buildArtifacts();
    const one = project('stale-one', [{ ...definition, content: definition.content + ' ' }, properties]);
    const both = project('stale-both', [
      { ...definition, content: definition.content + ' ' },
      { ...properties, content: properties.content + ' ' },
    ]);
    const never: PackageCheck = async () => {
      throw new Error('the checks run only on files that match the model');
    };
    expect((await runPackage({ root: one, flags: flagsOf([], {}), outDir: path.join(one, 'dist'), check: never })).messages).toEqual([
      'apiDefinition.swagger.json at the top level differs from the model; run npm run build, then package.',
    ]);
    expect((await runPackage({ root: both, flags: flagsOf([], {}), outDir: path.join(both, 'dist'), check: never })).messages).toEqual([
      'apiDefinition.swagger.json and apiProperties.json at the top level differ from the model; run npm run build, then package.',
    ]);
    expect(fs.existsSync(path.join(one, 'dist'))).toBe(false);
    expect(fs.existsSync(path.join(both, 'dist'))).toBe(false);
  });
});
