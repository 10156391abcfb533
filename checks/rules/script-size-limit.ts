import { SCRIPT_FILE } from '../connector';
import { type Rule, SOURCES } from '../rule';

export const MAX_SCRIPT_BYTES = 1024 * 1024;

export const rule: Rule = {
  id: 'script-size-limit',
  severity: 'error',
  description: 'script.csx is smaller than 1 MB.',
  fix: 'Move data out of the script and remove dead code.',
  severityReason: 'Import: the platform refuses custom code of 1 MB or more.',
  source: SOURCES.code,
  check(c) {
    if (c.script === undefined) return [];
    const bytes = Buffer.byteLength(c.script, 'utf8');
    return bytes >= MAX_SCRIPT_BYTES ? [{ file: SCRIPT_FILE, pointer: '', message: `script.csx is ${bytes} bytes; it must be under ${MAX_SCRIPT_BYTES} bytes (1 MB).` }] : [];
  },
};
