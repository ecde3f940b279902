/**
 * Repo-level API: create/delete (`/api/repos/...`), repo info with the head sha
 * (`/api/{models|datasets}/{id}[/revision/{rev}]`), branches, and whoami.
 */
import { z } from 'zod';
import { requireRead, requireWrite } from './auth';
import type { HubEnv } from './env';
import { badRequest } from './errors';
import { sha1Hex } from './hashing';
import type { Ctx } from './http-context';
import { validatePath } from './tree';
import { repoId, urlPrefix, type RepoMeta, type RepoRef, type RepoType } from './types';

const createRepoSchema = z.object({
  name: z.string(),
  organization: z.string().optional(),
  type: z.string().default('model'),
  visibility: z.enum(['public', 'private', 'protected']).optional(),
  private: z.boolean().optional(),
  files: z
    .array(z.object({ path: z.string(), content: z.string(), encoding: z.enum(['base64', 'utf-8']).default('utf-8') }))
    .optional(),
});

const deleteRepoSchema = z.object({ name: z.string(), organization: z.string().optional(), type: z.string().default('model') });

function repoFromBody(body: { name: string; organization?: string; type: string }): RepoRef {
  if (body.type !== 'model' && body.type !== 'dataset' && body.type !== 'space') throw badRequest(`local-hub supports model, dataset and space repos, not ${body.type}`);
  const [owner, name] = body.organization ? [body.organization, body.name] : body.name.split('/');
  if (!owner || !name) throw badRequest('Repo name must be "{namespace}/{name}"');
  return { type: body.type as RepoType, owner, name };
}

/** The Hub's own URL for a repo, on this server. */
export const repoUrl = (ctx: Ctx, ref: RepoRef) => `${ctx.origin}/${urlPrefix(ref.type)}${repoId(ref)}`;

/** A stable Mongo-style `_id`, as the Hub returns alongside the human `id`. */
const objectId = (ref: RepoRef) => sha1Hex(`${ref.type}/${repoId(ref)}`).slice(0, 24);

export async function createRepo(ctx: Ctx, env: HubEnv): Promise<void> {
  requireWrite(ctx.req, env.token);
  const body = await ctx.json(createRepoSchema);
  const ref = repoFromBody(body);
  const files = (body.files ?? []).map((f) => ({
    path: validatePath(f.path),
    bytes: Buffer.from(f.content, f.encoding === 'base64' ? 'base64' : 'utf8'),
  }));
  const isPrivate = body.visibility ? body.visibility !== 'public' : (body.private ?? false);
  await env.store.createRepo(ref, { private: isPrivate, files, author: env.user });
  ctx.entry.detail = { repo: `${ref.type}:${repoId(ref)}` };
  ctx.sendJson(200, { url: repoUrl(ctx, ref), name: repoId(ref), id: objectId(ref) });
}

export async function deleteRepo(ctx: Ctx, env: HubEnv): Promise<void> {
  requireWrite(ctx.req, env.token);
  const ref = repoFromBody(await ctx.json(deleteRepoSchema));
  await env.store.deleteRepo(ref);
  ctx.send(200, 'OK', { 'Content-Type': 'text/plain; charset=utf-8' });
}

/** Load a repo's metadata and check the caller may read it (private repos answer "not found"). */
export async function readableRepo(ctx: Ctx, env: HubEnv, ref: RepoRef): Promise<RepoMeta> {
  const meta = await env.store.meta(ref);
  requireRead(ctx.req, env.token, meta);
  return meta;
}

export async function repoInfo(ctx: Ctx, env: HubEnv, ref: RepoRef, rev = 'HEAD'): Promise<void> {
  const meta = await readableRepo(ctx, env, ref);
  const commit = await env.store.commitAt(ref, rev);
  ctx.entry.detail = { sha: commit.id };
  // Everything the client's expand[] keys ask for is always present: cheap, and simpler than filtering.
  ctx.sendJson(200, {
    _id: objectId(ref),
    id: repoId(ref),
    author: ref.owner,
    sha: commit.id,
    lastModified: commit.date,
    createdAt: meta.createdAt,
    private: meta.private,
    gated: false,
    disabled: false,
    downloads: 0,
    downloadsAllTime: 0,
    likes: 0,
    tags: [],
    cardData: {},
    siblings: Object.keys(commit.tree)
      .sort()
      .map((rfilename) => ({ rfilename })),
  });
}

const createBranchSchema = z.object({
  startingPoint: z.string().optional(),
  emptyBranch: z.boolean().optional(),
  overwrite: z.boolean().optional(),
});

export async function createBranch(ctx: Ctx, env: HubEnv, ref: RepoRef, branch: string): Promise<void> {
  requireWrite(ctx.req, env.token);
  const body = await ctx.json(createBranchSchema);
  await readableRepo(ctx, env, ref);
  await env.store.createBranch(ref, branch, {
    startingPoint: body.startingPoint,
    empty: body.emptyBranch,
    overwrite: body.overwrite,
    author: env.user,
  });
  ctx.sendJson(200, {});
}

export async function deleteBranch(ctx: Ctx, env: HubEnv, ref: RepoRef, branch: string): Promise<void> {
  requireWrite(ctx.req, env.token);
  await readableRepo(ctx, env, ref);
  await env.store.deleteBranch(ref, branch);
  ctx.sendJson(200, {});
}

export function whoami(ctx: Ctx, env: HubEnv): void {
  requireWrite(ctx.req, env.token);
  ctx.sendJson(200, {
    type: 'user',
    id: sha1Hex(`user/${env.user}`).slice(0, 24),
    name: env.user,
    fullname: env.user,
    email: null,
    emailVerified: false,
    isPro: false,
    canPay: false,
    avatarUrl: '',
    orgs: [],
    auth: { type: 'access_token', accessToken: { displayName: 'local-hub', role: 'write', createdAt: new Date(0).toISOString() } },
  });
}
