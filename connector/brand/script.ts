/**
 * script.csx is one file for every brand: the C# logic names no brand, and the brand texts live in
 * one marked block of constants that `npm run build` writes from the profile. The top-level file is
 * the primary brand's; `brands/<slug>/script.csx` is the same file with that brand's block.
 */
import type { BrandProfile } from '../model/types';
import { type BrandPlaceholder, brandValues } from './texts';

export const SCRIPT_BLOCK_BEGIN = '// brand-texts:begin';
export const SCRIPT_BLOCK_END = '// brand-texts:end';

/** `portal` → `BrandPortal`: the C# constant that holds a placeholder's text. */
export const scriptConstant = (name: BrandPlaceholder): string => `Brand${name[0].toUpperCase()}${name.slice(1)}`;

/** A C# regular string literal (JSON's escapes are C#'s for every character JSON escapes). */
const csharpString = (value: string): string => JSON.stringify(value);

function lineIndex(lines: string[], marker: string): number {
  const found = lines.flatMap((line, i) => (line.trim() === marker ? [i] : []));
  if (found.length !== 1) {
    throw new Error(`script.csx must hold exactly one '${marker}' line (found ${found.length}); the brand texts go between '${SCRIPT_BLOCK_BEGIN}' and '${SCRIPT_BLOCK_END}'.`);
  }
  return found[0];
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
  const begin = lineIndex(lines, SCRIPT_BLOCK_BEGIN);
  const end = lineIndex(lines, SCRIPT_BLOCK_END);
  if (end < begin) throw new Error(`script.csx: '${SCRIPT_BLOCK_END}' comes before '${SCRIPT_BLOCK_BEGIN}'.`);
  const indent = /^\s*/.exec(lines[begin])![0];
  return [...lines.slice(0, begin + 1), ...scriptBlock(brand, indent), ...lines.slice(end)].join('\n');
}

/** The template outside its brand block (what must name no brand). */
export function scriptOutsideBlock(template: string): string {
  const lines = template.split('\n');
  const begin = lineIndex(lines, SCRIPT_BLOCK_BEGIN);
  const end = lineIndex(lines, SCRIPT_BLOCK_END);
  return [...lines.slice(0, begin), ...lines.slice(end + 1)].join('\n');
}
