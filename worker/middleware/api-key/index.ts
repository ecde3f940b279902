/**
 * Optional bearer keys for one route: `apiKey({ keys })` refuses a request whose
 * `Authorization: Bearer <key>` is not one of `keys` (401, `unauthorized`). With no keys it lets
 * everything through. Keys are compared as SHA-256 digests, byte by byte without early exit and
 * against every key, so the time taken says nothing about how much of a key was right.
 * The accepted key is set as `c.var.apiKey` (for per-client rate limits).
 */
import type { MiddlewareHandler } from 'hono';
import { ApiError } from '../../errors';

export interface ApiKeyVariables {
  /** The key the request authenticated with, if keys are required. */
  apiKey?: string;
}

export interface ApiKeyOptions {
  keys: readonly string[];
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

export function apiKey({ keys }: ApiKeyOptions): MiddlewareHandler<{ Variables: ApiKeyVariables }> {
  let digests: Promise<Uint8Array[]> | undefined;
  return async function apiKey(c, next) {
    if (keys.length === 0) return next();
    const match = /^Bearer\s+(\S+)\s*$/i.exec(c.req.header('authorization') ?? '');
    if (!match) {
      throw new ApiError('unauthorized', 'send an API key as Authorization: Bearer <key>', { 'WWW-Authenticate': 'Bearer' });
    }
    digests ??= Promise.all(keys.map(digest));
    const [known, given] = await Promise.all([digests, digest(match[1])]);
    let found = -1;
    for (let i = 0; i < known.length; i++) if (timingSafeEqual(known[i], given)) found = i; // no early exit
    if (found < 0) throw new ApiError('unauthorized', 'the API key is not valid', { 'WWW-Authenticate': 'Bearer error="invalid_token"' });
    c.set('apiKey', keys[found]);
    await next();
  };
}
