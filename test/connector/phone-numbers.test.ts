// Phone numbers by market (connector/brand/phone-numbers.ts): every brand's market drives what the recorder's
// scrubber and the scenario scan take for a real number, in any spelling, with any separator.
import { describe, expect, it } from 'vitest';
import { brands } from '../../connector/brand';
import { canonicalPhone, fakeNumberOf, findPhoneNumbers, isFakeNumber } from '../../connector/brand/phone-numbers';
import { LT_MOBILE, LV_MOBILE, PLANTED } from '../support/planted-numbers';

describe('real numbers', () => {
  it.each(PLANTED.map((p) => [p.label, p.text] as const))('%s: found whole, alone and inside a sentence', (_label, text) => {
    expect(findPhoneNumbers(text)).toEqual([{ index: 0, text }]);
    const sentence = `Missed call from ${text}, please call back.`;
    expect(findPhoneNumbers(sentence)).toEqual([{ index: 'Missed call from '.length, text }]);
  });

  it('every spelling of one number has one canonical form, in its market', () => {
    const of = (national: string) => new Set(PLANTED.filter((p) => p.national === national).map((p) => canonicalPhone(p.text)));
    expect(of(LV_MOBILE)).toEqual(new Set([`${brands[0].market.callingCode}${LV_MOBILE}`]));
    expect(of(LT_MOBILE)).toEqual(new Set([`${brands[1].market.callingCode}${LT_MOBILE}`]));
  });

  it('each brand\'s market is recognised: its calling code and a national number of its length', () => {
    for (const { slug, market } of brands) {
      const national = market.numbers.firstDigits[0] + '1'.repeat(market.numbers.length - 1);
      expect(findPhoneNumbers(`${market.callingCode} ${national}`), slug).toHaveLength(1);
      for (const trunk of market.numbers.trunkPrefixes) expect(findPhoneNumbers(`${trunk} ${national}`), `${slug} ${trunk}`).toHaveLength(1);
    }
  });
});

describe('not numbers', () => {
  it.each([
    ['an ISO date and a timestamp', '2026-11-02 and 2026-11-02T09:15:00+02:00'],
    ['a local date and time', '26.11.2026 09:15:00'],
    ['a date with slashes, dots or en dashes (dashes of any kind join a number\'s digits too)', '2026/11/02, 2026.11.02 and 2026\u201311\u201302'],
    ['a GUID of digits', '11111111-2222-3333-4444-555555555555'],
    ['an extension', 'ext. 101'],
    ['a sequence of small numbers', 'pages 2, 6, 12, 34'],
  ])('%s', (_what, text) => {
    expect(findPhoneNumbers(text)).toEqual([]);
  });

  it('the fake range of every market, in any spelling, and shorter fakes', () => {
    for (const { slug, market } of brands) {
      expect(market.numbers.firstDigits, slug).not.toContain('0');
      const fake = fakeNumberOf(market, 1001);
      expect(fake).toBe(`${market.callingCode}0${'1001'.padStart(market.numbers.length - 1, '0')}`);
      const spaced = `${fake.slice(0, 4)} ${fake.slice(4, 8)} ${fake.slice(8)}`;
      for (const text of [fake, spaced, fake.slice(0, -1)]) {
        expect(isFakeNumber(text), text).toBe(true);
        expect(findPhoneNumbers(`call ${text}`), text).toEqual([]);
      }
    }
    expect(() => fakeNumberOf(brands[0].market, 10_000_000)).toThrow(/out of range/);
  });
});
