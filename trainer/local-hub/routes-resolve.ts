/**
 * File downloads: `GET|HEAD /{prefix}{repo}/resolve/{rev}/{path}` (content; LFS content too)
 * and `/raw/` (what git stores: the pointer file for LFS). Headers are the ones clients read:
 * ETag (git blob sha1, or sha256 for LFS), X-Repo-Commit, X-Linked-Size / X-Linked-Etag for
 * LFS, Accept-Ranges and Content-Range. @huggingface/hub probes with `Range: bytes=0-0` and
 * reads the size from Content-Range, so single ranges must work. The real Hub redirects LFS
 * files to a CDN; serving them directly is equivalent for the client.
 */
import type { OutgoingHttpHeaders } from 'node:http';
import type { HubEnv } from './env';
import { entryNotFound } from './errors';
import { lfsPointer } from './hashing';
import type { Ctx } from './http-context';
import { readableRepo } from './routes-repo';
import type { RepoRef } from './types';

const TEXT_TYPES: Record<string, string> = {
  json: 'application/json',
  jsonl: 'application/jsonl',
  md: 'text/markdown',
  txt: 'text/plain',
  csv: 'text/csv',
  gitattributes: 'text/plain',
};

export async function resolveFile(ctx: Ctx, env: HubEnv, ref: RepoRef, rev: string, path: string, raw: boolean): Promise<void> {
  await readableRepo(ctx, env, ref);
  const { sha } = await env.store.resolve(ref, rev);
  const file = (await env.store.getCommit(ref, sha)).tree[path];
  if (!file) throw entryNotFound(path);

  const servePointer = raw && file.lfs !== undefined;
  const pointer = servePointer ? Buffer.from(lfsPointer(file.lfs!.oid, file.lfs!.size)) : null;
  const size = pointer ? pointer.byteLength : file.size;
  const etag = `"${file.lfs && !servePointer ? file.lfs.oid : file.oid}"`;
  const ext = path.split('.').pop()?.toLowerCase() ?? '';
  const headers: OutgoingHttpHeaders = {
    ETag: etag,
    'X-Repo-Commit': sha,
    'Accept-Ranges': 'bytes',
    'Content-Type': file.lfs && !servePointer ? 'application/octet-stream' : `${TEXT_TYPES[ext] ?? 'text/plain'}; charset=utf-8`,
  };
  if (file.lfs) {
    headers['X-Linked-Size'] = String(file.lfs.size);
    headers['X-Linked-Etag'] = `"${file.lfs.oid}"`;
  }
  ctx.entry.detail = { sha, size };

  const ifNoneMatch = ctx.header('if-none-match');
  if (ifNoneMatch && ifNoneMatch.split(',').some((t) => t.trim().replace(/^W\//, '') === etag)) {
    ctx.send(304, '', headers);
    return;
  }

  const range = parseRange(ctx.header('range'), size);
  if (range === 'unsatisfiable') {
    ctx.sendJson(416, { error: 'Requested range not satisfiable' }, { 'Content-Range': `bytes */${size}` });
    return;
  }
  if (size === 0) {
    // `bytes=0-0` of an empty file cannot be satisfied; answer the (empty) whole file but still
    // say its size in Content-Range, which is where the client looks for it.
    ctx.send(200, '', { ...headers, 'Content-Range': 'bytes */0' });
    return;
  }
  const status = range ? 206 : 200;
  if (range) headers['Content-Range'] = `bytes ${range.start}-${range.end}/${size}`;
  headers['Content-Length'] = range ? range.end - range.start + 1 : size;
  if (pointer) {
    ctx.send(status, range ? pointer.subarray(range.start, range.end + 1) : pointer, headers);
    return;
  }
  await ctx.sendFile(status, env.store.contentPath(ref, file), range, headers);
}

/** One `bytes=` range → inclusive [start, end]; null means "no (usable) range: send it all". */
export function parseRange(header: string | undefined, size: number): { start: number; end: number } | null | 'unsatisfiable' {
  if (!header) return null;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return null; // multiple or malformed ranges: ignore, as servers may
  if (size === 0) return null;
  let start: number;
  let end: number;
  if (m[1] === '') {
    const suffix = Number(m[2]);
    if (suffix === 0) return 'unsatisfiable';
    start = Math.max(0, size - suffix);
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
    if (start >= size || end < start) return 'unsatisfiable';
  }
  return { start, end };
}
