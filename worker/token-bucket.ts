/**
 * A token bucket: `burst` tokens at first, refilled at `perMinute` per minute, never above
 * `burst`. The rate limits and the failed-authentication throttle keep one per client
 * (ClientBuckets); low-confidence capture one per process (Node) or isolate (workerd).
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

  /** Whether take() would succeed, without taking. */
  hasToken(now: number): boolean {
    this.refill(now);
    return this.tokens >= 1;
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

/**
 * One bucket per client key, in memory. At most `maxClients` are kept: full buckets (the same as
 * none) are forgotten first, then the oldest, so a flood of new keys cannot grow memory.
 */
export class ClientBuckets {
  private readonly buckets = new Map<string, TokenBucket>();

  constructor(
    private readonly perMinute: number,
    private readonly burst: number,
    private readonly maxClients = 10_000,
  ) {}

  /** The client's bucket if it has one (a client without one has a full bucket). */
  peek(client: string): TokenBucket | undefined {
    return this.buckets.get(client);
  }

  get(client: string, now: number): TokenBucket {
    let bucket = this.buckets.get(client);
    if (!bucket) {
      if (this.buckets.size >= this.maxClients) this.evict(now);
      bucket = new TokenBucket(this.perMinute, this.burst, now);
      this.buckets.set(client, bucket);
    }
    return bucket;
  }

  private evict(now: number): void {
    for (const [k, bucket] of this.buckets) if (bucket.isFull(now)) this.buckets.delete(k);
    // Still too many: drop the oldest entries (Map keeps insertion order).
    for (const k of this.buckets.keys()) {
      if (this.buckets.size < this.maxClients) break;
      this.buckets.delete(k);
    }
  }
}
