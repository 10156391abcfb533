import { SCRIPT_FILE } from '../connector';
import { scanCSharp, unbalancedBrace } from '../csharp';
import { type Rule, SOURCES } from '../rule';

export const rule: Rule = {
  id: 'script-truncated',
  severity: 'error',
  description: 'script.csx is complete: its braces balance outside strings and comments, and no comment or string is left open (a file cut short by a bad copy or merge).',
  fix: 'Restore the end of the file from version control, or close the brace, comment or string at the reported line.',
  severityReason: 'Import: code that does not compile is refused when it is uploaded (or, uploaded without checks, fails every operation it serves).',
  source: SOURCES.code,
  check(c) {
    if (c.script === undefined) return [];
    const scanned = scanCSharp(c.script);
    if (scanned.unterminated) {
      const { what, line } = scanned.unterminated;
      return [{ file: SCRIPT_FILE, pointer: '', message: `line ${line}: a ${what === 'comment' ? 'block comment' : 'string literal'} is never closed; script.csx looks truncated.` }];
    }
    const brace = unbalancedBrace(scanned);
    if (!brace) return [];
    return [{
      file: SCRIPT_FILE,
      pointer: '',
      message: brace.brace === '{'
        ? `line ${brace.line}: this '{' is never closed; script.csx looks truncated.`
        : `line ${brace.line}: this '}' closes nothing; a block was cut or pasted twice.`,
    }];
  },
};
