/**
 * Monitoring pages (the dashboard, /v1/metrics) for operators only, when configured:
 * `adminAccess({ key })` lets a request through if it carries the admin key, as
 * `Authorization: Bearer <key>` (scripts, scrapers) or as the password of HTTP Basic auth (a
 * browser asks for it; any user name). `key` undefined: everything passes (public). Keys are
 * compared as SHA-256 digests without early exit, like api-key.
 */
import type { MiddlewareHandler } from 'hono';
import { ApiError } from '../../errors';
import { timingSafeEqual } from '../api-key/index';

const encoder = new TextEncoder();
const digest = async (value: string) => new Uint8Array(await crypto.subtle.digest('SHA-256', encoder.encode(value)));

/** The presented secret: a bearer token, or the password of Basic credentials. */
function presented(header: string): string | null {
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (bearer) return bearer[1];
  const basic = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  if (!basic) return null;
  try {
    const decoded = atob(basic[1]);
    const colon = decoded.indexOf(':');
    return colon >= 0 ? decoded.slice(colon + 1) : null;
  } catch {
    return null;
  }
}

/**
 * Whether an Authorization header carries the admin key: null when it carries no secret at all,
 * else whether the secret matches (digests compared in constant time). /health uses it too.
 */
export async function carriesAdminKey(authorization: string | undefined, key: string): Promise<boolean | null> {
  const secret = presented(authorization ?? '');
  if (secret === null) return null;
  const [known, given] = await Promise.all([digest(key), digest(secret)]);
  return timingSafeEqual(known, given);
}

export function adminAccess({ key }: { key: string | undefined }): MiddlewareHandler {
  const challenge = { 'WWW-Authenticate': 'Basic realm="edge-sentiment monitoring", charset="UTF-8"' };
  return async function adminAccess(c, next) {
    if (key === undefined) return next();
    const carries = await carriesAdminKey(c.req.header('authorization'), key);
    if (carries === null) throw new ApiError('unauthorized', 'this page needs the admin key (ADMIN_API_KEY): Authorization: Bearer <key>, or the password of HTTP Basic auth', challenge);
    if (!carries) throw new ApiError('unauthorized', 'the admin key is not valid', challenge);
    await next();
  };
}
