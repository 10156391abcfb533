// Real-format phone numbers for the tests that prove the scrubber and the scan catch them. They are
// built here at run time from the markets' rules: written out in a source file, they would be what
// the repository must never hold (test/contract/repository-numbers.test.ts scans it for any).
import { mobiliStotele } from '../../connector/brand/mobili-stotele';
import { zvanuParvaldnieks } from '../../connector/brand/zvanu-parvaldnieks';

const LV = zvanuParvaldnieks.market;
const LT = mobiliStotele.market;
const code = (callingCode: string): string => callingCode.slice(1);

/** A national number: `first` (one of the market's first digits) and the rest, to the market's length. */
function national(market: typeof LV, first: string, rest: string): string {
  if (!market.numbers.firstDigits.includes(first)) throw new Error(`${first} does not start a national number of ${market.country}`);
  const digits = first + rest;
  if (digits.length !== market.numbers.length) throw new Error(`${digits} is not ${market.numbers.length} digits long`);
  return digits;
}

/** A Latvian mobile number, its landline twin, a Lithuanian mobile number (national parts). */
export const LV_MOBILE = national(LV, '2', '6123456');
export const LV_LANDLINE = national(LV, '6', '7123456');
export const LT_MOBILE = national(LT, '6', '1234567');
export const LV_TOLL_FREE = national(LV, '8', '0001234');
/** The same, written in full with the calling code. */
export const international = (digits: string, market = LV): string => `${market.callingCode}${digits}`;

const pairs = (digits: string): string[] => digits.match(/\d\d/g)!;

export interface Planted {
  /** How it is written, in the words of the issue that found it missed. */
  label: string;
  text: string;
  /** Its national digits: none may survive scrubbing. */
  national: string;
}

/** Every spelling the scrubber and the scan must catch. */
export const PLANTED: readonly Planted[] = [
  { label: 'Latvian, international, spaced', text: `${LV.callingCode} ${LV_MOBILE.slice(0, 4)} ${LV_MOBILE.slice(4)}`, national: LV_MOBILE },
  { label: 'Latvian, international, no spaces', text: `${LV.callingCode}${LV_MOBILE}`, national: LV_MOBILE },
  { label: 'Latvian, 00 and calling code', text: `00${code(LV.callingCode)}${LV_MOBILE}`, national: LV_MOBILE },
  { label: 'Latvian, calling code without +', text: `${code(LV.callingCode)}${LV_MOBILE}`, national: LV_MOBILE },
  { label: 'Latvian, bare', text: LV_MOBILE, national: LV_MOBILE },
  { label: 'Latvian landline, bare', text: LV_LANDLINE, national: LV_LANDLINE },
  { label: 'Latvian, a dash inside', text: `${LV.callingCode} ${LV_MOBILE.slice(0, 4)}-${LV_MOBILE.slice(4)}`, national: LV_MOBILE },
  { label: 'Latvian, dashes between pairs', text: pairs(LV_MOBILE).join('-'), national: LV_MOBILE },
  { label: 'Latvian, dots between pairs', text: pairs(LV_MOBILE).join('.'), national: LV_MOBILE },
  { label: 'Latvian, double spaces', text: `${LV.callingCode}  ${LV_MOBILE.slice(0, 4)}  ${LV_MOBILE.slice(4)}`, national: LV_MOBILE },
  { label: 'Latvian, brackets round the code', text: `(${LV.callingCode}) ${LV_MOBILE}`, national: LV_MOBILE },
  // Separators text copied from a document or a spreadsheet carries: a tab, en dashes, narrow no-break spaces.
  { label: 'Latvian, a tab inside', text: `${LV.callingCode} ${LV_MOBILE.slice(0, 4)}\t${LV_MOBILE.slice(4)}`, national: LV_MOBILE },
  { label: 'Latvian, en dashes between pairs', text: pairs(LV_MOBILE).join('\u2013'), national: LV_MOBILE },
  { label: 'Latvian, narrow no-break spaces', text: `${LV.callingCode}\u202f${LV_MOBILE.slice(0, 4)}\u202f${LV_MOBILE.slice(4)}`, national: LV_MOBILE },
  { label: 'Lithuanian, calling code without +', text: `${code(LT.callingCode)}${LT_MOBILE}`, national: LT_MOBILE },
  { label: 'Lithuanian, trunk prefix 8', text: `8${LT_MOBILE}`, national: LT_MOBILE },
  { label: 'Lithuanian, 00 and calling code', text: `00${code(LT.callingCode)}${LT_MOBILE}`, national: LT_MOBILE },
  { label: 'Lithuanian, international, spaced', text: `${LT.callingCode} ${LT_MOBILE.slice(0, 3)} ${LT_MOBILE.slice(3)}`, national: LT_MOBILE },
  { label: 'Lithuanian, trunk prefix 0, spaced', text: `0 ${LT_MOBILE.slice(0, 3)} ${LT_MOBILE.slice(3)}`, national: LT_MOBILE },
  { label: 'Lithuanian, trunk prefix 8 in brackets', text: `(8 ${LT_MOBILE.slice(0, 1)}) ${LT_MOBILE.slice(1)}`, national: LT_MOBILE },
  // A number of another country, in the UK's range for drama (Ofcom), written as the UK writes it.
  { label: 'another country, + and spaces', text: ['+44', '20', '7946', '0958'].join(' '), national: ['7946', '0958'].join('') },
];
