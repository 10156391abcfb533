/**
 * Files a reader may open at any moment (a workbook, an outbox, a recorded scenario): written to a
 * temporary name in the same folder, then renamed over the old one. A process stopped in between
 * leaves the previous file or the complete new one, never a truncated file.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Writes `data` to `file` through a temporary file in the same folder and a rename. */
export function writeFileAtomically(file: string, data: string | Uint8Array): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${Date.now()}.tmp`);
  try {
    fs.writeFileSync(temp, data, { flag: 'wx' });
    fs.renameSync(temp, file);
  } catch (e) {
    fs.rmSync(temp, { force: true });
    throw e;
  }
}
