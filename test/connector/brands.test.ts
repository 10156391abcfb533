import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ACCEPTED_FILE } from '../../checks/accepted';
import { runCheck } from '../../checks/run';
import { brandLayout, brandLayouts, brands, findBrand, primaryBrand } from '../../connector/brand';
import { mobiliStotele } from '../../connector/brand/mobili-stotele';
import { brandScript, SCRIPT_BLOCK_BEGIN, SCRIPT_BLOCK_END, scriptOutsideBlock } from '../../connector/brand/script';
import { BRAND, fillBrandText } from '../../connector/brand/texts';
import { zvanuParvaldnieks } from '../../connector/brand/zvanu-parvaldnieks';
import { type Artifact, brandArtifacts, buildArtifacts, readSources } from '../../connector/generate/artifacts';
import { parseBaseline, serializeBaseline } from '../../connector/compat/baseline-format';
import { checkCompatibility, loadBaseline } from '../../connector/compat/guard';
import { extractSurface } from '../../connector/compat/surface';
import { apiKeyAuth, connectorFor } from '../../connector/model/connector';
import type { BrandProfile } from '../../connector/model/types';
import { actions, deleteWebhook } from '../../connector/operations/actions';
import { pollingTriggers } from '../../connector/operations/polling';
import { webhookTriggers } from '../../connector/operations/webhooks';
import { foreignTexts, identityTexts, leaks } from '../brand-identity';

const root = resolve(__dirname, '../..');
const reference = resolve(root, '../shared/reference');
const sources = readSources(root);
const artifacts = buildArtifacts();
const filesOf = (dir: string): Artifact[] => artifacts.filter((a) => (dir === '' ? !a.path.startsWith('brands/') : a.path.startsWith(`${dir}/`)));

/** A fictional third brand: what adding one takes is a profile and a baseline. */
const third: BrandProfile = {
  ...mobiliStotele,
  slug: 'virtuali-centrale',
  title: 'Virtuali Centrale',
  description: 'Virtuali Centrale is a fictional virtual PBX used to prove that a third brand needs nothing but a profile and a baseline.',
  host: 'pbx.centrale.example',
  contact: { name: 'Centrale Example', url: 'https://pbx.centrale.example', email: 'help@centrale.example' },
  website: 'https://pbx.centrale.example',
  privacyPolicy: 'https://centrale.example/privacy',
  brandColor: '#7a2e9c',
  publisher: 'Centrale Example',
  stackOwner: 'Centrale Example',
  apiKeyPortal: 'https://pbx.centrale.example/keys',
  certificationFolder: 'Virtuali Centrale',
  publishedReference: 'certified-virtuali-centrale-1.0',
  texts: { operator: 'Centrale', portal: 'Centrale console', apiKeyPage: 'Keys page', webhooksMenu: 'Hooks', subscription: 'A Centrale line' },
  market: { country: 'Estonia', callingCode: '+372', timeZone: 'Europe/Tallinn', numbers: { length: 8, firstDigits: '5', trunkPrefixes: [], writtenAlone: true } },
  unconfirmed: ['texts.webhooksMenu'],
};

describe('brand profiles', () => {
  it('Mobili Stotele is Tele2’s, with the title, host and publisher of its published 1.0', () => {
    const ms = findBrand('mobili-stotele');
    expect(ms.title).toBe('Mobili Stotele');
    expect(ms.host).toBe('mobili-stotele.tele2.lt');
    expect([ms.publisher, ms.stackOwner]).toEqual(['Tele2', 'Tele2']);
    expect(ms.certificationFolder).toBe('Mobili Stotele');
    // What its published files do not say is marked, and the readme says so.
    expect(ms.unconfirmed).toEqual(expect.arrayContaining(['apiKeyPortal', 'texts.portal', 'texts.webhooksMenu']));
    expect(readFileSync(join(root, 'brands/mobili-stotele/docs/connector-readme.md'), 'utf8')).toMatch(/portal name.*\(unconfirmed\)/);
    expect(readFileSync(join(root, 'docs/connector-readme.md'), 'utf8')).not.toMatch(/portal details/);
  });

  it.skipIf(!existsSync(join(reference, 'certified-mobili-stotele-1.0')))('each profile agrees with its published 1.0 files (needs ../shared)', () => {
    for (const brand of brands) {
      const folder = join(reference, brand.publishedReference);
      const definition = JSON.parse(readFileSync(join(folder, 'apiDefinition.swagger.json'), 'utf8'));
      const properties = JSON.parse(readFileSync(join(folder, 'apiProperties.json'), 'utf8')).properties;
      const metadata = Object.fromEntries(definition['x-ms-connector-metadata'].map((m: { propertyName: string; propertyValue: string }) => [m.propertyName, m.propertyValue]));
      expect([brand.title, brand.host, brand.basePath]).toEqual([definition.info.title, definition.host, definition.basePath]);
      expect(brand.contact).toEqual(definition.info.contact);
      expect([brand.website, brand.privacyPolicy, brand.categories.join(';')]).toEqual([metadata.Website, metadata['Privacy policy'], metadata.Categories]);
      expect([brand.brandColor, brand.publisher, brand.stackOwner]).toEqual([properties.iconBrandColor, properties.publisher, properties.stackOwner]);
    }
  });

  it('are found by slug or title, and an unknown brand names the known ones', () => {
    expect(findBrand('Mobili Stotele')).toBe(mobiliStotele);
    expect(findBrand('ZVANU-PARVALDNIEKS')).toBe(zvanuParvaldnieks);
    expect(() => findBrand('tele3')).toThrow("unknown brand 'tele3'; known brands: zvanu-parvaldnieks, mobili-stotele");
  });

  it('keep the primary brand at the top level and every other in brands/<slug>, with a baseline in the same layout', () => {
    expect(primaryBrand).toBe(zvanuParvaldnieks);
    expect(brandLayouts().map((l) => [l.dir, l.baselineFile])).toEqual([
      ['', 'connector/baseline/published-1.0.json'],
      ['brands/mobili-stotele', 'connector/baseline/mobili-stotele/published-1.0.json'],
    ]);
    expect(new Set(brands.map((b) => b.slug)).size).toBe(brands.length);
  });
});

