/**
 * Reading a connector folder from disk without ever throwing: every file-system failure becomes a
 * reason that names what is wrong (missing, a directory, permission denied, a symbolic link loop,
 * not a regular file, too large), and bytes that are not UTF-8 are located by byte offset. The file
 * system is injected so that tests can produce failures the machine cannot (a permission error while
 * running as root, who reads everything).
 */
import { type Stats, accessSync, constants, readFileSync, statSync } from 'node:fs';
import { fsReason } from '../lib/fs-reason';

/** The few calls the check makes on the file system. */
export interface CheckFs {
  /** Follows symbolic links (a loop fails with ELOOP). */
  stat(path: string): Pick<Stats, 'isFile' | 'isDirectory' | 'isFIFO' | 'isSocket' | 'isCharacterDevice' | 'isBlockDevice' | 'size'>;
  readFile(path: string): Buffer;
  /** Throws (EACCES) when the folder cannot be entered. */
  enter(path: string): void;
}

export const NODE_FS: CheckFs = {
  stat: (path) => statSync(path),
  readFile: (path) => readFileSync(path),
  enter: (path) => accessSync(path, constants.X_OK),
};

/**
 * The most a file may weigh before the check refuses to read it. The platform refuses a definition
 * over 1 MB and custom code over 1 MB, so a file 16 times larger is never a connector.
 */
export const MAX_FILE_BYTES = 16 * 1024 * 1024;

/** What a stat says is wrong with a path that should be a regular file, if anything. */
function notAFile(stat: ReturnType<CheckFs['stat']>): string | undefined {
  if (stat.isFile()) return undefined;
  if (stat.isDirectory()) return 'is a folder, not a file';
  if (stat.isFIFO()) return 'is a named pipe (FIFO), not a file';
  if (stat.isSocket()) return 'is a socket, not a file';
  if (stat.isCharacterDevice() || stat.isBlockDevice()) return 'is a device, not a file';
  return 'is not a regular file';
}

export type FileRead =
  | {
      kind: 'text';
      text: string;
      bytes: number;
      /** Byte offset of the first byte that is not UTF-8, and the offset of its U+FFFD in `text`. */
      invalidUtf8At?: number;
      invalidUtf8Char?: number;
    }
  | { kind: 'missing' }
  | { kind: 'unreadable'; reason: string }
  | { kind: 'too-large'; bytes: number };

/** Reads a file as UTF-8 text, or says why it cannot. Never throws, never blocks on a pipe. */
export function readTextFile(path: string, fs: CheckFs = NODE_FS, maxBytes = MAX_FILE_BYTES): FileRead {
  let stat;
  try {
    stat = fs.stat(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // A dangling symbolic link is as missing as no file at all.
    if (code === 'ENOENT') return { kind: 'missing' };
    return { kind: 'unreadable', reason: fsReason(error) };
  }
  const wrongKind = notAFile(stat);
  if (wrongKind) return { kind: 'unreadable', reason: wrongKind };
  if (stat.size > maxBytes) return { kind: 'too-large', bytes: stat.size };
  let buffer: Buffer;
  try {
    buffer = fs.readFile(path);
  } catch (error) {
    return { kind: 'unreadable', reason: fsReason(error) };
  }
  // A file that grew between the stat and the read is held to the same bound.
  if (buffer.length > maxBytes) return { kind: 'too-large', bytes: buffer.length };
  const invalidUtf8At = firstInvalidUtf8(buffer);
  const text = buffer.toString('utf8');
  if (invalidUtf8At === undefined) return { kind: 'text', text, bytes: buffer.length };
  return { kind: 'text', text, bytes: buffer.length, invalidUtf8At, invalidUtf8Char: buffer.subarray(0, invalidUtf8At).toString('utf8').length };
}

/** Why a folder cannot be checked at all, if it cannot: missing, a file, a loop, not enterable. */
export function folderProblem(dir: string, fs: CheckFs = NODE_FS): string | undefined {
  try {
    const stat = fs.stat(dir);
    if (!stat.isDirectory()) return 'is a file, not a folder';
    fs.enter(dir);
    return undefined;
  } catch (error) {
    return fsReason(error);
  }
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Byte offset of the first byte sequence that is not UTF-8 (RFC 3629: no overlong forms, no
 * surrogates, nothing above U+10FFFF), or undefined. The native decoder answers the common case.
 */
export function firstInvalidUtf8(bytes: Uint8Array): number | undefined {
  try {
    strictUtf8.decode(bytes);
    return undefined;
  } catch {
    // Find where, below.
  }
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i];
    if (b < 0x80) {
      i += 1;
      continue;
    }
    let need: number;
    let min: number;
    if (b >= 0xc2 && b <= 0xdf) [need, min] = [1, 0x80];
    else if (b >= 0xe0 && b <= 0xef) [need, min] = [2, 0x800];
    else if (b >= 0xf0 && b <= 0xf4) [need, min] = [3, 0x10000];
    else return i;
    if (i + need >= bytes.length) return i;
    let code = b & (0x3f >> need);
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
      code = (code << 6) | (c & 0x3f);
    }
    if (code < min || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return i;
    i += need + 1;
  }
  return undefined;
}
