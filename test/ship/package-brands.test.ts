// npm run package for every brand: one dist/<slug>/ each, with that brand's names only.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import JSZip from 'jszip';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { brandLayout, brands } from '../../connector/brand';
import { mobiliStotele } from '../../connector/brand/mobili-stotele';
import { parseCommand } from '../../lib/cli';
import { PACKAGE_CLI, runPackage, type PackageCheck } from '../../scripts/package';
import { foreignTexts, leaks } from '../brand-identity';
import { certificationNames } from '../../connector/package/certification-package';

const root = path.join(__dirname, '../..');
const flagsOf = (argv: string[], env: NodeJS.ProcessEnv = {}) => parseCommand(PACKAGE_CLI, argv, { env }).flags;
const passing: PackageCheck = async () => ({ findings: [], accepted: [] });

/** The entries of a zip as files of their own (`<zip>!<entry>`), the zips inside it unpacked too. */
async function zipEntries(name: string, content: Buffer): Promise<Array<{ path: string; content: string | Buffer }>> {
  const files: Array<{ path: string; content: string | Buffer }> = [];
  const zip = await JSZip.loadAsync(content);
  for (const entry of Object.values(zip.files).filter((e) => !e.dir)) {
    const inner = `${name}!${entry.name}`;
    if (entry.name.endsWith('.zip')) files.push(...(await zipEntries(inner, await entry.async('nodebuffer'))));
    else files.push({ path: inner, content: await entry.async('string') });
  }
  return files;
}

/** Every file under `dir`, relative, with its content; the entries of zips (the solutions, the certification package, the workbook) as files of their own, at every depth. */
async function tree(dir: string): Promise<Array<{ path: string; content: string | Buffer }>> {
  const files: Array<{ path: string; content: string | Buffer }> = [];
  for (const f of (fs.readdirSync(dir, { recursive: true }) as string[]).map((p) => p.split(path.sep).join('/')).sort()) {
    const full = path.join(dir, f);
    if (!fs.statSync(full).isFile()) continue;
    if (f.endsWith('.png') || f.endsWith('.Png')) files.push({ path: f, content: fs.readFileSync(full) });
    else if (f.endsWith('.zip') || f.endsWith('.xlsx')) files.push(...(await zipEntries(f, fs.readFileSync(full))));
    else files.push({ path: f, content: fs.readFileSync(full, 'utf8') });
  }
  return files;
}

