/**
 * The import direction of the layers: entry points (`scripts/`) → `sandbox/` → `contract/` and
 * `checks/` → `lib/` and `connector/`. A module never imports a layer above it: nothing in the
 * harness, the checks, the connector model or `lib/` imports the sandbox, the sandbox does not borrow
 * from the contract harness or the checks (shared readers live in `lib/`), and `lib/` stays neutral.
 */
import * as fs from 'fs';
import * as path from 'path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '..', '..');

/** For each layer, the top-level folders it must never import. */
const FORBIDDEN: Record<string, readonly string[]> = {
  lib: ['sandbox', 'contract', 'checks', 'connector', 'scripts', 'script-host'],
  connector: ['sandbox', 'contract', 'checks', 'scripts', 'script-host'],
  checks: ['sandbox', 'contract', 'scripts'],
  contract: ['sandbox', 'scripts'],
  sandbox: ['contract', 'checks', 'scripts'],
  // The Mono host sits below the sandbox (its gateway runs script.csx through it).
  'script-host': ['sandbox', 'checks', 'scripts'],
};

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sourceFiles(full));
    else if (entry.name.endsWith('.ts')) out.push(full);
  }
  return out;
}

/** Relative specifiers of static imports, re-exports, dynamic imports and requires. */
function importSpecifiers(source: string): string[] {
  const found: string[] = [];
  const re = /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|^\s*import\s+)['"](\.{1,2}\/[^'"]*)['"]/gm;
  for (let m = re.exec(source); m; m = re.exec(source)) found.push(m[1]);
  return found;
}

/** The top-level folder a specifier in `file` lands in. */
function layerOf(file: string, specifier: string): string {
  return path.relative(ROOT, path.resolve(path.dirname(file), specifier)).split(path.sep)[0];
}

function violations(layer: string, files: Array<{ file: string; source: string }>): string[] {
  const out: string[] = [];
  for (const { file, source } of files) {
    for (const spec of importSpecifiers(source)) {
      const target = layerOf(file, spec);
      if (FORBIDDEN[layer].includes(target)) out.push(`${path.relative(ROOT, file)} imports ${spec} (${layer}/ must not import ${target}/)`);
    }
  }
  return out;
}

describe('layer import direction', () => {
  it('finds imports of every form, so that the rule below can fail', () => {
    const file = path.join(ROOT, 'contract', 'x.ts');
    const src = "import { a } from '../sandbox/a';\nexport { b } from \"../sandbox/b\";\nconst c = require('../sandbox/c');\nimport '../sandbox/d';\nconst e = import('../lib/e');";
    expect(violations('contract', [{ file, source: src }])).toHaveLength(4);
  });

  for (const layer of Object.keys(FORBIDDEN)) {
    it(`${layer}/ imports none of ${FORBIDDEN[layer].join(', ')}`, () => {
      const files = sourceFiles(path.join(ROOT, layer)).map((file) => ({ file, source: fs.readFileSync(file, 'utf8') }));
      expect(files.length).toBeGreaterThan(0);
      expect(violations(layer, files)).toEqual([]);
    });
  }
});
