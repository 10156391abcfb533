// No real phone number in the repository: every text file (sources, tests, docs, generated files, scenarios)
// is read with the markets' rules, in every spelling. Tests build the real-format numbers they need at
// run time (test/support/planted-numbers.ts); examples use the fake ranges (+3710…, +3700…).
import * as fs from 'fs';
import * as path from 'path';
import { describe, expect, it } from 'vitest';
import { findPhoneNumbers } from '../../connector/brand/phone-numbers';

const ROOT = path.resolve(__dirname, '..', '..');
/** Not the project's own text: installed packages, version control, caches and command output (gitignored). */
const SKIPPED = new Set(['node_modules', '.git', '.cache', 'dist', 'out', 'build', 'coverage']);
const BINARY = /\.(png|jpe?g|gif|ico|zip|xlsx|dll|exe)$/i;

function textFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (SKIPPED.has(entry.name)) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...textFiles(full));
    else if (entry.isFile() && !BINARY.test(entry.name)) out.push(full);
  }
  return out;
}

describe('the repository', () => {
  it('holds no real-format phone number of any brand\'s market, nor any other international number', () => {
    const files = textFiles(ROOT);
    expect(files.length).toBeGreaterThan(300);
    const found: string[] = [];
    for (const file of files) {
      fs.readFileSync(file, 'utf8').split('\n').forEach((line, i) => {
        for (const m of findPhoneNumbers(line)) found.push(`${path.relative(ROOT, file)}:${i + 1}: ${m.text}`);
      });
    }
    expect(found).toEqual([]);
  });
});
