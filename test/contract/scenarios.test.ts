/**
 * Every scenario under test/scenarios is replayed against the project's generated definition
 * (apiDefinition.swagger.json + apiProperties.json at the top level) and must produce exactly the
 * findings its `expect.findings` declares (none when it declares none). One test per file.
 */
import * as fs from 'fs';
import * as path from 'path';
import { beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT, type ContractDefinition } from '../../lib/definition';
import { loadProjectContract } from '../../contract/project';
import { findingDifferences, replayScenario } from '../../contract/replay';
import { listScenarioFiles, readScenarioFile, serializeScenario } from '../../contract/scenario';

const files = listScenarioFiles();
let def: ContractDefinition;

beforeAll(() => {
  def = loadProjectContract(); // parsed and compiled once for the whole file
});

describe('scenario replay against the definition', () => {
  it('finds the scenario files', () => {
    // 29 operations + 10 events need at least 39 files; a broken discovery would find none.
    expect(files.length).toBeGreaterThanOrEqual(39);
  });

  for (const file of files) {
    const rel = path.relative(PROJECT_ROOT, file);
    it(rel, async () => {
      const text = fs.readFileSync(file, 'utf8');
      const loaded = { ...readScenarioFile(file), file: rel };
      const findings = await replayScenario(def, loaded);
      expect(findingDifferences(findings, loaded.scenario, loaded.lineOf)).toEqual([]);
      // Committed files are in the serializer's canonical form (the recorder writes the same way).
      expect(serializeScenario(loaded.scenario)).toBe(text);
      // Fake numbers only (+3710 and 7 digits; a truncated body may cut one short) and no stored key.
      for (const n of text.match(/\+371\d{8,}/g) ?? []) expect(n).toMatch(/^\+3710\d{7}$/);
      expect(text).not.toMatch(/authorization: Bearer (?!<redacted>)/i);
    });
  }
});
