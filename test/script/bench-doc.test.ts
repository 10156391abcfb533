// docs/bench.md explains every key of the bench's JSON line: the bench runs here at small sizes
// (same modules, same keys) and its keys must match the table's rows one to one.
import * as fs from 'fs';
import * as path from 'path';
import { describe, expect, it } from 'vitest';
import { PROFILES } from '../../sandbox/pbx/profiles';
import { runBench } from '../../scripts/bench';

const root = path.resolve(__dirname, '../..');

interface Row {
  key: string;
  cells: string[];
}

/** The rows of the figures table: `| \`key\` | unit | what it measures | goal |`. */
function figureRows(markdown: string): Row[] {
  return markdown
    .split('\n')
    .filter((line) => /^\|\s*`[^`]+`\s*\|/.test(line))
    .map((line) => {
      const cells = line.split('|').slice(1, -1).map((c) => c.trim());
      return { key: cells[0].replace(/`/g, ''), cells };
    });
}

/** The tests docs/bench.md lists as breaking figures on purpose (`- \`test/…\`: \`key\` …` items), with their keys. */
function breakingTests(markdown: string): Array<{ file: string; keys: string[] }> {
  return [...markdown.matchAll(/^- `(test\/[^`]+)`:([\s\S]*?)(?=\n- `|\n\n)/gm)].map((m) => ({ file: m[1], keys: [...m[2].matchAll(/`(\w+)`/g)].map((k) => k[1]) }));
}

describe('docs/bench.md', () => {
  const rows = figureRows(fs.readFileSync(path.join(root, 'docs/bench.md'), 'utf8'));

  it('gives every row a unit, what it measures and a goal, once per key', () => {
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      expect(row.cells, row.key).toHaveLength(4);
      expect(row.cells.every((c) => c !== ''), `${row.key} has an empty cell`).toBe(true);
    }
    const keys = rows.map((r) => r.key);
    expect(keys.filter((k, i) => keys.indexOf(k) !== i)).toEqual([]);
  });

  it('names for every figure a test that breaks it on purpose, a test that exists and names the figure', () => {
    const markdown = fs.readFileSync(path.join(root, 'docs/bench.md'), 'utf8');
    const main = figureRows(markdown.slice(0, markdown.indexOf('## Per-profile figures'))).map((r) => r.key);
    const tests = breakingTests(markdown);
    expect(main.filter((key) => !tests.some((t) => t.keys.includes(key)))).toEqual([]);
    for (const { file, keys } of tests) {
      const source = fs.readFileSync(path.join(root, file), 'utf8');
      expect(keys.filter((key) => !source.includes(key)), file).toEqual([]);
    }
  });

  it('has one row per key the bench prints, and no other', async () => {
    const notes: string[] = [];
    const figures = await runBench({ root, baselineFolder: path.join(root, 'no-such-baseline'), smoke: true, note: (l) => notes.push(l) });
    const printed = Object.keys(figures);
    expect(printed.length).toBeGreaterThan(0);
    const documented = rows.map((r) => r.key);
    expect({ undocumented: printed.filter((k) => !documented.includes(k)), notPrinted: documented.filter((k) => !printed.includes(k)) }).toEqual({
      undocumented: [],
      notPrinted: [],
    });
    // Without a baseline every figure still carries the key, as null, and a note says why.
    expect(Object.values(figures).every((f) => f.baseline === null)).toBe(true);
    expect(notes.join('\n')).toMatch(/baseline folder .*no-such-baseline not found/);
  }, 180_000);
});

it("describes each PBX profile's figures with the profile's own summary", () => {
  const rows = figureRows(fs.readFileSync(path.join(root, 'docs/bench.md'), 'utf8'));
  for (const profile of PROFILES) {
    const row = rows.find((r) => r.key === `pollMissed_${profile.name}`);
    expect(row?.cells[2], profile.name).toContain(`\`${profile.name}\` (${profile.summary})`);
  }
});

it('breakingTests reads each listed test with the keys of its item, over several lines', () => {
  const md = 'text\n\n- `test/a.test.ts`: `x`, `y` (why\n  more), `z`.\n- `test/b.test.ts`: `w`.\n\nAfter `v`.';
  expect(breakingTests(md)).toEqual([
    { file: 'test/a.test.ts', keys: ['x', 'y', 'z'] },
    { file: 'test/b.test.ts', keys: ['w'] },
  ]);
});

it('figureRows reads only the key rows of a table', () => {
  const md = '| key | unit | what | goal |\n| --- | --- | --- | --- |\n| `a` | ms | x | 0 |\n| `b` | ms | y | |\ntext `c` |';
  expect(figureRows(md)).toEqual([
    { key: 'a', cells: ['`a`', 'ms', 'x', '0'] },
    { key: 'b', cells: ['`b`', 'ms', 'y', ''] },
  ]);
});
