// Files written through a temporary name and a rename: a reader (or a process stopped mid-write)
// sees the previous file or the complete new one, never a truncated file.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeFileAtomically } from '../../lib/files';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'files-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('writeFileAtomically', () => {
  it('replaces the file whole: a reader of the old one still reads all of it, and no temporary file is left', () => {
    const file = path.join(tmp, 'new-folder', 'book.xlsx');
    writeFileAtomically(file, 'old content, complete');
    const reader = fs.openSync(file, 'r');
    writeFileAtomically(file, new Uint8Array(Buffer.from('new content')));
    expect(fs.readFileSync(reader, 'utf8')).toBe('old content, complete');
    fs.closeSync(reader);
    expect(fs.readFileSync(file, 'utf8')).toBe('new content');
    expect(fs.readdirSync(path.dirname(file))).toEqual(['book.xlsx']);
  });

  it('a write that cannot land leaves what was there and no temporary file', () => {
    const target = path.join(tmp, 'taken');
    fs.mkdirSync(path.join(target, 'inside'), { recursive: true });
    expect(() => writeFileAtomically(target, 'text')).toThrow();
    expect(fs.readdirSync(target)).toEqual(['inside']);
    expect(fs.readdirSync(tmp).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});
