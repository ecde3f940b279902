/**
 * Who a request is from, for per-client limits. The address itself comes from the runtime
 * (AppDeps.clientAddress): CF-Connecting-IP on workerd, the socket or trusted X-Forwarded-For on Node.
 */
import type { Context } from 'hono';
import type { AppEnv } from './deps';

/** The caller's address as a bucket key; unknown callers share one. */
export function addressKey(c: Context): string {
  return `ip:${(c as Context<AppEnv>).var.deps.clientAddress(c) ?? 'unknown'}`;
}

/** The API key when one was presented and accepted, else the address. */
export function clientKey(c: Context): string {
  const key = (c as Context<AppEnv>).var.apiKey;
  return key ? `key:${key}` : addressKey(c);
}

/**
 * The client address behind `hops` trusted proxies: each appends the address it received the
 * request from to X-Forwarded-For, so the client is the `hops`-th entry from the right. Entries
 * further left were written by the client and are ignored. Undefined when the header is missing
 * or shorter than `hops` (then the proxies are not the ones expected: use the socket's peer).
 */
export function forwardedClient(header: string | undefined, hops: number): string | undefined {
  if (!header || hops < 1) return undefined;
  const entries = header.split(',').map((entry) => entry.trim());
  const client = entries.length >= hops ? entries[entries.length - hops] : undefined;
  return client || undefined;
}
