/**
 * Per-client token bucket: each client may send `burst` requests at once, refilled at
 * `perMinute` per minute. Over the limit → 429 `rate_limited` with Retry-After (whole seconds
 * until one request is allowed again). The buckets live in memory: per process on Node, per
 * isolate on workerd, so the limit is approximate across processes/isolates.
 * `perMinute: 0` turns it off.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { ApiError } from '../../errors';
import { TokenBucket } from '../../token-bucket';

export interface RateLimitOptions {
  perMinute: number;
  burst: number;
  /** Who the request is from (API key, address…). */
  key: (c: Context) => string;
  now?: () => number;
  /** At most this many clients are tracked; full buckets are forgotten first. Default 10,000. */
  maxClients?: number;
}

export function rateLimit({ perMinute, burst, key, now = Date.now, maxClients = 10_000 }: RateLimitOptions): MiddlewareHandler {
  const buckets = new Map<string, TokenBucket>();

  const evict = (t: number) => {
    for (const [k, bucket] of buckets) if (bucket.isFull(t)) buckets.delete(k); // a full bucket is the same as no bucket
    // Still too many: drop the oldest entries (Map keeps insertion order).
    for (const k of buckets.keys()) {
      if (buckets.size < maxClients) break;
      buckets.delete(k);
    }
  };

  return async function rateLimit(c, next) {
    if (perMinute <= 0) return next();
    const t = now();
    const client = key(c);
    let bucket = buckets.get(client);
    if (!bucket) {
      if (buckets.size >= maxClients) evict(t);
      bucket = new TokenBucket(perMinute, burst, t);
      buckets.set(client, bucket);
    }
    if (!bucket.take(t)) {
      const retryAfter = bucket.secondsToNextToken(t);
      throw new ApiError('rate_limited', `too many requests from this client: ${perMinute} per minute (bursts of ${burst}); retry in ${retryAfter} s`, {
        'Retry-After': String(retryAfter),
      });
    }
    await next();
  };
}
