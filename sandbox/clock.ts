/**
 * Virtual time for the sandbox: hours of polling, rate-limit windows and a day of call traffic pass
 * in seconds. Nothing sleeps; waiting is advancing the clock, which runs every timer that falls due
 * in time order (ties in scheduling order) and awaits each one before the next.
 */

interface Timer {
  at: number;
  seq: number;
  run: () => void | Promise<void>;
  cancelled: boolean;
}

export interface TimerHandle {
  cancel(): void;
}

export class VirtualClock {
  private current: number;
  private readonly timers: Timer[] = [];
  private seq = 0;

  constructor(start: number) {
    this.current = start;
  }

  now = (): number => this.current;

  /** Runs `run` when the clock reaches `at` (immediately due timers run on the next advance). */
  at(at: number, run: () => void | Promise<void>): TimerHandle {
    const timer: Timer = { at: Math.max(at, this.current), seq: this.seq++, run, cancelled: false };
    // Insert in order (timers are few: one per poll loop and the next story step).
    let i = this.timers.length;
    while (i > 0 && (this.timers[i - 1].at > timer.at || (this.timers[i - 1].at === timer.at && this.timers[i - 1].seq > timer.seq))) i--;
    this.timers.splice(i, 0, timer);
    return { cancel: () => (timer.cancelled = true) };
  }

  after(ms: number, run: () => void | Promise<void>): TimerHandle {
    return this.at(this.current + ms, run);
  }

  /** The time of the next pending timer, if any. */
  nextDue(): number | undefined {
    return this.timers.find((t) => !t.cancelled)?.at;
  }

  /**
   * Moves time forward to `target`, running due timers in order. Re-entrant: a timer may itself
   * advance the clock (e.g. to honour a Retry-After); time never goes back.
   */
  async advanceTo(target: number): Promise<void> {
    for (;;) {
      const next = this.timers[0];
      if (!next || next.at > target) break;
      this.timers.shift();
      if (next.cancelled) continue;
      this.current = Math.max(this.current, next.at);
      await next.run();
    }
    this.current = Math.max(this.current, target);
  }

  advanceBy(ms: number): Promise<void> {
    return this.advanceTo(this.current + ms);
  }
}
