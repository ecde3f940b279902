/**
 * Repo-level reads and creation: `createRepo`, repo info with the head sha (`modelInfo`,
 * `datasetInfo`, `spaceInfo`, `repoExists`), the tree listing (`listFiles`) and the commit log
 * (`listCommits`). Listings are paged like the Hub's: a `Link: <...>; rel="next"` header.
 */
import { z } from 'zod';
import { readJson, repoOf, type HubContext, type HubDeps } from './app';
import { requireRead } from './auth';
import { badRequest } from './errors';
import { sha1Hex } from './hashing';
import { listDir } from './tree';
import { AUTHOR, repoId, urlPrefix, type RepoMeta, type RepoRef, type RepoType } from './types';

const createRepoSchema = z.object({
  name: z.string(),
  organization: z.string().optional(),
  type: z.enum(['model', 'dataset', 'space']).default('model'),
  visibility: z.enum(['public', 'private', 'protected']).optional(),
  private: z.boolean().optional(),
});

/** The Hub's own URL for a repo, on this server. */
export const repoUrl = (c: HubContext, ref: RepoRef) => `${new URL(c.req.url).origin}/${urlPrefix(ref.type)}${repoId(ref)}`;

/** A stable Mongo-style `_id`, as the Hub returns alongside the human `id`. */
const objectId = (ref: RepoRef) => sha1Hex(`${ref.type}/${repoId(ref)}`).slice(0, 24);

/** Load a repo's metadata and check the caller may read it. */
export async function readableRepo(c: HubContext, deps: HubDeps, ref: RepoRef): Promise<RepoMeta> {
  const meta = await deps.store.meta(ref);
  await requireRead(c, deps.token, meta);
  return meta;
}

export async function createRepo(c: HubContext, deps: HubDeps): Promise<Response> {
  const body = await readJson(c, createRepoSchema);
  const [owner, name] = body.organization ? [body.organization, body.name] : body.name.split('/');
  if (!owner || !name) throw badRequest('Repo name must be "{namespace}/{name}"');
  const ref = { type: body.type as RepoType, owner, name };
  await deps.store.createRepo(ref, { private: body.visibility ? body.visibility !== 'public' : (body.private ?? false), author: AUTHOR });
  return c.json({ url: repoUrl(c, ref), name: repoId(ref), id: objectId(ref) });
}

export async function repoInfo(c: HubContext, deps: HubDeps, rev: string): Promise<Response> {
  const ref = repoOf(c);
  const meta = await readableRepo(c, deps, ref);
  const commit = await deps.store.commitAt(ref, rev);
  // The fields the client's info functions read; `expand` is ignored since all of them are always here.
  return c.json({ _id: objectId(ref), id: repoId(ref), author: ref.owner, sha: commit.id, lastModified: commit.date, createdAt: meta.createdAt, private: meta.private, gated: false, downloads: 0, likes: 0 });
}

export async function tree(c: HubContext, deps: HubDeps): Promise<Response> {
  const ref = repoOf(c);
  await readableRepo(c, deps, ref);
  const recursive = c.req.query('recursive') === 'true';
  if (c.req.query('expand') === 'true') throw badRequest('local-hub does not implement expand=true (last commit per file)');
  // The cursor pins the commit, so paging through a branch that moves meanwhile stays consistent.
  const cursor = decodeCursor(c.req.query('cursor'));
  const commit = await deps.store.commitAt(ref, cursor?.sha ?? c.req.param('rev')!);
  const offset = cursor?.offset ?? 0;
  const entries = listDir(commit.tree, recursive);
  const page = entries.slice(offset, offset + deps.pageSize).map((e) =>
    e.type === 'directory' ? { type: 'directory', oid: e.oid, size: 0, path: e.path } : { type: 'file', oid: e.file.oid, size: e.file.size, path: e.path, ...(e.file.lfs && { lfs: e.file.lfs }) },
  );
  const more = offset + deps.pageSize < entries.length;
  const next = { recursive: String(recursive), expand: 'false', cursor: Buffer.from(JSON.stringify({ sha: commit.id, offset: offset + deps.pageSize })).toString('base64url') };
  return c.json(page, 200, more ? { Link: nextLink(c, next) } : {});
}

export async function commits(c: HubContext, deps: HubDeps): Promise<Response> {
  const ref = repoOf(c);
  await readableRepo(c, deps, ref);
  const limit = Math.min(1000, Math.max(1, Number.parseInt(c.req.query('limit') ?? '50', 10) || 50));
  const pageIndex = Math.max(0, Number.parseInt(c.req.query('p') ?? '0', 10) || 0);
  const all = [];
  for await (const commit of deps.store.history(ref, (await deps.store.commitAt(ref, c.req.param('rev')!)).id)) all.push(commit);
  const page = all.slice(pageIndex * limit, (pageIndex + 1) * limit).map((x) => ({ id: x.id, title: x.title, message: x.message, authors: [{ user: x.author, avatar: '' }], date: x.date }));
  const more = (pageIndex + 1) * limit < all.length;
  return c.json(page, 200, { 'X-Total-Count': String(all.length), ...(more && { Link: nextLink(c, { limit: String(limit), p: String(pageIndex + 1) }) }) });
}

function nextLink(c: HubContext, params: Record<string, string>): string {
  const url = new URL(c.req.url);
  url.search = new URLSearchParams(params).toString();
  return `<${url.href}>; rel="next"`;
}

function decodeCursor(raw: string | undefined): { sha: string; offset: number } | null {
  if (!raw) return null;
  try {
    const cursor = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
    if (typeof cursor.sha === 'string' && Number.isInteger(cursor.offset) && cursor.offset >= 0) return cursor;
  } catch {
    // fall through to the 400
  }
  throw badRequest('Invalid cursor');
}
