/**
 * Optional bearer keys for one route: `apiKey({ keys })` refuses a request whose
 * `Authorization: Bearer <key>` is not one of `keys` (401, `unauthorized`). With no keys it lets
 * everything through. Keys are compared as SHA-256 digests, byte by byte without early exit and
 * against every key, so the time taken says nothing about how much of a key was right.
 * The accepted key is set as `c.var.apiKey` (for per-client rate limits).
 *
 * Failed attempts are throttled per client (`failures`): a client may fail `perMinute` times at
 * once, then once per 60/perMinute seconds; meanwhile it gets 429 `rate_limited` with Retry-After,
 * before its key is even looked at, so guessing keys costs time. Hono's bearerAuth answers with its
 * own bodies and a 400 for a malformed header; this API answers its JSON errors, so it has its own.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { ApiError } from '../../errors';
import { ClientBuckets } from '../../token-bucket';

export interface ApiKeyVariables {
  /** The key the request authenticated with, if keys are required. */
  apiKey?: string;
}

export interface ApiKeyOptions {
  keys: readonly string[];
  /** Throttle failed attempts per client; perMinute 0 (or absent): no throttle. */
  failures?: { perMinute: number; key: (c: Context) => string; now?: () => number };
}

const encoder = new TextEncoder();
const digest = async (value: string) => new Uint8Array(await crypto.subtle.digest('SHA-256', encoder.encode(value)));

/** Constant-time equality of two equal-length byte arrays. */
export function timingSafeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i] ^ b[i];
  return diff === 0;
}

export function apiKey({ keys, failures }: ApiKeyOptions): MiddlewareHandler<{ Variables: ApiKeyVariables }> {
  let digests: Promise<Uint8Array[]> | undefined;
  const throttle = failures && failures.perMinute > 0 ? failureThrottle(failures) : null;
  return async function apiKey(c, next) {
    if (keys.length === 0) return next();
    const client = throttle?.check(c);
    const refuse = (message: string, challenge: string): never => {
      if (client !== undefined) throttle?.failed(client);
      throw new ApiError('unauthorized', message, { 'WWW-Authenticate': challenge });
    };
    const match = /^Bearer\s+(\S+)\s*$/i.exec(c.req.header('authorization') ?? '');
    if (!match) return refuse('send an API key as Authorization: Bearer <key>', 'Bearer');
    digests ??= Promise.all(keys.map(digest));
    const [known, given] = await Promise.all([digests, digest(match[1])]);
    let found = -1;
    for (let i = 0; i < known.length; i++) if (timingSafeEqual(known[i], given)) found = i; // no early exit
    if (found < 0) return refuse('the API key is not valid', 'Bearer error="invalid_token"');
    c.set('apiKey', keys[found]);
    await next();
  };
}

function failureThrottle({ perMinute, key, now = Date.now }: NonNullable<ApiKeyOptions['failures']>) {
  const buckets = new ClientBuckets(perMinute, perMinute);
  return {
    /** The client's key; throws 429 while it has no failed attempt left. */
    check(c: Context): string {
      const client = key(c);
      const t = now();
      const attempts = buckets.peek(client); // none yet: all attempts left
      if (attempts && !attempts.hasToken(t)) {
        const retryAfter = attempts.secondsToNextToken(t);
        throw new ApiError('rate_limited', `too many failed authentications from this client; retry in ${retryAfter} s with a valid API key`, { 'Retry-After': String(retryAfter) });
      }
      return client;
    },
    failed(client: string): void {
      const t = now();
      buckets.get(client, t).take(t);
    },
  };
}
