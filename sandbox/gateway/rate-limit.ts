/**
 * The platform's throttle on a custom connector: at most `calls` per connection in any sliding
 * window of `windowMs` (100 per 60 s). A refused call does not count. Time comes from the
 * sandbox clock, so a window passes in no real time. The mock PBX's optional rate limit
 * (sandbox/pbx/api.ts) uses the same limiter with one key.
 */
export interface RateLimitDecision {
  allowed: boolean;
  /** Whole seconds until a call would be allowed again (refusals only). */
  retryAfterSeconds: number;
}

export class SlidingWindowLimiter {
  private readonly hits = new Map<string, number[]>();

  constructor(
    readonly calls: number,
    readonly windowMs: number,
    private readonly now: () => number,
  ) {}

  take(key: string): RateLimitDecision {
    const now = this.now();
    const list = this.hits.get(key) ?? [];
    let drop = 0;
    while (drop < list.length && list[drop] <= now - this.windowMs) drop++;
    if (drop > 0) list.splice(0, drop);
    if (list.length >= this.calls) {
      this.hits.set(key, list);
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((list[0] + this.windowMs - now) / 1000)) };
    }
    list.push(now);
    this.hits.set(key, list);
    return { allowed: true, retryAfterSeconds: 0 };
  }
}
