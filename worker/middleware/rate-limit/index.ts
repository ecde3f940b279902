/**
 * Per-client token bucket: each client may send `burst` requests at once, refilled at
 * `perMinute` per minute. Over the limit → 429 `rate_limited` with Retry-After (whole seconds
 * until one request is allowed again). The buckets live in memory: per process on Node, per
 * isolate on workerd, so the limit is approximate across processes/isolates.
 * `perMinute: 0` turns it off.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { ApiError } from '../../errors';
import { ClientBuckets } from '../../token-bucket';

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
  const buckets = new ClientBuckets(perMinute, burst, maxClients);
  return async function rateLimit(c, next) {
    if (perMinute <= 0) return next();
    const t = now();
    const bucket = buckets.get(key(c), t);
    if (!bucket.take(t)) {
      const retryAfter = bucket.secondsToNextToken(t);
      throw new ApiError('rate_limited', `too many requests from this client: ${perMinute} per minute (bursts of ${burst}); retry in ${retryAfter} s`, {
        'Retry-After': String(retryAfter),
      });
    }
    await next();
  };
}
