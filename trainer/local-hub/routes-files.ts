/**
 * Read-only listings: the tree API (`listFiles`), paths-info (`pathsInfo`, used by
 * downloadFileToCacheDir/snapshotDownload) and the commit log (`listCommits`, `countCommits`).
 * Paginated like the Hub: a `Link: <...>; rel="next"` header with an absolute URL.
 */
import { z } from 'zod';
import type { HubEnv } from './env';
import { entryNotFound, HubError } from './errors';
import type { Ctx } from './http-context';
import { readableRepo } from './routes-repo';
import { dirOid, isDirectory, listDir, pathChanged, type DirEntry } from './tree';
import type { CommitRecord, RepoRef } from './types';

const flag = (v: string | null) => v === 'true' || v === '1';

export async function tree(ctx: Ctx, env: HubEnv, ref: RepoRef, rev: string, path: string): Promise<void> {
  await readableRepo(ctx, env, ref);
  const params = ctx.url.searchParams;
  const recursive = flag(params.get('recursive'));
  const expand = flag(params.get('expand'));
  // The cursor pins the commit, so paging through a branch that moves meanwhile stays consistent.
  const cursor = decodeCursor(params.get('cursor'));
  const commit = await env.store.getCommit(ref, cursor?.sha ?? (await env.store.resolve(ref, rev)).sha);
  let entries: DirEntry[];
  if (path && commit.tree[path]) entries = [{ type: 'file', path, file: commit.tree[path] }];
  else if (isDirectory(commit.tree, path)) entries = listDir(commit.tree, path, recursive);
  else throw entryNotFound(path);

  const pageSize = expand ? Math.min(env.pageSize, 50) : env.pageSize;
  const offset = cursor?.offset ?? 0;
  const page = entries.slice(offset, offset + pageSize);
  const headers: Record<string, string> = {};
  if (offset + pageSize < entries.length) {
    const next = new URL(ctx.url.pathname, ctx.origin);
    next.searchParams.set('recursive', String(recursive));
    next.searchParams.set('expand', String(expand));
    next.searchParams.set('cursor', encodeCursor({ sha: commit.id, offset: offset + pageSize }));
    headers.Link = `<${next.href}>; rel="next"`;
  }
  const last = expand ? await lastCommits(env, ref, commit, page.map((e) => e.path)) : null;
  ctx.sendJson(200, page.map((e) => entryJson(commit, e, last)), headers);
}

const pathsInfoSchema = z.object({ paths: z.array(z.string()).max(1000), expand: z.union([z.boolean(), z.string()]).optional() });

export async function pathsInfo(ctx: Ctx, env: HubEnv, ref: RepoRef, rev: string): Promise<void> {
  await readableRepo(ctx, env, ref);
  const body = await ctx.json(pathsInfoSchema);
  const expand = body.expand === true || body.expand === 'true' || body.expand === '1';
  const commit = await env.store.commitAt(ref, rev);
  // Unknown paths are left out, as the Hub does.
  const entries: DirEntry[] = [];
  for (const path of new Set(body.paths.map((p) => p.replace(/^\/+|\/+$/g, '')))) {
    if (commit.tree[path]) entries.push({ type: 'file', path, file: commit.tree[path] });
    else if (path && isDirectory(commit.tree, path)) entries.push({ type: 'directory', path });
  }
  const last = expand ? await lastCommits(env, ref, commit, entries.map((e) => e.path)) : null;
  ctx.sendJson(200, entries.map((e) => entryJson(commit, e, last)));
}

export async function commits(ctx: Ctx, env: HubEnv, ref: RepoRef, rev: string): Promise<void> {
  await readableRepo(ctx, env, ref);
  const params = ctx.url.searchParams;
  const limit = clampInt(params.get('limit'), 50, 1, 1000);
  const pageIndex = clampInt(params.get('p'), 0, 0, Number.MAX_SAFE_INTEGER);
  const { sha } = await env.store.resolve(ref, rev);
  const all: CommitRecord[] = [];
  for await (const c of env.store.history(ref, sha)) all.push(c);
  const page = all.slice(pageIndex * limit, (pageIndex + 1) * limit);
  const headers: Record<string, string> = { 'X-Total-Count': String(all.length) };
  if ((pageIndex + 1) * limit < all.length) {
    const next = new URL(ctx.url.pathname, ctx.origin);
    next.searchParams.set('limit', String(limit));
    next.searchParams.set('p', String(pageIndex + 1));
    headers.Link = `<${next.href}>; rel="next"`;
  }
  ctx.sendJson(
    200,
    page.map((c) => ({
      id: c.id,
      title: c.title,
      message: c.message,
      authors: [{ user: c.author, avatar: '' }],
      date: c.date,
    })),
    headers,
  );
}

type LastCommits = Map<string, CommitRecord>;

function entryJson(commit: CommitRecord, e: DirEntry, last: LastCommits | null) {
  const lastCommit = last?.get(e.path);
  const expanded = lastCommit ? { lastCommit: { id: lastCommit.id, title: lastCommit.title, date: lastCommit.date } } : {};
  if (e.type === 'directory') return { type: 'directory', oid: dirOid(commit.tree, e.path), size: 0, path: e.path, ...expanded };
  return { type: 'file', oid: e.file.oid, size: e.file.size, path: e.path, ...(e.file.lfs && { lfs: e.file.lfs }), ...expanded };
}

/** For each path, the newest commit (first-parent history) that changed it: one walk for all paths. */
async function lastCommits(env: HubEnv, ref: RepoRef, head: CommitRecord, paths: string[]): Promise<LastCommits> {
  const found: LastCommits = new Map();
  let pending = [...new Set(paths)];
  for await (const c of env.store.history(ref, head.id)) {
    if (pending.length === 0) break;
    const parent = c.parents[0] ? await env.store.getCommit(ref, c.parents[0]) : undefined;
    pending = pending.filter((p) => {
      if (!parent || pathChanged(parent.tree, c.tree, p)) {
        found.set(p, c);
        return false;
      }
      return true;
    });
  }
  return found;
}

function encodeCursor(c: { sha: string; offset: number }): string {
  return Buffer.from(JSON.stringify(c)).toString('base64url');
}

function decodeCursor(raw: string | null): { sha: string; offset: number } | null {
  if (!raw) return null;
  try {
    const c = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
    if (typeof c.sha === 'string' && Number.isInteger(c.offset) && c.offset >= 0) return c;
  } catch {
    // fall through
  }
  throw new HubError(400, 'Invalid cursor');
}

function clampInt(raw: string | null, fallback: number, min: number, max: number): number {
  const n = raw === null ? fallback : Number.parseInt(raw, 10);
  return Number.isFinite(n) ? Math.min(max, Math.max(min, n)) : fallback;
}
