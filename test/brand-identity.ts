// Shared by the brand tests: the texts that identify a brand, and where one brand's show up in another's output.
import type { BrandProfile } from '../connector/model/types';

/** Every text that names the brand: product, operator, publisher, hosts, e-mail, portal, logical names, colour, market. */
export function identityTexts(brand: BrandProfile): string[] {
  const host = (url: string): string => new URL(url).host;
  const compact = brand.title.replace(/\s+/g, '');
  return [
    brand.title,
    compact, // Power Apps data source and logical names (`ZvanuParvaldnieks`, `shared_zvanuparvaldnieks`)
    brand.slug,
    brand.host,
    host(brand.website),
    host(brand.privacyPolicy),
    host(brand.contact.url),
    brand.contact.name,
    brand.contact.email,
    brand.contact.email.split('@')[1],
    brand.publisher,
    brand.stackOwner,
    brand.certificationFolder,
    brand.texts.operator,
    brand.texts.portal,
    brand.texts.subscription,
    brand.brandColor,
    brand.market.country,
    brand.market.callingCode,
    brand.market.timeZone,
  ];
}

/** `brand`'s identity texts that `other` does not share (what must never appear in `other`'s output). */
export function foreignTexts(brand: BrandProfile, other: BrandProfile): string[] {
  const own = new Set(identityTexts(other).map((t) => t.toLowerCase()));
  return [...new Set(identityTexts(brand).map((t) => t.toLowerCase()))].filter((t) => !own.has(t));
}

/** `file: text` for every foreign text found (case-insensitive) in the given files. */
export function leaks(files: ReadonlyArray<{ path: string; content: string | Buffer }>, foreign: readonly string[]): string[] {
  const found: string[] = [];
  for (const file of files) {
    if (typeof file.content !== 'string') continue;
    const lower = file.content.toLowerCase();
    for (const text of foreign) if (lower.includes(text)) found.push(`${file.path}: ${text}`);
  }
  return found;
}
