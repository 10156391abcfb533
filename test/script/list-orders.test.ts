// List walks (ListCalls followed by nextLink) through script.csx against every PBX listing the evidence allows
// (issue 18): nothing missed, nothing repeated, whatever the order within a page, pages that overrun the limit,
// "no items found" as 404, and calls arriving while the flow pages.
import { describe, expect, it } from 'vitest';
import { useScriptHost } from './helpers';
import { Listing, tally, walkList, type ListingShape } from './listing';

const host = useScriptHost();

const shapes: Array<[string, ListingShape]> = [
  ['newest first', {}],
  ['oldest first', { order: 'oldest-first' }],
  ['newest first, two neighbours swapped across a page boundary', { swapAt: (p) => p === 9 }],
  ['newest first, neighbours swapped throughout', { swapAt: (p) => p % 4 === 1 }],
  ['newest first, one page in ascending order', { ascendingPage: (offset) => offset >= 20 && offset < 30 }],
  ['newest first, the first page in ascending order', { ascendingPage: (offset) => offset === 0 }],
  ['oldest first, neighbours swapped throughout', { order: 'oldest-first', swapAt: (p) => p % 4 === 1 }],
  ['newest first, pages one longer than asked repeating an id', { overrun: 'repeat' }],
  ['newest first, pages one longer than asked with the next item', { overrun: 'next' }],
  ['oldest first, pages one longer than asked repeating an id', { order: 'oldest-first', overrun: 'repeat' }],
  ['newest first, an empty page is 404 "no items found"', { emptyAs404: true }],
  ['newest first, swaps, ascending pages, overruns and 404 at once', { swapAt: (p) => p % 6 === 3, ascendingPage: (offset) => offset % 3 === 0, overrun: 'repeat', emptyAs404: true }],
];

describe.each(shapes)('a list walk, %s', (_name, shape) => {
  it.each([
    [75, '10'],
    [230, '50'],
    [200, '100'],
  ])('%i calls, Page Size %s: every call once', async (count, limit) => {
    const listing = new Listing(shape);
    const owed = listing.add(count);
    const walk = await walkList(host(), listing, { limit });
    expect(tally(owed, walk.delivered)).toEqual({ missed: [], repeated: [] });
  });

  it('75 calls while 2 calls arrive after every PBX request: every call listed at the start once, none twice', async () => {
    const listing = new Listing(shape);
    const owed = listing.add(75);
    listing.afterRequest = () => listing.add(2);
    const walk = await walkList(host(), listing, { limit: '10' });
    const { missed, repeated } = tally(owed, walk.delivered);
    expect({ missed, repeated }).toEqual({ missed: [], repeated: [] });
  });
});

describe('a list of exactly a multiple of the page size', () => {
  it.each([
    ['200 []', false],
    ['404 "no items found"', true],
  ])('ends cleanly when the page after the last is %s', async (_name, emptyAs404) => {
    const listing = new Listing({ emptyAs404 });
    const owed = listing.add(100);
    const walk = await walkList(host(), listing, { limit: '50' });
    expect(tally(owed, walk.delivered)).toEqual({ missed: [], repeated: [] });
    expect(walk.statuses.every((s) => s === 200)).toBe(true);
  });

  it('an empty account answers an empty page without a next link when the PBX says 404 "no items found"', async () => {
    const listing = new Listing({ emptyAs404: true });
    const walk = await walkList(host(), listing, {});
    expect(walk).toEqual({ delivered: [], pages: 1, statuses: [200] });
  });
});
