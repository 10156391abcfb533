/**
 * The brand block of script.csx: the lines between these markers hold the brand texts as C#
 * constants, written by `npm run build` from the brand profile. The generator (connector/brand/)
 * writes it and a check rule (checks/) reads it, so the convention lives here, between them.
 */
export const SCRIPT_BLOCK_BEGIN = '// brand-texts:begin';
export const SCRIPT_BLOCK_END = '// brand-texts:end';

/** Line indexes of the markers; undefined when the script has none; an error when they are not one well-formed pair. */
export function brandBlockLines(lines: readonly string[]): { begin: number; end: number } | undefined {
  const at = (marker: string): number[] => lines.flatMap((line, i) => (line.trim() === marker ? [i] : []));
  const begins = at(SCRIPT_BLOCK_BEGIN);
  const ends = at(SCRIPT_BLOCK_END);
  if (begins.length === 0 && ends.length === 0) return undefined;
  if (begins.length !== 1 || ends.length !== 1) {
    throw new Error(
      `script.csx must hold exactly one '${SCRIPT_BLOCK_BEGIN}' line and one '${SCRIPT_BLOCK_END}' line (found ${begins.length} and ${ends.length}).`,
    );
  }
  if (ends[0] < begins[0]) throw new Error(`script.csx: '${SCRIPT_BLOCK_END}' comes before '${SCRIPT_BLOCK_BEGIN}'.`);
  return { begin: begins[0], end: ends[0] };
}
