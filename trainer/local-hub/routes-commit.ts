/**
 * Writing: the preupload check (which files must go through LFS) and the NDJSON commit.
 * Inline files are stored before the commit takes the repo lock; the commit itself is one
 * atomic ref update in the store (see storage.ts), honouring `parentCommit` with a 412.
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { requireWrite } from './auth';
import { parseCommitNdjson } from './commit-ndjson';
import type { HubEnv } from './env';
import { HubError } from './errors';
import type { Ctx } from './http-context';
import { parseLfsRules } from './gitattributes';
import { readableRepo, repoUrl } from './routes-repo';
import type { RepoStore } from './storage';
import type { TreeOp } from './tree';
import { decideUploadMode, looksBinary, SAMPLE_BYTES } from './upload-mode';
import type { RepoRef, Tree } from './types';

const MAX_COMMIT_BODY = 1024 * 1024 * 1024;

const preuploadSchema = z.object({
  gitAttributes: z.string().optional(),
  files: z.array(z.object({ path: z.string(), size: z.number().int().min(0), sample: z.string().default('') })).max(1000),
});

async function gitattributesOf(store: RepoStore, ref: RepoRef, tree: Tree): Promise<string> {
  const entry = tree['.gitattributes'];
  return entry && !entry.lfs ? readFile(store.blobPath(ref, entry.oid), 'utf8') : '';
}

export async function preupload(ctx: Ctx, env: HubEnv, ref: RepoRef, rev: string): Promise<void> {
  requireWrite(ctx.req, env.token);
  if (ctx.url.searchParams.has('create_pr')) throw new HubError(400, 'local-hub does not support pull requests');
  const body = await ctx.json(preuploadSchema);
  await readableRepo(ctx, env, ref);
  const commit = await env.store.commitAt(ref, rev);
  const rules = parseLfsRules(body.gitAttributes ?? (await gitattributesOf(env.store, ref, commit.tree)));
  const files = body.files.map((f) => {
    const mode = decideUploadMode({ path: f.path, size: f.size, sample: Buffer.from(f.sample, 'base64') }, rules, env.lfsThreshold);
    return { path: f.path, uploadMode: mode, shouldIgnore: false, ...(commit.tree[f.path] && { oid: commit.tree[f.path].oid }) };
  });
  ctx.entry.detail = {
    lfs: files.filter((f) => f.uploadMode === 'lfs').map((f) => f.path),
    regular: files.filter((f) => f.uploadMode === 'regular').map((f) => f.path),
  };
  ctx.sendJson(200, { files, commitOid: commit.id });
}

export async function commit(ctx: Ctx, env: HubEnv, ref: RepoRef, rev: string): Promise<void> {
  requireWrite(ctx.req, env.token);
  if (ctx.url.searchParams.has('create_pr')) throw new HubError(400, 'local-hub does not support pull requests');
  const { header, operations } = parseCommitNdjson((await ctx.body(MAX_COMMIT_BODY)).toString('utf8'));
  await readableRepo(ctx, env, ref);

  const ops: TreeOp[] = [];
  for (const op of operations) {
    if (op.key === 'file') {
      // Same rule as preupload (size, binary sniff): the Hub refuses binaries sent inline.
      if (op.content.byteLength > env.lfsThreshold || looksBinary(op.content.subarray(0, SAMPLE_BYTES))) {
        throw new HubError(
          400,
          `Your push was rejected because it contains binary or large files that must go through LFS: ${op.path}`,
        );
      }
      ops.push({ kind: 'put', path: op.path, file: await env.store.putBlob(ref, op.content) });
    } else if (op.key === 'lfsFile') {
      ops.push({ kind: 'put', path: op.path, file: await env.store.lfsEntry(ref, op.oid, op.size, op.path) });
    } else if (op.key === 'deletedFile') ops.push({ kind: 'delete', path: op.path });
    else ops.push({ kind: 'deleteFolder', path: op.path });
  }

  const created = await env.store.commit(ref, rev, {
    title: header.summary,
    message: header.description ?? '',
    parentCommit: header.parentCommit,
    ops,
    author: env.user,
  });
  ctx.entry.detail = {
    commit: created.id,
    files: operations.filter((o) => o.key === 'file').length,
    lfsFiles: operations.filter((o) => o.key === 'lfsFile').length,
    deleted: operations.filter((o) => o.key === 'deletedFile' || o.key === 'deletedFolder').length,
  };
  ctx.sendJson(200, {
    success: true,
    commitOid: created.id,
    commitUrl: `${repoUrl(ctx, ref)}/commit/${created.id}`,
    hookOutput: '',
  });
}
