// A variant of script.csx with one behaviour broken on purpose, to show that a test or a figure notices
// (e.g. the bench's pollDuplicated when a check delivers an item twice). Each change must match exactly once.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export function scriptVariant(name: string, changes: ReadonlyArray<readonly [from: string, to: string]>): string {
  let source = fs.readFileSync(path.resolve(__dirname, '../../script.csx'), 'utf8');
  for (const [from, to] of changes) {
    const count = source.split(from).length - 1;
    if (count !== 1) throw new Error(`script variant ${name}: expected one "${from}" in script.csx, found ${count}`);
    source = source.replace(from, to);
  }
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'script-variant-')), `${name}.csx`);
  fs.writeFileSync(file, source);
  return file;
}

/** script.csx's list page: its items, newest first. */
const LIST_PAGE = 'new JArray(cut.Page.OrderByDescending(i => i.Id).Select(i => i.Item))';
/** A list page that carries its first item twice (the bench's listDuplicated must see it). */
export const LIST_PAGE_REPEATS_AN_ITEM = [LIST_PAGE, `${LIST_PAGE.slice(0, -1)}.Concat(cut.Page.Take(1).Select(i => i.Item.DeepClone())))`] as const;
/** A list page without its newest item (the bench's listMissed must see it). */
export const LIST_PAGE_DROPS_AN_ITEM = [LIST_PAGE, `${LIST_PAGE.slice(0, -1)}.Skip(1))`] as const;

/** script.csx's first statement: where each execution begins. */
const EXECUTION_STARTS = '        budget = new Budget(Stopwatch.StartNew(), BudgetMs);';
/** How long every execution of the SLEEPS_FIRST variant blocks before it starts its work (ms). */
export const SLEEP_MS = 30;
/** Every execution sleeps SLEEP_MS first (the bench's script times must show at least that much). */
export const SLEEPS_FIRST = [EXECUTION_STARTS, `        System.Threading.Thread.Sleep(${SLEEP_MS});\n${EXECUTION_STARTS}`] as const;
