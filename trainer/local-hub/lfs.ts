/**
 * The git-lfs batch API (https://github.com/git-lfs/git-lfs/blob/main/docs/api/batch.md) with the
 * `basic` transfer only. @huggingface/hub offers `basic`, `multipart` and `xet`; answering
 * `transfer: "basic"` makes it drop xet and PUT each missing object to the `href` we give it.
 * Objects already stored get no `actions` ("already present"), so the client skips the upload.
 *
 * The client sends no Authorization header with that PUT (on the Hub it goes to a presigned S3
 * URL), so upload/download hrefs carry their own authorisation: an HMAC of repo, oid and size.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { z } from 'zod';
import { requireWrite } from './auth';
import type { HubEnv } from './env';
import { HubError } from './errors';
import { isSha256 } from './hashing';
import type { Ctx } from './http-context';
import { readableRepo } from './routes-repo';
import type { RepoRef } from './types';

const LFS_JSON = 'application/vnd.git-lfs+json';
const EXPIRES_IN = 3600;

export class LfsSigner {
  private readonly secret = randomBytes(32);

  sign(ref: RepoRef, oid: string, size: number): string {
    return createHmac('sha256', this.secret).update(`${ref.type}/${ref.owner}/${ref.name}/${oid}/${size}`).digest('hex');
  }

  verify(ref: RepoRef, oid: string, size: number, sig: string): boolean {
    const expected = Buffer.from(this.sign(ref, oid, size));
    const given = Buffer.from(sig);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  href(origin: string, ref: RepoRef, oid: string, size: number): string {
    const url = new URL(`/_lfs/${ref.type}s/${ref.owner}/${ref.name}/${oid}`, origin);
    url.searchParams.set('size', String(size));
    url.searchParams.set('sig', this.sign(ref, oid, size));
    return url.href;
  }
}

const batchSchema = z.object({
  operation: z.enum(['upload', 'download']),
  transfers: z.array(z.string()).optional(),
  ref: z.object({ name: z.string() }).nullable().optional(),
  objects: z.array(z.object({ oid: z.string(), size: z.number().int().min(0) })).max(10_000),
  // git-lfs says "sha256"; @huggingface/hub sends "sha_256".
  hash_algo: z.string().optional(),
});

export async function lfsBatch(ctx: Ctx, env: HubEnv, ref: RepoRef): Promise<void> {
  const body = await ctx.json(batchSchema);
  if (body.operation === 'upload') requireWrite(ctx.req, env.token);
  await readableRepo(ctx, env, ref);
  if (body.hash_algo && !['sha256', 'sha_256'].includes(body.hash_algo)) {
    throw new HubError(409, `Unsupported hash algorithm: ${body.hash_algo}`);
  }
  const objects = await Promise.all(
    body.objects.map(async ({ oid, size }) => {
      if (!isSha256(oid)) return { oid, size, error: { code: 422, message: 'Invalid oid: expected a sha256 hex digest' } };
      const present = await env.store.hasLfs(ref, oid, size);
      const action = { href: env.signer.href(ctx.origin, ref, oid, size), expires_in: EXPIRES_IN };
      if (body.operation === 'upload') return present ? { oid, size } : { oid, size, authenticated: true, actions: { upload: action } };
      return present
        ? { oid, size, authenticated: true, actions: { download: action } }
        : { oid, size, error: { code: 404, message: 'Object does not exist' } };
    }),
  );
  ctx.entry.detail = {
    operation: body.operation,
    transfersOffered: body.transfers ?? ['basic'],
    transfer: 'basic',
    objects: objects.length,
    toUpload: objects.filter((o) => 'actions' in o && o.actions && 'upload' in o.actions).length,
  };
  ctx.sendJson(200, { transfer: 'basic', objects, hash_algo: 'sha256' }, { 'Content-Type': LFS_JSON });
}

function checkSignature(ctx: Ctx, env: HubEnv, ref: RepoRef, oid: string): number {
  const size = Number(ctx.url.searchParams.get('size'));
  const sig = ctx.url.searchParams.get('sig') ?? '';
  if (!isSha256(oid) || !Number.isSafeInteger(size) || size < 0 || !env.signer.verify(ref, oid, size, sig)) {
    throw new HubError(403, 'Invalid or expired LFS URL signature');
  }
  return size;
}

/** The `basic` transfer's PUT: stream to scratch while hashing, keep it only if sha256 and size match. */
export async function lfsUpload(ctx: Ctx, env: HubEnv, ref: RepoRef, oid: string): Promise<void> {
  const size = checkSignature(ctx, env, ref, oid);
  await env.store.meta(ref);
  const tmp = env.store.tmpPath();
  const hash = createHash('sha256');
  let received = 0;
  // Never fail mid-stream (that would destroy the request and its socket, and the client would
  // get no status): count and hash everything, drop bytes past the announced size, judge at the end.
  const meter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      const keep = chunk.subarray(0, Math.max(0, size - received));
      received += chunk.length;
      hash.update(chunk);
      done(null, keep);
    },
  });
  try {
    await pipeline(ctx.req, meter, createWriteStream(tmp));
    ctx.entry.requestBytes = received;
    if (received !== size) throw new HubError(400, `Upload size ${received} does not match the announced ${size} bytes`);
    const actual = hash.digest('hex');
    if (actual !== oid) throw new HubError(400, `Upload sha256 ${actual} does not match oid ${oid}`);
    await env.store.adoptLfs(ref, oid, tmp);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
  ctx.entry.detail = { oid, size };
  ctx.send(200, '', { ETag: `"${oid}"` });
}

/** The `download` action's GET (for git-lfs clients; @huggingface/hub downloads via /resolve/). */
export async function lfsDownload(ctx: Ctx, env: HubEnv, ref: RepoRef, oid: string): Promise<void> {
  const size = checkSignature(ctx, env, ref, oid);
  if (!(await env.store.hasLfs(ref, oid, size))) throw new HubError(404, 'Object does not exist');
  await ctx.sendFile(200, env.store.lfsPath(ref, oid), null, {
    'Content-Length': size,
    'Content-Type': 'application/octet-stream',
  });
}
