/**
 * Who may do what. Like the Hub, writes need `Authorization: Bearer <token>`; reads of public
 * repos need nothing; private repos look absent without a valid token. With a configured token
 * (LOCAL_HUB_TOKEN) only that one is valid, otherwise any is. Tokens are never logged.
 */
import type { Context } from 'hono';
import { bearerAuth } from 'hono/bearer-auth';
import { timingSafeEqual } from 'hono/utils/buffer';
import { repoNotFound } from './errors';
import type { RepoMeta } from './types';

/** createRepo sends `Bearer undefined` when it has no token: that is no token. */
async function accepted(given: string | undefined, token: string | undefined): Promise<boolean> {
  return given !== undefined && given !== 'undefined' && (token === undefined || (await timingSafeEqual(given, token)));
}

/** Middleware for writes (and the admin API). */
export const requireWrite = (token: string | undefined) =>
  bearerAuth({
    verifyToken: (given) => accepted(given, token),
    noAuthenticationHeader: { message: { error: 'You must be authenticated to write: send Authorization: Bearer <token>' } },
    invalidToken: { message: { error: `Invalid token: ${token ? 'this hub accepts only the token in LOCAL_HUB_TOKEN' : 'send a real token'}` } },
  });

/** Private repos are invisible without valid credentials: the Hub answers "not found", not "forbidden". */
export async function requireRead(c: Context, token: string | undefined, meta: RepoMeta): Promise<void> {
  const given = /^Bearer\s+(\S+)\s*$/i.exec(c.req.header('authorization') ?? '')?.[1];
  if (meta.private && !(await accepted(given, token))) throw repoNotFound();
}
