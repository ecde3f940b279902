/**
 * The git-lfs batch API (https://github.com/git-lfs/git-lfs/blob/main/docs/api/batch.md), upload
 * with the `basic` transfer only. @huggingface/hub offers `basic`, `multipart` and `xet`; answering
 * `transfer: "basic"` makes it drop xet and PUT each missing object to the `href` given here.
 * Objects already stored get no `actions`, so the client skips their upload.
 *
 * The client sends no Authorization header with that PUT (on the Hub it goes to a presigned S3
 * URL), so the href carries its own: an HMAC of repo, oid and size.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { open, rm } from 'node:fs/promises';
import { z } from 'zod';
import { readJson, repoOf, type HubContext, type HubDeps } from './app';
import { HubError } from './errors';
import { isSha256 } from './hashing';
import { readableRepo } from './repo-routes';
import type { RepoRef } from './types';

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
}

const batchSchema = z.object({
  operation: z.literal('upload', 'local-hub implements only the upload operation of the LFS batch API'),
  objects: z.array(z.object({ oid: z.string(), size: z.number().int().min(0) })).max(10_000),
  // git-lfs says "sha256"; @huggingface/hub sends "sha_256".
  hash_algo: z.enum(['sha256', 'sha_256']).optional(),
});

export async function lfsBatch(c: HubContext, deps: HubDeps, ref: RepoRef): Promise<Response> {
  const body = await readJson(c, batchSchema);
  await readableRepo(c, deps, ref);
  const origin = new URL(c.req.url).origin;
  const objects = await Promise.all(
    body.objects.map(async ({ oid, size }) => {
      if (!isSha256(oid)) return { oid, size, error: { code: 422, message: 'Invalid oid: expected a sha256 hex digest' } };
      if (await deps.store.hasLfs(ref, oid, size)) return { oid, size };
      const href = new URL(`/_lfs/${ref.type}s/${ref.owner}/${ref.name}/${oid}`, origin);
      href.search = new URLSearchParams({ size: String(size), sig: deps.signer.sign(ref, oid, size) }).toString();
      return { oid, size, authenticated: true, actions: { upload: { href: href.href, expires_in: 3600 } } };
    }),
  );
  return c.json({ transfer: 'basic', objects, hash_algo: 'sha256' }, 200, { 'Content-Type': 'application/vnd.git-lfs+json' });
}

/** The `basic` transfer's PUT: stream to scratch while hashing, keep it only if sha256 and size match. */
export async function lfsUpload(c: HubContext, deps: HubDeps): Promise<Response> {
  const ref = repoOf(c);
  const oid = c.req.param('oid')!;
  const size = Number(c.req.query('size'));
  if (!isSha256(oid) || !Number.isSafeInteger(size) || size < 0 || !deps.signer.verify(ref, oid, size, c.req.query('sig') ?? '')) {
    throw new HubError(403, 'Invalid or expired LFS URL signature');
  }
  await deps.store.meta(ref);
  const tmp = deps.store.tmpPath();
  const hash = createHash('sha256');
  let received = 0;
  const file = await open(tmp, 'w');
  try {
    // Read everything before judging (failing mid-stream would cut the socket, and the client would get no status).
    for await (const chunk of (c.req.raw.body ?? []) as unknown as AsyncIterable<Uint8Array>) {
      hash.update(chunk);
      if (received < size) await file.write(chunk.subarray(0, size - received));
      received += chunk.byteLength;
    }
    await file.close();
    if (received !== size) throw new HubError(400, `Upload size ${received} does not match the announced ${size} bytes`);
    const actual = hash.digest('hex');
    if (actual !== oid) throw new HubError(400, `Upload sha256 ${actual} does not match oid ${oid}`);
    await deps.store.adoptLfs(ref, oid, tmp);
  } catch (err) {
    await file.close().catch(() => undefined);
    await rm(tmp, { force: true });
    throw err;
  }
  return c.body(null, 200, { ETag: `"${oid}"` });
}
