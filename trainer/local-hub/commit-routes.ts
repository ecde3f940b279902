/**
 * Writing: the preupload check (which files must go through LFS) and the NDJSON commit. The
 * commit body is one `{"key", "value"}` per line: a `header` (summary, description,
 * parentCommit), then `file` (content inline), `lfsFile` (an uploaded LFS object, by sha256 oid)
 * or `deletedFile` operations. Inline files are stored first; the commit itself is one atomic
 * ref update in the store, honouring `parentCommit` with a 412.
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { readJson, repoOf, type HubContext, type HubDeps } from './app';
import { badRequest } from './errors';
import { readableRepo, repoUrl } from './repo-routes';
import type { TreeOp } from './tree';
import { validatePath } from './tree';
import { AUTHOR } from './types';
import { LFS_THRESHOLD, looksBinary, parseLfsRules, SAMPLE_BYTES, uploadMode } from './upload-mode';

const preuploadSchema = z.object({
  gitAttributes: z.string().optional(),
  files: z.array(z.object({ path: z.string(), size: z.number().int().min(0), sample: z.string().default('') })).max(1000),
});

const lineSchema = z.discriminatedUnion('key', [
  z.object({ key: z.literal('header'), value: z.object({ summary: z.string().min(1, 'the commit needs a summary (title)'), description: z.string().optional(), parentCommit: z.string().optional() }) }),
  z.object({ key: z.literal('file'), value: z.object({ path: z.string(), content: z.string(), encoding: z.enum(['base64', 'utf-8']).default('utf-8') }) }),
  z.object({ key: z.literal('lfsFile'), value: z.object({ path: z.string(), algo: z.literal('sha256').optional(), oid: z.string().regex(/^[0-9a-f]{64}$/), size: z.number().int().min(0) }) }),
  z.object({ key: z.literal('deletedFile'), value: z.object({ path: z.string() }) }),
]);

type CommitLine = z.output<typeof lineSchema>;

const noPullRequests = (c: HubContext) => {
  if (c.req.query('create_pr') !== undefined) throw badRequest('local-hub does not support pull requests');
};

export async function preupload(c: HubContext, deps: HubDeps): Promise<Response> {
  noPullRequests(c);
  const ref = repoOf(c);
  const body = await readJson(c, preuploadSchema);
  await readableRepo(c, deps, ref);
  const commit = await deps.store.commitAt(ref, c.req.param('rev')!);
  const stored = commit.tree['.gitattributes'];
  const attributes = body.gitAttributes ?? (stored && !stored.lfs ? await readFile(deps.store.contentPath(ref, stored), 'utf8') : '');
  const rules = parseLfsRules(attributes);
  const files = body.files.map((f) => ({
    path: f.path,
    uploadMode: uploadMode({ path: f.path, size: f.size, sample: Buffer.from(f.sample, 'base64') }, rules),
    shouldIgnore: false,
    ...(commit.tree[f.path] && { oid: commit.tree[f.path].oid }),
  }));
  return c.json({ files, commitOid: commit.id });
}

export async function commit(c: HubContext, deps: HubDeps): Promise<Response> {
  noPullRequests(c);
  const ref = repoOf(c);
  const lines = (await c.req.text()).split('\n').filter((line) => line.trim() !== '');
  await readableRepo(c, deps, ref);
  const [header, ...operations] = lines.map((line, index) => {
    let parsed;
    try {
      parsed = lineSchema.safeParse(JSON.parse(line));
    } catch {
      throw badRequest(`Commit line ${index + 1} is not JSON`);
    }
    if (!parsed.success) throw badRequest(`Commit line ${index + 1}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    if ((parsed.data.key === 'header') !== (index === 0)) throw badRequest('The commit header must be the first line, and only there');
    return parsed.data;
  });
  if (header?.key !== 'header') throw badRequest('Empty commit body: expected a header line');

  const ops: TreeOp[] = [];
  for (const op of operations as Array<Exclude<CommitLine, { key: 'header' }>>) {
    const path = validatePath(op.value.path);
    if (op.key === 'file') {
      const content = Buffer.from(op.value.content, op.value.encoding === 'base64' ? 'base64' : 'utf8');
      // Same rule as preupload: the Hub refuses binaries and large files sent inline.
      if (content.byteLength > LFS_THRESHOLD || looksBinary(content.subarray(0, SAMPLE_BYTES))) throw badRequest(`Binary or large files must go through LFS: ${path}`);
      ops.push({ kind: 'put', path, file: await deps.store.putBlob(ref, content) });
    } else if (op.key === 'lfsFile') ops.push({ kind: 'put', path, file: await deps.store.lfsEntry(ref, op.value.oid, op.value.size, path) });
    else ops.push({ kind: 'delete', path });
  }
  const created = await deps.store.commit(ref, c.req.param('rev')!, {
    title: header.value.summary,
    message: header.value.description ?? '',
    parentCommit: header.value.parentCommit,
    ops,
    author: AUTHOR,
  });
  return c.json({ success: true, commitOid: created.id, commitUrl: `${repoUrl(c, ref)}/commit/${created.id}`, hookOutput: '' });
}
