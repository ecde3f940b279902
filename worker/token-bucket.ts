/**
 * A token bucket: `burst` tokens at first, refilled at `perMinute` per minute, never above
 * `burst`. The feedback rate limit keeps one per client; low-confidence capture one per process
 * (Node) or isolate (workerd).
 */
export class TokenBucket {
  private tokens: number;
  private at: number;

  constructor(
    private readonly perMinute: number,
    private readonly burst: number,
    now: number,
  ) {
    this.tokens = burst;
    this.at = now;
  }

  /** Takes one token if there is one. */
  take(now: number): boolean {
    this.refill(now);
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** True when refilled to the burst: such a bucket is the same as a new one. */
  isFull(now: number): boolean {
    this.refill(now);
    return this.tokens >= this.burst;
  }

  /** Whole seconds until one token is back (at least 1). */
  secondsToNextToken(now: number): number {
    this.refill(now);
    return Math.max(1, Math.ceil(((1 - this.tokens) * 60) / this.perMinute));
  }

  private refill(now: number): void {
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.at) * this.perMinute) / 60_000);
    this.at = now;
  }
}
