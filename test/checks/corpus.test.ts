/**
 * `npm run check` against real connectors: the errors on each corpus folder equal the table in
 * corpus-expectations.ts (a new error is a false positive or a new defect to record; a lost one is a
 * defect no longer found). Needs `../shared` (resolved from the repository root); skipped with a note
 * without it, as the README promises the tests pass on a fresh clone.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCheck } from '../../checks/run';
import { CORPUS_EXPECTED_ERRORS, MAX_FAILING_CERTIFIED } from './corpus-expectations';

const root = resolve(__dirname, '../..');
const corpus = resolve(root, '../shared/corpus/connectors');
const production = resolve(root, '../shared/reference/certified-connector-1.0');
const present = existsSync(corpus);
if (!present) console.warn(`corpus test skipped: ${corpus} is absent (it lives in ../shared beside the repository)`);

const errorRules = async (dir: string): Promise<string[]> => {
  const result = await runCheck({ root, dir });
  return [...new Set(result.findings.filter((f) => f.severity === 'error').map((f) => f.rule))].sort();
};

describe('the table of expected errors', () => {
  it(`keeps at most ${MAX_FAILING_CERTIFIED} certified folders failing, each with its reason`, () => {
    const failing = Object.entries(CORPUS_EXPECTED_ERRORS).filter(([name, e]) => name.startsWith('certified-connectors/') && e.rules.length > 0);
    expect(failing.length).toBeLessThanOrEqual(MAX_FAILING_CERTIFIED);
    for (const [name, e] of Object.entries(CORPUS_EXPECTED_ERRORS)) if (e.rules.length > 0) expect(e.why, name).toBeTruthy();
  });
});

describe.skipIf(!present)('npm run check on the corpus', () => {
  it('lists every corpus folder in the table, and nothing else', () => {
    const onDisk = readdirSync(corpus).flatMap((group) => readdirSync(join(corpus, group)).map((name) => `${group}/${name}`)).sort();
    expect(Object.keys(CORPUS_EXPECTED_ERRORS).sort()).toEqual(onDisk);
  });

  it('raises exactly the expected errors on every folder', async () => {
    const actual: Record<string, string[]> = {};
    for (const name of Object.keys(CORPUS_EXPECTED_ERRORS)) actual[name] = await errorRules(join(corpus, name));
    const expected = Object.fromEntries(Object.entries(CORPUS_EXPECTED_ERRORS).map(([name, e]) => [name, [...e.rules].sort()]));
    expect(actual).toEqual(expected);
  }, 60000);
});

describe.skipIf(!existsSync(production))('npm run check on the production 1.0', () => {
  it('has no error and still shows the webhook leak as a warning naming it', async () => {
    const result = await runCheck({ root, dir: production });
    expect(result.findings.filter((f) => f.severity === 'error')).toEqual([]);
    const leaks = result.findings.filter((f) => f.rule === 'webhook-unsubscribe');
    expect(leaks.length).toBeGreaterThan(0);
    for (const leak of leaks) {
      expect(leak.severity).toBe('warn');
      expect(leak.message).toMatch(/Location.*leaks a subscription/);
    }
  });
});
