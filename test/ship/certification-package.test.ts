/**
 * The certification package of every brand, as `npm run package` writes it
 * (`dist/<slug>/certification-package/<Name>.zip`): Microsoft's package validator rule by rule (each
 * rule holds on the written package and reports a package broken on purpose), then the two
 * solutions read back against the brand's generated files and flows.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { brandLayout, brands } from '../../connector/brand';
import { buildConnectorIntro, markdownSection } from '../../connector/docs/connector-intro';
import { buildConnectorReadme } from '../../connector/docs/connector-readme';
import { operationRows } from '../../connector/docs/rows';
import { buildSwagger } from '../../connector/generate/swagger';
import { connector as primaryModel, connectorFor } from '../../connector/model/connector';
import type { BrandProfile, ConnectorModel } from '../../connector/model/types';
import { buildCertificationPackage, certificationNames } from '../../connector/package/certification-package';
import { connectorLogicalName } from '../../connector/package/connector-component';
import { buildIcon } from '../../connector/package/icon';
import { parseCommand } from '../../lib/cli';
import { PACKAGE_CLI, runPackage, type PackageCheck } from '../../scripts/package';
import { editNested, isFolderEntry, level, readPackage, readZip, validatePackage, VALIDATOR_RULES, type Entries } from './connector-package-validator';
import { childText, isElement, parseXml, selectAll, selectSingle, textOf, type XmlElement } from './xml';

const root = path.join(__dirname, '../..');
const passing: PackageCheck = async () => ({ findings: [], accepted: [] });
const flowsDir = path.join(root, 'flows', 'power-automate');
const flowFiles = fs.readdirSync(flowsDir).filter((f) => f.endsWith('.json')).sort();
const modelOf = (brand: BrandProfile): ConnectorModel => (brand.slug === primaryModel.brand.slug ? primaryModel : connectorFor(brand));
const brandFile = (brand: BrandProfile, file: string): Buffer => fs.readFileSync(path.join(root, brandLayout(brand).dir, file));

let dist: string;
const written = new Map<string, Buffer>();
const outDir = (brand: BrandProfile): string => path.join(dist, brand.slug);

beforeAll(async () => {
  dist = fs.mkdtempSync(path.join(os.tmpdir(), 'certification-package-'));
  const result = await runPackage({ root, flags: parseCommand(PACKAGE_CLI, [], { env: {} }).flags, distDir: dist, check: passing });
  expect(result.ok, result.messages.join('\n')).toBe(true);
  for (const brand of brands) written.set(brand.slug, fs.readFileSync(path.join(outDir(brand), 'certification-package', certificationNames(brand).zip)));
}, 120_000);
afterAll(() => fs.rmSync(dist, { recursive: true, force: true }));

describe("Microsoft's connector package validator, rule by rule, on each brand's written package", () => {
  const names = certificationNames(brands[0]);
  const connectorZip = [names.pdpkg, `PkgAssets/${names.connectorSolution}`];
  const flowZip = [names.pdpkg, `PkgAssets/${names.flowSolution}`];
  const text = (s: string) => Buffer.from(s);
  const editXml = (entries: Entries, file: string, edit: (xml: string) => string) => entries.set(file, text(edit(entries.get(file)!.toString('utf8'))));
  /** Per rule: a change to the primary brand's package that the rule must report. */
  const breaks: Record<string, (zip: Buffer) => Promise<Buffer>> = {
    'outer-no-folder': (zip) => editNested(zip, [], (e) => e.set('extra/notes.txt', text('x'))),
    'outer-one-md': (zip) => editNested(zip, [], (e) => e.set('notes.md', text('# more'))),
    'outer-one-zip': (zip) => editNested(zip, [], (e) => e.set('second.zip', e.get(names.pdpkg)!)),
    'package-one-folder': (zip) => editNested(zip, [names.pdpkg], (e) => e.set('Other/extra.xml', text('<x />'))),
    'assets-no-folder': (zip) => editNested(zip, [names.pdpkg], (e) => e.set('PkgAssets/Content/en-us/welcome.htm', text('<p />'))),
    'assets-two-solutions': (zip) => editNested(zip, [names.pdpkg], (e) => e.delete(`PkgAssets/${names.flowSolution}`)),
    'solution-root-files': (zip) => editNested(zip, connectorZip, (e) => e.delete('solution.xml')),
    'customizations-is-xml': (zip) => editNested(zip, connectorZip, (e) => editXml(e, 'customizations.xml', (x) => x.replace('</Connectors>', ''))),
    'connector-folder': (zip) =>
      editNested(zip, connectorZip, (e) => {
        for (const [p, c] of [...e]) if (p.startsWith('Connector/')) (e.delete(p), e.set(p.replace('Connector/', 'Connectors/'), c));
      }),
    'workflows-folders': (zip) =>
      editNested(zip, flowZip, (e) => {
        for (const p of [...e.keys()]) if (p.startsWith('Workflows/')) e.delete(p);
      }),
    'connector-solution': (zip) => editNested(zip, connectorZip, (e) => editXml(e, 'customizations.xml', (x) => x.replace('<Workflows />', '<Workflows><Workflow Name="extra" /></Workflows>'))),
    'flow-solution': (zip) => editNested(zip, flowZip, (e) => editXml(e, 'customizations.xml', (x) => x.replace(/<Workflows>[\s\S]*<\/Workflows>/, '<Workflows />'))),
  };

  it('has a package broken on purpose for every rule', () => {
    expect(Object.keys(breaks).sort()).toEqual(VALIDATOR_RULES.map((r) => r.id).sort());
  });

  for (const rule of VALIDATOR_RULES) {
    it(`${rule.id}: ${rule.title}`, async () => {
      for (const brand of brands) expect(rule.check(await readPackage(written.get(brand.slug)!)), brand.title).toEqual([]);
      const broken = await breaks[rule.id](written.get(brands[0].slug)!);
      expect(rule.check(await readPackage(broken)).length).toBeGreaterThan(0);
    });
  }

  it('counts a folder entry as a folder even when nothing is in it, as Expand-Archive makes one (zips made on Windows hold such entries)', async () => {
    const zip = written.get(brands[0].slug)!;
    const empty = (folder: string) => (e: Entries) => e.set(`${folder}/`, Buffer.alloc(0));
    const ids = async (broken: Buffer) => [...new Set((await validatePackage(broken)).map((p) => p.split(':')[0]))];
    expect(await ids(await editNested(zip, [], empty('extra')))).toEqual(['outer-no-folder']);
    // Two folders at the package's root: the script stops there (later rules find no folder to look into).
    expect((await ids(await editNested(zip, [names.pdpkg], empty('Other'))))[0]).toBe('package-one-folder');
    expect(await ids(await editNested(zip, [names.pdpkg], empty('PkgAssets/Content')))).toEqual(['assets-no-folder']);
    // A folder the script asks a solution for, present as an entry alone: what it checks is there.
    const onlyEntry = await editNested(zip, flowZip, (e) => {
      for (const p of [...e.keys()]) if (p.startsWith('Workflows/')) e.delete(p);
      e.set('Workflows/', Buffer.alloc(0));
    });
    expect(await validatePackage(onlyEntry)).toEqual([]);
    // Folder entries for folders that hold files (as Compress-Archive writes them) change nothing.
    expect(await validatePackage(await editNested(zip, [names.pdpkg], empty('PkgAssets')))).toEqual([]);
  });

  it('the whole script would answer "the package structure is correct" for every brand', async () => {
    for (const brand of brands) expect(await validatePackage(written.get(brand.slug)!), brand.title).toEqual([]);
  });
});

