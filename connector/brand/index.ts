/**
 * Every brand the project generates, checks and packages from the one model. The first is the
 * primary brand: its files stay at the top level (the published layout); every further brand gets
 * `brands/<slug>/`. Each brand is guarded against its own published 1.0 surface, a baseline that
 * mirrors the same layout. Adding a brand: a profile file here, one line in `brands`, its baseline
 * (README, "Adding a brand").
 */
import type { BrandProfile } from '../model/types';
import { mobiliStotele } from './mobili-stotele';
import { zvanuParvaldnieks } from './zvanu-parvaldnieks';

export const brands: readonly BrandProfile[] = [zvanuParvaldnieks, mobiliStotele];

export const primaryBrand: BrandProfile = brands[0];

export interface BrandLayout {
  brand: BrandProfile;
  /** Folder of the brand's generated files, relative to the project root: `''` or `brands/<slug>`. */
  dir: string;
  /** The published 1.0 surface it is guarded against, relative to the project root. */
  baselineFile: string;
}

/** `prefix('docs/x.md')` → `brands/<slug>/docs/x.md` (or the path itself for the primary brand). */
export function brandPath(layout: Pick<BrandLayout, 'dir'>, file: string): string {
  return layout.dir === '' ? file : `${layout.dir}/${file}`;
}

export function brandLayout(brand: BrandProfile): BrandLayout {
  const primary = brand.slug === primaryBrand.slug;
  return {
    brand,
    dir: primary ? '' : `brands/${brand.slug}`,
    baselineFile: primary ? 'connector/baseline/published-1.0.json' : `connector/baseline/${brand.slug}/published-1.0.json`,
  };
}

export function brandLayouts(): BrandLayout[] {
  return brands.map(brandLayout);
}

/** The brand named by `--brand` (slug or title, any case); the error lists the known ones. */
export function findBrand(name: string): BrandProfile {
  const wanted = name.trim().toLowerCase();
  const found = brands.find((b) => b.slug === wanted || b.title.toLowerCase() === wanted);
  if (!found) throw new Error(`unknown brand '${name}'; known brands: ${brands.map((b) => b.slug).join(', ')}`);
  return found;
}