describe('brand placeholders', () => {
  it('fill from the profile, and an unknown one is an error naming it', () => {
    expect(fillBrandText(`Add it in the ${BRAND.portal} of ${BRAND.product}.`, mobiliStotele)).toBe('Add it in the Mobili Stotele admin portal of Mobili Stotele.');
    expect(() => fillBrandText('in the {{portl}}', mobiliStotele)).toThrow(/unknown brand placeholder \{\{portl\}\}.*\{\{portal\}\}/);
  });

  it('leave objects shared by several operations shared, so each definition is still built once', () => {
    const model = connectorFor(mobiliStotele);
    const callHistory = model.operations.find((op) => op.operationId === 'GetCallHistory')!;
    const callHistoryItem = model.operations.find((op) => op.operationId === 'GetCallHistoryItemByID')!;
    const view = (op: typeof callHistory) => (op.payload.kind === 'item' || op.payload.kind === 'list' ? op.payload.view : undefined);
    expect(view(callHistory)?.entity).toBeDefined();
    expect(view(callHistory)?.entity).toBe(view(callHistoryItem)?.entity);
  });

  it('mean the model itself names no brand: every product, portal or operator text is a placeholder', () => {
    const raw = JSON.stringify({ auth: apiKeyAuth, operations: [...actions, ...pollingTriggers, ...webhookTriggers, deleteWebhook] });
    for (const brand of brands) expect(leaks([{ path: 'model', content: raw }], identityTexts(brand).map((t) => t.toLowerCase()))).toEqual([]);
    expect(raw).toContain(BRAND.portal);
  });
});

describe('the script template', () => {
  it('keeps the C# logic brand-free: brand texts live only in its brand block', () => {
    const outside = scriptOutsideBlock(sources.script);
    for (const brand of brands) expect(leaks([{ path: 'script.csx', content: outside }], identityTexts(brand).map((t) => t.toLowerCase()))).toEqual([]);
  });

  it('gets each brand’s texts as C# constants, escaped', () => {
    const template = ['class S {', `    ${SCRIPT_BLOCK_BEGIN}`, '    old line', `    ${SCRIPT_BLOCK_END}`, '}'].join('\n');
    const out = brandScript(template, { ...mobiliStotele, texts: { ...mobiliStotele.texts, portal: 'the "Stotele" \\ portal' } });
    expect(out).toContain('    private const string BrandPortal = "the \\"Stotele\\" \\\\ portal";');
    expect(out).toContain('    private const string BrandProduct = "Mobili Stotele";');
    expect(out).not.toContain('old line');
    expect(out.endsWith(`    ${SCRIPT_BLOCK_END}\n}`)).toBe(true);
  });

  it('refuses a template without exactly one brand block', () => {
    expect(() => brandScript('class S {}', mobiliStotele)).toThrow(/has no brand block/);
  });
});

