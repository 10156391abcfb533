import { brandBlockLines } from '../../lib/script-brand-block';
import { SCRIPT_FILE } from '../connector';
import type { Rule, RuleHit } from '../rule';

const CONSTANT = /^\s*private const string (\w+) = "((?:[^"\\]|\\.)*)";\s*$/;

/** The escaped regular expression for a text, matched as whole words. */
const wordPattern = (text: string): RegExp => new RegExp(`(?<![\\w.-])${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\w-])`);

export const rule: Rule = {
  id: 'script-brand-texts',
  // Nothing breaks at import or run time; the project's own check still fails on it (it fails on warnings).
  severity: 'warn',
  description:
    'A script.csx with a brand block (`// brand-texts:begin` … `// brand-texts:end`, one file for every brand) names its brand only there: ' +
    'no text of the block (product, operator, portal, host…) is written out elsewhere in the file, or the other brands\' copies would carry it. ' +
    'A project rule: the block is how this project ships one script to several certified connectors.',
  fix: 'Use the block\'s constant instead of the text (`"… in the " + BrandPortal + "."`); the texts themselves belong in the brand profile (connector/brand/).',
  check(c) {
    if (c.script === undefined) return [];
    const lines = c.script.split('\n');
    let block: { begin: number; end: number } | undefined;
    try {
      block = brandBlockLines(lines);
    } catch (error) {
      return [{ file: SCRIPT_FILE, pointer: '', message: (error as Error).message }];
    }
    if (block === undefined) return [];
    const texts = lines
      .slice(block.begin + 1, block.end)
      .map((line) => CONSTANT.exec(line))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => ({ name: m[1], text: JSON.parse(`"${m[2]}"`) as string, pattern: wordPattern(JSON.parse(`"${m[2]}"`) as string) }));
    const hits: RuleHit[] = [];
    lines.forEach((line, i) => {
      if (i >= block!.begin && i <= block!.end) return;
      for (const t of texts) {
        if (t.pattern.test(line)) {
          hits.push({ file: SCRIPT_FILE, pointer: '', message: `line ${i + 1}: names the brand ("${t.text}") outside the brand block; use ${t.name}.` });
        }
      }
    });
    return hits;
  },
};
