/**
 * Golden files for the builders. Rewrite them after an intended change with
 *   UPDATE_GOLDEN=1 npx vitest run test/connector/golden.test.ts
 * and review the diff. A golden file that no case produces any more (stale) fails too.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkFreshness } from '../../checks/run';
import { buildArtifacts } from '../../connector/generate/artifacts';
import { toJson } from '../../connector/generate/json';
import { buildProperties } from '../../connector/generate/properties';
import { buildSwagger } from '../../connector/generate/swagger';
import { miniModel } from './fixtures/mini-model';

const root = join(__dirname, '..', '..');
const goldenDir = join(__dirname, '..', 'golden');
const update = process.env.UPDATE_GOLDEN === '1';

/** Each case: files under test/golden/<case>/. */
const cases: Record<string, Array<{ path: string; content: string }>> = {
  mini: [
    { path: 'apiDefinition.swagger.json', content: toJson(buildSwagger(miniModel)) },
    { path: 'apiProperties.json', content: toJson(buildProperties(miniModel)) },
  ],
};

function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? listFiles(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

describe('golden files', () => {
  for (const [name, files] of Object.entries(cases)) {
    for (const file of files) {
      it(`${name}/${file.path} matches its golden file`, () => {
        const target = join(goldenDir, name, file.path);
        if (update) {
          mkdirSync(dirname(target), { recursive: true });
          writeFileSync(target, file.content);
        }
        expect(existsSync(target), `missing golden file test/golden/${name}/${file.path} (run with UPDATE_GOLDEN=1)`).toBe(true);
        expect(file.content).toBe(readFileSync(target, 'utf8'));
      });
    }
  }

  it('has no stale golden files', () => {
    const expected = new Set(Object.entries(cases).flatMap(([name, files]) => files.map((f) => join(name, f.path))));
    const stale = listFiles(goldenDir)
      .map((file) => relative(goldenDir, file))
      .filter((file) => !expected.has(file));
    if (update) for (const file of stale) rmSync(join(goldenDir, file));
    expect(update ? [] : stale).toEqual([]);
  });

  it('the committed connector artifacts are what the model generates', () => {
    // The same freshness check `npm run check` runs; here it also guards `npm test` alone.
    expect(checkFreshness(root, buildArtifacts())).toEqual([]);
  });
});