describe('generated brands', () => {
  it('every brand has its definition, properties, script and docs, and the freshness check covers them', () => {
    for (const layout of brandLayouts()) {
      const prefix = layout.dir === '' ? '' : `${layout.dir}/`;
      for (const file of ['apiDefinition.swagger.json', 'apiProperties.json', 'script.csx', 'docs/connector-readme.md', 'docs/reference.md', 'docs/changes-since-1.0.md']) {
        expect(artifacts.map((a) => a.path)).toContain(prefix + file);
      }
    }
  });

  it('no text of one brand appears in another brand’s files (names, hosts, e-mail, publisher, logical names)', () => {
    for (const brand of brands) {
      for (const other of brands) {
        if (other === brand) continue;
        expect(leaks(filesOf(brandLayout(other).dir), foreignTexts(brand, other)), `${brand.title} in ${other.title}`).toEqual([]);
      }
    }
    // Not vacuous: the same search finds each brand's texts in its own definition, properties and script.
    for (const brand of brands) {
      const other = brands.find((b) => b !== brand)!;
      const found = leaks(filesOf(brandLayout(brand).dir), foreignTexts(brand, other)).map((l) => l.split(': ')[0].split('/').pop());
      expect(new Set(found)).toEqual(new Set(['apiDefinition.swagger.json', 'apiProperties.json', 'script.csx', 'connector-readme.md', 'reference.md', 'changes-since-1.0.md']));
    }
  });

  it('each brand’s compatibility guard reports 0 breaking changes against its own 1.0', () => {
    for (const layout of brandLayouts()) {
      const definition = JSON.parse(filesOf(layout.dir).find((a) => a.path.endsWith('apiDefinition.swagger.json'))!.content);
      expect(checkCompatibility(loadBaseline(join(root, layout.baselineFile)), definition)).toEqual([]);
    }
  });

  it('a third brand is a profile and a baseline: its files carry its texts and none of the others’', () => {
    const baseline = sources.baselines[mobiliStotele.slug];
    const layout = { brand: third, dir: `brands/${third.slug}`, baselineFile: `connector/baseline/${third.slug}/published-1.0.json` };
    const files = brandArtifacts(layout, connectorFor(third), { ...sources, baselines: { [third.slug]: baseline } });
    expect(files.map((f) => f.path)).toContain('brands/virtuali-centrale/script.csx');
    for (const brand of brands) expect(leaks(files, foreignTexts(brand, third))).toEqual([]);
    const definition = JSON.parse(files[0].content);
    expect([definition.info.title, definition.host]).toEqual(['Virtuali Centrale', 'pbx.centrale.example']);
    expect(files.find((f) => f.path.endsWith('script.csx'))!.content).toContain('BrandPortal = "Centrale console"');
    expect(checkCompatibility(baseline, definition)).toEqual([]);
  });
});

describe('the Mobili Stotele baseline', () => {
  it('is its own published surface (source named), not a copy of the primary brand’s', () => {
    const text = readFileSync(join(root, brandLayout(mobiliStotele).baselineFile), 'utf8');
    expect(JSON.parse(text).source).toBe('certified-mobili-stotele-1.0/apiDefinition.swagger.json');
    expect(parseBaseline(JSON.parse(text), 'mobili-stotele').operations).toHaveLength(29);
  });

  it.skipIf(!existsSync(join(reference, 'certified-mobili-stotele-1.0')))('equals what the extractor makes of the published files (needs ../shared)', () => {
    const folder = join(reference, mobiliStotele.publishedReference);
    const surface = extractSurface(JSON.parse(readFileSync(join(folder, 'apiDefinition.swagger.json'), 'utf8')));
    const expected = serializeBaseline(surface, { source: `${mobiliStotele.publishedReference}/apiDefinition.swagger.json` });
    expect(readFileSync(join(root, brandLayout(mobiliStotele).baselineFile), 'utf8')).toBe(expected);
  });
});

describe('npm run check on two brands', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'check-brands-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('checks every brand folder, guards each against its own baseline and names findings from the root', async () => {
    for (const dir of ['', 'brands/mobili-stotele']) {
      mkdirSync(join(tmp, dir), { recursive: true });
      for (const file of ['apiDefinition.swagger.json', 'apiProperties.json', 'script.csx']) {
        writeFileSync(join(tmp, dir, file), filesOf(dir).find((a) => a.path === (dir === '' ? file : `${dir}/${file}`))!.content);
      }
    }
    // The project's accepted warnings hold for every brand folder (each entry names the files it covers).
    mkdirSync(join(tmp, 'checks'), { recursive: true });
    copyFileSync(join(root, ACCEPTED_FILE), join(tmp, ACCEPTED_FILE));
    // Break the second brand only: its trigger loses its hint.
    const msDefinition = join(tmp, 'brands/mobili-stotele/apiDefinition.swagger.json');
    const broken = JSON.parse(readFileSync(msDefinition, 'utf8'));
    delete broken.paths['/webhooks/CallStarted'].post['x-ms-trigger-hint'];
    writeFileSync(msDefinition, JSON.stringify(broken));
    const compared: unknown[] = [];
    const result = await runCheck({
      root: tmp,
      cacheDir: join(root, '.cache'),
      buildArtifacts: () => [],
      brands: brandLayouts().map((l) => ({ title: l.brand.title, dir: l.dir, baselineFile: l.baselineFile })),
      compat: { BASELINE_VERSION: '1.0', loadBaseline: (file?: string) => file, checkCompatibility: (baseline) => { compared.push(baseline); return []; } },
    });
    expect(compared).toEqual([join(tmp, 'connector/baseline/published-1.0.json'), join(tmp, 'connector/baseline/mobili-stotele/published-1.0.json')]);
    expect(result.findings).toEqual([expect.objectContaining({ rule: 'trigger-hint-required', file: 'brands/mobili-stotele/apiDefinition.swagger.json' })]);
    expect(new Set(result.accepted.map((f) => f.file))).toEqual(new Set(['apiDefinition.swagger.json', 'brands/mobili-stotele/apiDefinition.swagger.json']));
    expect(result.steps?.filter((s) => s.step === 'compatibility').map((s) => s.label)).toEqual(['compatibility with 1.0', 'Mobili Stotele: compatibility with 1.0']);
  });
});
