/**
 * Phone numbers as each brand's market writes them (its `market` in connector/brand/): what the
 * recorder's scrubber and the scenario scan recognise as a real number, how two spellings are found to
 * be one number, and each market's fake range, which the sandbox and the tests draw from.
 */
import type { NumberingPlan } from '../model/types';
import { brands } from './index';

/**
 * Phone numbers, by market. Every brand's market (connector/brand/, `market`) says how its numbers
 * are written: calling code, length and first digits of a national number, trunk prefixes, whether a
 * national number is written alone. A number is recognised in each of those spellings with any
 * separator between its digits (spaces of any width and tabs, also doubled, dashes of any kind, dots,
 * slashes, brackets), e.g. for a national number NNNNNNNN: `+371 NNNN-NNNN`, `NN.NN.NN.NN`,
 * `NN–NN–NN–NN`, `00370NNNNNNNN`, `370NNNNNNNN`, `8 NNN NNNNN`. Any other number written with a `+` and 8–15 digits is recognised too. Dates and
 * times (`2026-11-02`, `26.11.2026`, `09:15:00`) are not numbers.
 *
 * Each market's fake range is its calling code followed by 0 and the rest of a national number
 * (`+3710…`, `+3700…`): no national number starts with 0, so nothing after `<calling code>0` is real.
 */
export interface Market {
  callingCode: string;
  numbers: NumberingPlan;
}

export const MARKETS: readonly Market[] = brands.map((b) => b.market);

/**
 * Between two digits of a number: up to three of a space of any width (tab, no-break, thin, narrow
 * no-break), a dash of any kind (hyphen, en and em dash, minus), a dot, a slash, brackets; never a line break.
 */
const SEP = String.raw`[ \t\u00a0\u2007-\u200a\u202f.\-\u2010-\u2015\u2212/()]{0,3}`;
/** What joins the groups of digits of a GUID or a date (a longer group of digits, not a phone number). */
const JOIN = String.raw`[.\-\u2010-\u2015\u2212/]`;
// Not part of a longer word, number or group of digits (the groups of a GUID made of digits).
const NOT_BEFORE = String.raw`(?<![\p{L}\p{N}+])(?<!\d${JOIN})`;
const NOT_AFTER = String.raw`(?![\p{L}\p{N}])(?!${JOIN}\d)`;

const codeOf = (market: Market): string => market.callingCode.replace(/^\+/, '');

function marketSpellings(market: Market): string[] {
  const { length, firstDigits, trunkPrefixes, writtenAlone } = market.numbers;
  const national = `[${firstDigits}](?:${SEP}\\d){${length - 1}}`;
  return [
    // +371 / 00371 / 371, then the national number.
    String.raw`(?:\(?(?:\+|00)${SEP})?${codeOf(market)}\)?${SEP}${national}`,
    ...trunkPrefixes.map((trunk) => String.raw`\(?${trunk}${SEP}${national}`),
    ...(writtenAlone ? [national] : []),
  ];
}

/** Any international number with a +: 8–15 digits. */
const INTERNATIONAL = String.raw`\+[1-9](?:${SEP}\d){7,14}`;

const PHONE_SOURCE = `${NOT_BEFORE}(?:${[...MARKETS.flatMap(marketSpellings), INTERNATIONAL].join('|')})${NOT_AFTER}`;

/** Number-like matches, fakes included (see findPhoneNumbers). */
export function phonePattern(): RegExp {
  return new RegExp(PHONE_SOURCE, 'gu');
}

/** Dates and times, whose digits must not be read as a number. */
const DATES_AND_TIMES = new RegExp(
  [
    String.raw`\d{4}(${JOIN})\d{2}\1\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?`,
    String.raw`(?<!\d[./-]?)\d{1,2}[./]\d{1,2}[./](?:\d{4}|\d{2})(?![./-]?\d)`,
    String.raw`\d{1,2}:\d{2}(?::\d{2})?`,
  ].join('|'),
  'g',
);

export interface PhoneMatch {
  index: number;
  text: string;
}

/** The real-looking phone numbers of `text`: number-like matches outside dates and times, fakes left out. */
export function findPhoneNumbers(text: string): PhoneMatch[] {
  const protectedSpans = [...text.matchAll(DATES_AND_TIMES)].map((m) => [m.index ?? 0, (m.index ?? 0) + m[0].length] as const);
  const out: PhoneMatch[] = [];
  for (const m of text.matchAll(phonePattern())) {
    const start = m.index ?? 0;
    const end = start + m[0].length;
    if (protectedSpans.some(([a, b]) => start < b && a < end)) continue;
    if (isFakeNumber(m[0])) continue;
    out.push({ index: start, text: m[0] });
  }
  return out;
}

/** Canonical key for a phone number (the same number in any spelling gives the same key): `+<code><national>`. */
export function canonicalPhone(match: string): string {
  let digits = match.replace(/[^\d+]/g, '');
  if (digits.startsWith('00')) digits = '+' + digits.slice(2);
  if (digits.startsWith('+')) return digits;
  for (const market of MARKETS) {
    const { length, firstDigits, trunkPrefixes, writtenAlone } = market.numbers;
    const national = new RegExp(`^[${firstDigits}]\\d{${length - 1}}$`);
    const code = codeOf(market);
    if (digits.startsWith(code) && national.test(digits.slice(code.length))) return `+${digits}`;
    const trunk = trunkPrefixes.find((t) => digits.startsWith(t) && national.test(digits.slice(t.length)));
    if (trunk !== undefined) return `+${code}${digits.slice(trunk.length)}`;
    if (writtenAlone && national.test(digits)) return `+${code}${digits}`;
  }
  return `+${digits}`;
}

/** Not a real number: a market's calling code then 0 (its fake range, or shorter), which no national number starts with. */
export function isFakeNumber(text: string): boolean {
  const canonical = canonicalPhone(text);
  return MARKETS.some((m) => canonical.startsWith(`+${codeOf(m)}0`));
}

/** The fake numbers of a market: `fakeNumberOf(market, 1001)` → `+37100001001`. */
export function fakeNumberOf(market: Market, n: number): string {
  const digits = market.numbers.length - 1;
  if (!Number.isInteger(n) || n < 0 || n >= 10 ** digits) throw new RangeError(`fake number index out of range: ${n}`);
  return `${market.callingCode}0${String(n).padStart(digits, '0')}`;
}
