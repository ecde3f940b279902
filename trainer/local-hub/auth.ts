/**
 * Who may do what. Like the Hub, writes need `Authorization: Bearer <token>`; reads of public
 * repos need nothing. With a configured token (LOCAL_HUB_TOKEN) only that token is accepted;
 * otherwise any bearer token is. Tokens are compared in constant time and never logged.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { HubError, repoNotFound } from './errors';
import type { RepoMeta } from './types';

export function bearerToken(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  // createRepo sends `Bearer undefined` when it has no token: that is no token.
  return match && match[1] !== 'undefined' ? match[1] : undefined;
}

const digest = (s: string) => createHash('sha256').update(s).digest();
const sameToken = (a: string, b: string) => timingSafeEqual(digest(a), digest(b));

export function requireWrite(req: IncomingMessage, token: string | undefined): void {
  const given = bearerToken(req);
  if (!given) throw new HubError(401, 'You must be authenticated to perform this action (Authorization: Bearer <token>)');
  if (token !== undefined && !sameToken(given, token)) throw new HubError(401, 'Invalid credentials in Authorization header');
}

/** Private repos are invisible without valid credentials: the Hub answers "not found", not "forbidden". */
export function requireRead(req: IncomingMessage, token: string | undefined, meta: RepoMeta): void {
  if (!meta.private) return;
  const given = bearerToken(req);
  if (!given || (token !== undefined && !sameToken(given, token))) throw repoNotFound();
}
