/**
 * File downloads: `GET /{prefix}{repo}/resolve/{rev}/{path}` (HEAD too, through Hono), the file's
 * content (an LFS file's too). Headers are the ones clients read: ETag (git blob sha1, or sha256
 * for LFS), X-Repo-Commit, X-Linked-Size / X-Linked-Etag for LFS, Content-Range. @huggingface/hub
 * probes with `Range: bytes=0-0` and reads the size from Content-Range, so single ranges work.
 * The real Hub redirects LFS files to a CDN; serving them directly is the same to the client.
 */
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import type { HubContext, HubDeps } from './app';
import { entryNotFound, HubError } from './errors';
import { readableRepo } from './repo-routes';
import type { RepoRef } from './types';

const TEXT_TYPES: Record<string, string> = { json: 'application/json', jsonl: 'application/jsonl', md: 'text/markdown', csv: 'text/csv' };

export async function resolveFile(c: HubContext, deps: HubDeps, ref: RepoRef): Promise<Response> {
  await readableRepo(c, deps, ref);
  const commit = await deps.store.commitAt(ref, c.req.param('rev')!);
  const path = c.req.param('path')!;
  const file = commit.tree[path];
  if (!file) throw entryNotFound(path);

  const headers: Record<string, string> = {
    ETag: `"${file.lfs?.oid ?? file.oid}"`,
    'X-Repo-Commit': commit.id,
    'Accept-Ranges': 'bytes',
    'Content-Type': file.lfs ? 'application/octet-stream' : `${TEXT_TYPES[path.split('.').pop()!] ?? 'text/plain'}; charset=utf-8`,
    ...(file.lfs && { 'X-Linked-Size': String(file.size), 'X-Linked-Etag': `"${file.lfs.oid}"` }),
  };
  const range = parseRange(c.req.header('range'), file.size);
  // An empty file has no byte 0 to send: answer it whole, with its size where the client looks for it.
  if (file.size === 0) return c.body(null, 200, { ...headers, 'Content-Range': 'bytes */0', 'Content-Length': '0' });
  const { start, end } = range ?? { start: 0, end: file.size - 1 };
  if (range) headers['Content-Range'] = `bytes ${start}-${end}/${file.size}`;
  headers['Content-Length'] = String(end - start + 1);
  if (c.req.method === 'HEAD') return c.body(null, range ? 206 : 200, headers);
  const body = Readable.toWeb(createReadStream(deps.store.contentPath(ref, file), { start, end })) as ReadableStream<Uint8Array>;
  return c.body(body, range ? 206 : 200, headers);
}

/** One `bytes=start-[end]` range → inclusive [start, end]; null: send it all (as servers may, for forms not handled). */
export function parseRange(header: string | undefined, size: number): { start: number; end: number } | null {
  const m = /^bytes=(\d+)-(\d*)$/.exec(header?.trim() ?? '');
  if (!m || size === 0) return null;
  const start = Number(m[1]);
  const end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  if (start >= size || end < start) throw new HubError(416, `Range not satisfiable: the file has ${size} bytes`);
  return { start, end };
}
