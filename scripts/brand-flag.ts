// The --brand flag of the commands that work on one brand (start, bench, baseline) or on one or all
// (package): one declaration, so every command offers the same brands by the same names.
import { brands, primaryBrand } from '../connector/brand';

/** `--brand <slug>`: one of the brands, the primary brand when absent. */
export function brandFlag(description: string): { type: 'string'; choices: readonly string[]; default: string; description: string } {
  return { ...brandOrEveryFlag(description), default: primaryBrand.slug };
}

/** `--brand <slug>` without a default: absent means every brand. */
export function brandOrEveryFlag(description: string): { type: 'string'; choices: readonly string[]; description: string } {
  return { type: 'string', choices: brands.map((b) => b.slug), description };
}
