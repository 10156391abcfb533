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
