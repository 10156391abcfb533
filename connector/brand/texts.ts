/**
 * Brand placeholders: model texts that name the product, operator, portal or host say `{{product}}`,
 * `{{portal}}`… (write them as `${BRAND.portal}`, so a typo fails to compile), and `applyBrand`
 * fills them from the brand profile. The model itself names no brand.
 */
import type { BrandProfile, ConnectorModel } from '../model/types';

const VALUES = {
  product: (b: BrandProfile) => b.title,
  operator: (b: BrandProfile) => b.texts.operator,
  portal: (b: BrandProfile) => b.texts.portal,
  apiKeyPage: (b: BrandProfile) => b.texts.apiKeyPage,
  webhooksMenu: (b: BrandProfile) => b.texts.webhooksMenu,
  host: (b: BrandProfile) => b.host,
} as const;

export type BrandPlaceholder = keyof typeof VALUES;

/** Every placeholder's text for `brand`, in a fixed order. */
export function brandValues(brand: BrandProfile): Record<BrandPlaceholder, string> {
  return Object.fromEntries(Object.entries(VALUES).map(([name, value]) => [name, value(brand)])) as Record<BrandPlaceholder, string>;
}

/** `BRAND.portal` is the text `{{portal}}`, filled per brand. */
export const BRAND = Object.fromEntries(Object.keys(VALUES).map((name) => [name, `{{${name}}}`])) as Record<BrandPlaceholder, string>;

const PLACEHOLDER = /\{\{([^{}]*)\}\}/g;

/** Fills every `{{name}}` of `text`; an unknown name is an error that names it and the known ones. */
export function fillBrandText(text: string, brand: BrandProfile): string {
  return text.replace(PLACEHOLDER, (whole, name: string) => {
    if (!Object.prototype.hasOwnProperty.call(VALUES, name)) {
      throw new Error(`unknown brand placeholder ${whole} in "${text}"; known: ${Object.keys(VALUES).map((n) => `{{${n}}}`).join(', ')}`);
    }
    return VALUES[name as BrandPlaceholder](brand);
  });
}

/** The first `{{name}}` of a known placeholder left in `text`, if any. */
export function unfilledPlaceholder(text: string): string | undefined {
  for (const match of text.matchAll(PLACEHOLDER)) if (Object.prototype.hasOwnProperty.call(VALUES, match[1])) return match[0];
  return undefined;
}

/**
 * The model with every placeholder filled from `model.brand`. Objects shared in the model (a view
 * used by several operations) stay shared in the result, so the builders still see one definition.
 */
export function applyBrand(model: ConnectorModel): ConnectorModel {
  const seen = new Map<object, unknown>();
  const fill = (value: unknown): unknown => {
    if (typeof value === 'string') return fillBrandText(value, model.brand);
    if (typeof value !== 'object' || value === null) return value;
    const done = seen.get(value);
    if (done !== undefined) return done;
    if (Array.isArray(value)) {
      const out: unknown[] = [];
      seen.set(value, out);
      for (const item of value) out.push(fill(item));
      return out;
    }
    const out: Record<string, unknown> = {};
    seen.set(value, out);
    for (const [key, item] of Object.entries(value)) out[key] = fill(item);
    return out;
  };
  return { ...model, auth: fill(model.auth) as ConnectorModel['auth'], operations: fill(model.operations) as ConnectorModel['operations'] };
}
