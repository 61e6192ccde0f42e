// Client-side pacing for one API key: a token bucket whose burst never exceeds the concurrency,
// and a shared pause, so that one 429's Retry-After holds back every worker, not just one.

export interface Clock {
  now: () => number;
  sleep: (ms: number) => Promise<void>;
}

export class Pacer {
  private tokens = 0;
  private last: number;
  private pausedUntil = 0;
  private queue: Promise<void> = Promise.resolve();

  /** `perSecond` Infinity: no pacing. The bucket starts empty: no burst at start. */
  constructor(
    private readonly perSecond: number,
    private readonly burst: number,
    private readonly clock: Clock,
  ) {
    this.last = clock.now();
  }

  /** Resolves when this request may be sent. Callers are served in order. */
  take(): Promise<void> {
    const turn = this.queue.then(() => this.wait());
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  pauseFor(ms: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, this.clock.now() + ms);
  }

  private async wait(): Promise<void> {
    for (;;) {
      const now = this.clock.now();
      if (now < this.pausedUntil) {
        await this.clock.sleep(this.pausedUntil - now);
        continue;
      }
      if (this.perSecond === Infinity) return;
      this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.perSecond);
      this.last = now;
      if (this.tokens >= 1) {
        this.tokens -= 1;
        return;
      }
      await this.clock.sleep(((1 - this.tokens) / this.perSecond) * 1000);
    }
  }
}
