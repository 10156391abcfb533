/**
 * How a stand-in writes a file: whole, under a temporary name beside it, then renamed over it, so a run
 * stopped half-way (a signal) leaves either no file or a complete one, never a truncated one.
 */
import * as fs from 'fs';
import * as path from 'path';

export function writeFileWhole(file: string, data: string | Buffer): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temporary = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  fs.writeFileSync(temporary, data);
  fs.renameSync(temporary, file);
}