/** Every entry of the written package with the zips inside it unpacked, as `unpacked/` lays them out. */
async function flatten(zip: Buffer, prefix = ''): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  for (const [p, content] of await readZip(zip)) {
    if (isFolderEntry(p)) continue;
    if (p.endsWith('.zip')) for (const [q, c] of await flatten(content, `${prefix}${p.replace(/\.zip$/, '')}/`)) out.set(q, c);
    else out.set(`${prefix}${p}`, content);
  }
  return out;
}

function listFiles(dir: string): string[] {
  return (fs.readdirSync(dir, { recursive: true }) as string[]).map((p) => p.split(path.sep).join('/')).filter((p) => fs.statSync(path.join(dir, p)).isFile()).sort();
}

describe('the certification package read back', () => {
  for (const brand of brands) {
    const names = certificationNames(brand);
    const assets = async () => {
      const pkg = await readPackage(written.get(brand.slug)!);
      const solution = (file: string) => {
        const found = pkg.solutions.find((s) => s.file === file);
        if (!found) throw new Error(`${file} is not in the package`);
        return found;
      };
      return { pkg, connector: solution(names.connectorSolution), flows: solution(names.flowSolution) };
    };
    const xml = (entries: Entries, file: string): XmlElement => parseXml(entries.get(file)!.toString('utf8'));

    describe(brand.title, () => {
      it('is intro.md and the package, with unpacked/ beside it holding the same files', async () => {
        expect(level(await readZip(written.get(brand.slug)!)).files).toEqual([names.pdpkg, 'intro.md']);
        const flat = await flatten(written.get(brand.slug)!);
        const unpacked = path.join(outDir(brand), 'certification-package', 'unpacked');
        expect(listFiles(unpacked)).toEqual([...flat.keys()].sort());
        for (const [p, content] of flat) expect(fs.readFileSync(path.join(unpacked, p)).equals(content), p).toBe(true);
      });

      it('has well-formed XML everywhere, and ImportConfig.xml imports the connector solution, then the flows (left off)', async () => {
        const { pkg, connector, flows } = await assets();
        for (const s of [connector, flows]) for (const file of ['[Content_Types].xml', 'customizations.xml', 'solution.xml']) expect(() => xml(s.entries, file), `${s.file}/${file}`).not.toThrow();
        expect(() => xml(pkg.inner!, '[Content_Types].xml')).not.toThrow();
        const config = xml(pkg.inner!, 'PkgAssets/ImportConfig.xml');
        const listed = selectAll(config, 'configsolutionfile');
        expect(listed.map((e) => e.attributes.solutionpackagefilename)).toEqual([names.connectorSolution, names.flowSolution]);
        expect(listed.map((e) => e.attributes.publishworkflowsandactivateplugins)).toEqual(['false', 'false']);
        expect(level(pkg.inner!, 'PkgAssets/').files.filter((f) => f.endsWith('.zip')).sort()).toEqual([names.connectorSolution, names.flowSolution].sort());
      });

      it('references only files the solutions hold, and holds no file it does not reference', async () => {
        const { connector, flows } = await assets();
        for (const s of [connector, flows]) {
          const custom = s.customizations!;
          const referenced = [
            ...selectAll(custom, 'JsonFileName'),
            ...['openapidefinition', 'connectionparameters', 'policytemplateinstances', 'customcodeblobcontent', 'iconblob'].flatMap((tag) => selectAll(custom, tag)),
          ].map((el) => textOf(el).replace(/^\//, ''));
          expect(referenced.length).toBeGreaterThan(4);
          for (const file of referenced) expect(s.entries.has(file), `${s.file}: ${file}`).toBe(true);
          const stray = [...s.entries.keys()].filter((p) => !['[Content_Types].xml', 'customizations.xml', 'solution.xml'].includes(p) && !referenced.includes(p));
          expect(stray, s.file).toEqual([]);
        }
      });

      it("carries the connector as the brand's generated definition, properties, script and icon, the same in both solutions", async () => {
        const { connector, flows } = await assets();
        const definition = brandFile(brand, 'apiDefinition.swagger.json');
        const properties = JSON.parse(brandFile(brand, 'apiProperties.json').toString('utf8')).properties;
        const info = JSON.parse(definition.toString('utf8')).info;
        for (const s of [connector, flows]) {
          const el = selectSingle(s.customizations!, 'Connector')!;
          const part = (tag: string): Buffer => s.entries.get(childText(el, tag)!.replace(/^\//, ''))!;
          expect(childText(el, 'name')).toBe(connectorLogicalName(brand));
          expect(part('openapidefinition').equals(definition)).toBe(true);
          expect(JSON.parse(part('connectionparameters').toString('utf8'))).toEqual(properties.connectionParameters);
          expect(JSON.parse(part('policytemplateinstances').toString('utf8'))).toEqual(properties.policyTemplateInstances);
          expect(part('customcodeblobcontent').equals(brandFile(brand, 'script.csx'))).toBe(true);
          expect(part('iconblob').equals(fs.readFileSync(path.join(outDir(brand), 'deploy', 'icon.png')))).toBe(true);
          expect(part('iconblob').equals(buildIcon(brand))).toBe(true);
          expect(JSON.parse(childText(el, 'scriptoperations')!)).toEqual(properties.scriptOperations);
          expect([childText(el, 'displayname'), childText(el, 'description'), childText(el, 'iconbrandcolor'), childText(el, 'connectortype')]).toEqual([info.title, info.description, properties.iconBrandColor, '1']);
          const manifest = xml(s.entries, 'solution.xml');
          const component = selectAll(manifest, 'RootComponent').find((r) => r.attributes.type === '372')!;
          expect(component.attributes).toMatchObject({ id: `{${childText(el, 'connectorid')}}`, schemaName: childText(el, 'name') });
          expect(childText(selectSingle(manifest, 'SolutionManifest')!, 'Managed')).toBe('0');
          expect(textOf(selectSingle(manifest, 'CustomizationPrefix'))).toBe(brand.publisherPrefix);
        }
        for (const [p, content] of connector.entries) if (p.startsWith('Connector/')) expect(flows.entries.get(p)?.equals(content), p).toBe(true);
      });

      it('holds every flow of flows/power-automate/ (the end-user solution\'s list), bound to the connector of the solution', async () => {
        const { connector, flows } = await assets();
        const custom = flows.customizations!;
        const connectorEl = selectSingle(custom, 'Connector')!;
        const connectorId = childText(connectorEl, 'connectorid')!;
        const workflows = selectAll(custom, 'Workflow');
        expect(workflows).toHaveLength(flowFiles.length);
        const endUser = parseXml(fs.readFileSync(path.join(outDir(brand), 'solution', 'unpacked', 'customizations.xml'), 'utf8'));
        expect(workflows.map((w) => w.attributes.Name).sort()).toEqual(selectAll(endUser, 'Workflow').map((w) => w.attributes.Name).sort());
        // Not the end-user solution's flows: their own GUIDs, so that importing both replaces nothing.
        const endUserIds = new Set(selectAll(endUser, 'Workflow').map((w) => w.attributes.WorkflowId));
        for (const w of workflows) expect(endUserIds.has(w.attributes.WorkflowId)).toBe(false);
        const roots = selectAll(xml(flows.entries, 'solution.xml'), 'RootComponent').filter((r) => r.attributes.type === '29').map((r) => r.attributes.id);
        expect(roots.sort()).toEqual(workflows.map((w) => w.attributes.WorkflowId).sort());
        const references = selectAll(custom, 'connectionreference');
        const own = references.filter((r) => r.children.some((c) => isElement(c) && c.local === 'customconnectorid'));
        expect(own).toHaveLength(1);
        expect(textOf(selectSingle(own[0], 'customconnectorid'))).toBe(connectorId);
        const ownApi = childText(own[0], 'connectorid')!.split('/').pop()!;
        for (const w of workflows) {
          const doc = JSON.parse(flows.entries.get(childText(w, 'JsonFileName')!.slice(1))!.toString('utf8'));
          const refs = doc.properties.connectionReferences as Record<string, { api: { name: string; logicalName?: string }; connection: { connectionReferenceLogicalName: string } }>;
          expect(refs[ownApi], w.attributes.Name).toMatchObject({ api: { name: ownApi, logicalName: childText(connectorEl, 'name') }, connection: { connectionReferenceLogicalName: own[0].attributes.connectionreferencelogicalname } });
          for (const ref of Object.values(refs)) expect(references.map((r) => r.attributes.connectionreferencelogicalname)).toContain(ref.connection.connectionReferenceLogicalName);
          expect(JSON.stringify(doc)).not.toContain(`shared_${brand.apiName}"`);
        }
        expect(connector.hasWorkflows).toBe(false);
        expect(selectAll(connector.customizations!, 'connectionreference')).toEqual([]);
      });

      it("has intro.md from the model: what it does, prerequisites, how to get a key, known issues (the readme's own sections)", async () => {
        const intro = (await readZip(written.get(brand.slug)!)).get('intro.md')!.toString('utf8');
        const model = modelOf(brand);
        expect(intro).toBe(buildConnectorIntro(model));
        expect(intro.split('\n').filter((l) => l.startsWith('## '))).toEqual(['## What the connector does', '## Prerequisites', '## How to get an API key', '## Known issues and limitations']);
        const readme = buildConnectorReadme(model);
        for (const [mine, theirs] of [['How to get an API key', 'Obtaining Credentials'], ['Known issues and limitations', 'Known Issues and Limitations'], ['Prerequisites', 'Prerequisites']]) {
          expect(markdownSection(intro, mine)).toBe(markdownSection(readme, theirs));
        }
        expect(intro).toContain(brand.apiKeyPortal);
        const ops = operationRows(buildSwagger(model));
        expect(ops.length).toBeGreaterThan(20);
        for (const op of ops) expect(intro).toContain(`- ${op.summary}`);
      });
    });
  }

  it('is the same bytes from the same input', async () => {
    const brand = brands[0];
    const input = {
      model: modelOf(brand),
      definition: brandFile(brand, 'apiDefinition.swagger.json').toString('utf8'),
      properties: brandFile(brand, 'apiProperties.json').toString('utf8'),
      script: brandFile(brand, 'script.csx').toString('utf8'),
      icon: buildIcon(brand),
      flows: flowFiles.map((file) => ({ file, text: fs.readFileSync(path.join(flowsDir, file), 'utf8') })),
    };
    const [a, b] = [await buildCertificationPackage(input), await buildCertificationPackage(input)];
    expect(a.zip.equals(b.zip)).toBe(true);
    expect(a.zip.equals(written.get(brand.slug)!)).toBe(true);
  });
});
