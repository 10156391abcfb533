/**
 * script.csx is one file for every brand: the C# logic names no brand, and the brand texts live in
 * one marked block of constants that `npm run build` writes from the profile. The top-level file is
 * the primary brand's; `brands/<slug>/script.csx` is the same file with that brand's block.
 */
import { brandBlockLines, SCRIPT_BLOCK_BEGIN, SCRIPT_BLOCK_END } from '../../lib/script-brand-block';
import type { BrandProfile } from '../model/types';
import { type BrandPlaceholder, brandValues } from './texts';

export { SCRIPT_BLOCK_BEGIN, SCRIPT_BLOCK_END };

/** `portal` → `BrandPortal`: the C# constant that holds a placeholder's text. */
export const scriptConstant = (name: BrandPlaceholder): string => `Brand${name[0].toUpperCase()}${name.slice(1)}`;

/** A C# regular string literal (JSON's escapes are C#'s for every character JSON escapes). */
const csharpString = (value: string): string => JSON.stringify(value);

function block(lines: string[]): { begin: number; end: number } {
  const found = brandBlockLines(lines);
  if (found === undefined) throw new Error(`script.csx has no brand block: the brand texts go between '${SCRIPT_BLOCK_BEGIN}' and '${SCRIPT_BLOCK_END}' lines.`);
  return found;
}

/** The brand block's lines for `brand`, indented like the begin marker. */
export function scriptBlock(brand: BrandProfile, indent: string): string[] {
  return Object.entries(brandValues(brand)).map(
    ([name, value]) => `${indent}private const string ${scriptConstant(name as BrandPlaceholder)} = ${csharpString(value)};`,
  );
}

/** The script template with the brand block rewritten for `brand`; everything else unchanged. */
export function brandScript(template: string, brand: BrandProfile): string {
  const lines = template.split('\n');
  const { begin, end } = block(lines);
  const indent = /^\s*/.exec(lines[begin])![0];
  return [...lines.slice(0, begin + 1), ...scriptBlock(brand, indent), ...lines.slice(end)].join('\n');
}

/** The template outside its brand block (what must name no brand). */
export function scriptOutsideBlock(template: string): string {
  const lines = template.split('\n');
  const { begin, end } = block(lines);
  return [...lines.slice(0, begin), ...lines.slice(end + 1)].join('\n');
}
