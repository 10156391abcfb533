/**
 * Writes the published surface of a brand's production definition to its baseline
 * (connector/baseline/published-1.0.json for the primary brand, connector/baseline/<slug>/… for the others).
 * Run once per published version (the file is committed; tests never need ../shared):
 *   npm run baseline -- [--brand <slug>] [--from <folder with apiDefinition.swagger.json>] [--out <file>] [--check]
 * --from defaults to the brand's folder under ../shared/reference/; --check compares instead of
 * writing and exits 1 when the stored baseline differs.
 */
import * as fs from 'fs';
import * as path from 'path';
import { serializeBaseline } from '../connector/compat/baseline-format';
import { brandLayout, brands, findBrand } from '../connector/brand';
import { brandFlag } from './brand-flag';
import { extractSurface } from '../connector/compat/surface';
import { defineCommand, runCommand, type Parsed } from '../lib/cli';

const repoRoot = path.resolve(__dirname, '..');

export const BASELINE_CLI = defineCommand({
  command: 'npm run baseline --',
  summary:
    "Writes the published surface (operationIds, parameters, outputs) of a brand's production definition to its " +
    'baseline, which the compatibility guard compares that brand against; --check compares instead ' +
    'of writing and exits 1 when the stored file differs.',
  flags: {
    brand: brandFlag(`the brand whose baseline is written (${brands.map((b) => `${b.slug}: ${brandLayout(b).baselineFile}`).join('; ')})`),
    from: {
      type: 'folder',
      description: "the production connector folder, holding apiDefinition.swagger.json (default the brand's folder under ../shared/reference/, e.g. certified-connector-1.0)",
    },
    out: { type: 'path', valueName: '<file>', description: "the baseline file (default the brand's baseline)" },
    check: { type: 'boolean', description: 'compare with the stored file instead of writing it' },
  },
  examples: [
    'npm run baseline -- --check --from ../shared/reference/certified-connector-1.0',
    'npm run baseline -- --brand mobili-stotele --from ../shared/reference/certified-mobili-stotele-1.0',
  ],
});

function main({ flags }: Parsed<typeof BASELINE_CLI.flags>): number {
  const brand = findBrand(flags.brand);
  const options = {
    from: flags.from ?? path.resolve(repoRoot, '../shared/reference', brand.publishedReference),
    out: flags.out ?? path.resolve(repoRoot, brandLayout(brand).baselineFile),
    check: flags.check,
  };
  const definitionFile = path.join(options.from, 'apiDefinition.swagger.json');
  if (!fs.existsSync(definitionFile)) {
    console.error(`No apiDefinition.swagger.json in ${options.from}. Pass the production connector folder with --from <folder>.`);
    return 2;
  }
  let definition: unknown;
  try {
    definition = JSON.parse(fs.readFileSync(definitionFile, 'utf8'));
  } catch (error) {
    console.error(`${definitionFile} is not valid JSON: ${(error as Error).message}`);
    return 2;
  }
  const surface = extractSurface(definition as object);
  const source = `${path.basename(options.from)}/apiDefinition.swagger.json`;
  const text = serializeBaseline(surface, { source });
  const counts = {
    operations: surface.operations.length,
    parameters: surface.operations.reduce((n, op) => n + op.parameters.length, 0),
    outputs: surface.operations.reduce((n, op) => n + op.outputs.length, 0),
  };
  if (options.check) {
    const stored = fs.existsSync(options.out) ? fs.readFileSync(options.out, 'utf8') : null;
    if (stored !== text) {
      console.error(`${path.relative(repoRoot, options.out)} is ${stored === null ? 'missing' : 'stale'}; rerun without --check.`);
      return 1;
    }
    console.log(`${path.relative(repoRoot, options.out)} is up to date (${JSON.stringify(counts)}).`);
    return 0;
  }
  fs.mkdirSync(path.dirname(options.out), { recursive: true });
  fs.writeFileSync(options.out, text);
  console.log(`Wrote ${path.relative(repoRoot, options.out)} from ${source}: ${JSON.stringify(counts)}`);
  return 0;
}

if (require.main === module) runCommand(BASELINE_CLI, main);