describe('npm run package, every brand', () => {
  let dist: string;
  beforeAll(() => {
    dist = fs.mkdtempSync(path.join(os.tmpdir(), 'package-brands-'));
  });
  afterAll(() => fs.rmSync(dist, { recursive: true, force: true }));

  it('writes dist/<slug>/ for each brand from its own folder, deploy and certification variants', async () => {
    const result = await runPackage({ root, flags: flagsOf([], {}), distDir: dist, check: passing });
    expect(result.ok).toBe(true);
    expect(result.outDirs).toEqual(brands.map((b) => path.join(dist, b.slug)));
    expect(result.messages.slice(0, brands.length)).toEqual(brands.map((b) => expect.stringContaining(`for ${b.title} to `)));
    for (const brand of brands) {
      const out = path.join(dist, brand.slug);
      const folder = path.join(root, brandLayout(brand).dir);
      for (const file of ['apiDefinition.swagger.json', 'script.csx']) {
        expect(fs.readFileSync(path.join(out, 'deploy', file), 'utf8')).toBe(fs.readFileSync(path.join(folder, file), 'utf8'));
        expect(fs.readFileSync(path.join(out, 'certification', file), 'utf8')).toBe(fs.readFileSync(path.join(folder, file), 'utf8'));
      }
      const certified = JSON.parse(fs.readFileSync(path.join(out, 'certification/apiProperties.json'), 'utf8')).properties;
      expect([certified.publisher, certified.stackOwner]).toEqual([brand.publisher, brand.stackOwner]);
      const commands = fs.readFileSync(path.join(out, 'COMMANDS.md'), 'utf8');
      expect(commands).toContain(`certified-connectors/${brand.certificationFolder}/`);
      // The route in order: the pull request to dev, the Partner Center package (the file written here), what reviewers test.
      const steps = ['### 1. Open source', '### 2. Partner Center', '### 3. What the reviewers test'].map((h) => commands.indexOf(h));
      expect(steps.every((at, i) => at > 0 && (i === 0 || at > steps[i - 1])), steps.join()).toBe(true);
      expect(commands).toContain('open the pull request against microsoft/PowerPlatformConnectors `dev`');
      const submitted = `certification-package/${certificationNames(brand).zip}`;
      expect(commands).toContain(`\`${submitted}\``);
      expect(fs.existsSync(path.join(out, submitted))).toBe(true);
      expect(commands).toContain(`verified publisher, ${brand.publisher}, from its own Partner Center account`);
      // The icon's background is the brand's colour.
      const png = PNG.sync.read(fs.readFileSync(path.join(out, 'deploy/icon.png')));
      const hex = `#${[png.data[0], png.data[1], png.data[2]].map((v) => v.toString(16).padStart(2, '0')).join('')}`;
      expect(hex).toBe(brand.brandColor.toLowerCase());
    }
    const ms = JSON.parse(fs.readFileSync(path.join(dist, 'mobili-stotele/certification/apiProperties.json'), 'utf8')).properties;
    expect(ms.publisher).toBe('Tele2');
  });

  it('puts no name of one brand into another brand’s package: files, solutions, certification package (zips at every depth and unpacked), workbook', async () => {
    await runPackage({ root, flags: flagsOf([], {}), distDir: dist, check: passing });
    for (const brand of brands) {
      for (const other of brands) {
        if (other === brand) continue;
        const files = await tree(path.join(dist, other.slug));
        expect(files.map((f) => f.path)).toEqual(
          expect.arrayContaining([
            expect.stringMatching(/^solution\/.*\.zip!solution\.xml$/),
            expect.stringMatching(/^certification-package\/[A-Za-z]+\.zip![A-Za-z]+\.pdpkg\.zip!PkgAssets\/FlowSolution\.zip!Workflows\/.+\.json$/),
            expect.stringMatching(/^certification-package\/[A-Za-z]+\.zip!intro\.md$/),
            expect.stringMatching(/^certification-package\/unpacked\/.+\/Connector\/.+_customcodeblobcontent\.csx$/),
            'flows/AnsweredCalls.xlsx!docProps/core.xml',
          ]),
        );
        expect(leaks(files, foreignTexts(brand, other)), `${brand.title} in ${other.title}'s package`).toEqual([]);
      }
    }
  });

  it('--brand packages one brand; an unknown brand and a connector id for several brands are refused, nothing written', async () => {
    const only = fs.mkdtempSync(path.join(os.tmpdir(), 'package-one-'));
    try {
      const one = await runPackage({ root, flags: flagsOf(['--brand', 'mobili-stotele', '--connector-id', 'shared_mobili-20stotele-1'], {}), distDir: only, check: passing });
      expect(one.ok).toBe(true);
      expect(fs.readdirSync(only)).toEqual([mobiliStotele.slug]);
      expect(JSON.parse(fs.readFileSync(path.join(only, 'mobili-stotele/deploy/settings.json'), 'utf8')).connectorId).toBe('shared_mobili-20stotele-1');
      expect(() => flagsOf(['--brand', 'tele3'])).toThrow('--brand expects zvanu-parvaldnieks or mobili-stotele, got "tele3"');
      const ambiguous = await runPackage({ root, flags: flagsOf([], { PP_CONNECTOR_ID: 'shared_x' }), distDir: path.join(only, 'never'), check: passing });
      expect(ambiguous.ok).toBe(false);
      expect(ambiguous.messages[0]).toMatch(/names one connector, but 2 brands would be packaged; add --brand <slug>/);
      expect(fs.existsSync(path.join(only, 'never'))).toBe(false);
    } finally {
      fs.rmSync(only, { recursive: true, force: true });
    }
  });

  it('refuses a brand folder that differs from the model, naming the folder', async () => {
    const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'package-stale-'));
    try {
      for (const layout of brands.map(brandLayout)) {
        for (const file of ['apiDefinition.swagger.json', 'apiProperties.json', 'script.csx']) {
          const from = path.join(root, layout.dir, file);
          fs.mkdirSync(path.join(copy, layout.dir), { recursive: true });
          fs.copyFileSync(from, path.join(copy, layout.dir, file));
        }
      }
      fs.appendFileSync(path.join(copy, 'brands/mobili-stotele/apiProperties.json'), ' ');
      const result = await runPackage({ root: copy, flags: flagsOf([], {}), check: passing });
      expect(result).toMatchObject({ ok: false, messages: ['apiProperties.json in brands/mobili-stotele/ differs from the model; run npm run build, then package.'] });
      expect(fs.existsSync(path.join(copy, 'dist'))).toBe(false);
    } finally {
      fs.rmSync(copy, { recursive: true, force: true });
    }
  });
});
