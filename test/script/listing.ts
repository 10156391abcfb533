// A PBX call list served the ways the evidence allows (issue 18), answered straight to the script host: newest or
// oldest first, neighbours swapped across page boundaries, a page in ascending order, pages that overrun the limit
// (repeating an id, or adding the next item), "no items found" as 404, and calls arriving between requests. The
// list-walk and polling tests run the script against each shape and count what it missed or repeated.
import { NO_ITEMS_MESSAGE } from '../../sandbox/pbx/api';
import type { Backend, OutboundRequest, ScriptHost } from '../../script-host/host';
import { calls, CONNECTOR, envelope, errorEnvelope } from './helpers';
import { executeAt } from './poll-loop';

export interface ListingShape {
  order?: 'newest-first' | 'oldest-first';
  /** Listing positions swapped with their next neighbour (applied to the whole listing, so a swap can straddle two pages). */
  swapAt?: (position: number) => boolean;
  /** The page read at this offset comes in ascending order. */
  ascendingPage?: (offset: number, request: number) => boolean;
  /** Each full page holds one item more than asked: `repeat` repeats one of its ids, `next` adds the following item. */
  overrun?: 'repeat' | 'next';
  /** An empty page is 404 with the reference page's message instead of 200 with `data: []`. */
  emptyAs404?: boolean;
  /** Each answer's latency (ms; declared to the host, which counts it in virtual time), so that the budget splits a drain. */
  latencyMs?: number;
}

export class Listing {
  /** Every id, in the order the calls arrived (ascending). */
  readonly ids: number[] = [];
  requests = 0;
  /** Called after each answered request (e.g. to add calls in the middle of a walk). */
  afterRequest: ((index: number) => void) | undefined;
  private next = 1;

  constructor(readonly shape: ListingShape = {}, start = 1) {
    this.next = start;
  }

  add(count: number): number[] {
    const added = Array.from({ length: count }, () => this.next++);
    this.ids.push(...added);
    return added;
  }

  /** The listing of ids above `cursor` as the PBX orders it. */
  listing(cursor: number): number[] {
    const above = this.ids.filter((id) => id > cursor);
    const ordered = this.shape.order === 'oldest-first' ? above : [...above].reverse();
    if (this.shape.swapAt) {
      for (let p = 0; p + 1 < ordered.length; p++) {
        if (this.shape.swapAt(p)) {
          [ordered[p], ordered[p + 1]] = [ordered[p + 1], ordered[p]];
          p++;
        }
      }
    }
    return ordered;
  }

  page(cursor: number, limit: number, offset: number): number[] {
    const listing = this.listing(cursor);
    let page = listing.slice(offset, offset + limit);
    if (page.length === limit && this.shape.overrun === 'repeat') page = [...page.slice(0, 1), ...page];
    if (page.length === limit && this.shape.overrun === 'next' && listing.length > offset + limit) page = [...page, listing[offset + limit]];
    if (this.shape.ascendingPage?.(offset, this.requests)) page = [...page].sort((a, b) => a - b);
    return page;
  }

  backend: Backend = (outbound: OutboundRequest) => {
    const url = new URL(outbound.url);
    const cursorName = [...url.searchParams.keys()].find((name) => /^initial_\w+_id$/.test(name));
    const cursor = Number(url.searchParams.get(cursorName ?? '') ?? 0);
    const limit = Number(url.searchParams.get('limit') ?? 50);
    const offset = Number(url.searchParams.get('offset') ?? 0);
    const page = this.page(cursor, limit, offset);
    const index = this.requests++;
    this.afterRequest?.(index);
    const latencyMs = this.shape.latencyMs ?? 0;
    if (page.length === 0 && this.shape.emptyAs404) return { status: 404, body: errorEnvelope(404, NO_ITEMS_MESSAGE), latencyMs };
    return { status: 200, body: envelope(calls(page)), latencyMs };
  };
}

export interface Walk {
  /** Ids answered, page after page, in the order answered. */
  delivered: number[];
  pages: number;
  statuses: number[];
}

/** Follows ListCalls' nextLink from the first page, as a flow would, until there is none (or `maxPages`). */
export async function walkList(host: ScriptHost, listing: Listing, query: Record<string, string>, maxPages = 200): Promise<Walk> {
  const first = new URL(`${CONNECTOR}/list/call_history`);
  for (const [name, value] of Object.entries(query)) first.searchParams.set(name, value);
  let link: string | undefined = first.toString();
  const walk: Walk = { delivered: [], pages: 0, statuses: [] };
  while (link && walk.pages < maxPages) {
    const result = await executeAt(host, listing, link, 'ListCalls');
    walk.pages++;
    walk.statuses.push(result.status);
    if (result.status !== 200) throw new Error(`page ${walk.pages} answered ${result.status}: ${result.body}`);
    const body = JSON.parse(result.body) as { value?: Array<{ callID: number }>; data?: Array<{ callID: number }>; nextLink?: string };
    walk.delivered.push(...(body.value ?? body.data ?? []).map((c) => c.callID));
    link = body.nextLink;
  }
  return walk;
}

/** What a walk or a drain missed and repeated, against the ids it owed. */
export function tally(owed: number[], delivered: number[]): { missed: number[]; repeated: number[] } {
  const seen = new Set<number>();
  const repeated: number[] = [];
  for (const id of delivered) {
    if (seen.has(id)) repeated.push(id);
    seen.add(id);
  }
  return { missed: owed.filter((id) => !seen.has(id)), repeated };
}
