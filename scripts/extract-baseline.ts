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
import { brandLayout, findBrand, primaryBrand } from '../connector/brand';
import { extractSurface } from '../connector/compat/surface';

const repoRoot = path.resolve(__dirname, '..');

interface Options {
  from: string;
  out: string;
  check: boolean;
}

const USAGE = 'usage: npm run baseline -- [--brand <slug>] [--from <folder>] [--out <file>] [--check]';

function parseArgs(argv: string[]): Options | 'help' {
  let brand = primaryBrand;
  const given: Partial<Options> = {};
  let check = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = (): string => {
      const next = argv[++i];
      if (next === undefined || next.startsWith('--')) throw new Error(`${arg} needs a value\n${USAGE}`);
      return next;
    };
    if (arg === '--from') given.from = path.resolve(value());
    else if (arg === '--out') given.out = path.resolve(value());
    else if (arg === '--brand') brand = findBrand(value());
    else if (arg === '--check') check = true;
    else if (arg === '--help' || arg === '-h') return 'help';
    else throw new Error(`unknown argument ${arg}\n${USAGE}`);
  }
  return {
    from: given.from ?? path.resolve(repoRoot, '../shared/reference', brand.publishedReference),
    out: given.out ?? path.resolve(repoRoot, brandLayout(brand).baselineFile),
    check,
  };
}

function main(): number {
  const options = parseArgs(process.argv.slice(2));
  if (options === 'help') {
    console.log(USAGE);
    return 0;
  }
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

try {
  process.exitCode = main();
} catch (error) {
  console.error((error as Error).message);
  process.exitCode = 2;
}
