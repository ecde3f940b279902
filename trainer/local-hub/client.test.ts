/**
 * The real @huggingface/hub client against the local hub, along the product's paths: the model
 * through LFS with manifest and card inline in one commit, JSONL shards in a dataset repo,
 * downloads pinned to a commit, repo info, listings, parentCommit, a Space mirror.
 */
import { createHash, randomBytes } from 'node:crypto';
import {
  commit,
  createRepo,
  datasetInfo,
  deleteFile,
  downloadFile,
  fileDownloadInfo,
  HubApiError,
  listCommits,
  listFiles,
  modelInfo,
  pathsInfo,
  repoExists,
  spaceInfo,
  uploadFile,
  uploadFiles,
} from '@huggingface/hub';
import { describe, expect, it } from 'vitest';
import { bytesOf, removeDir, startTestHub, TOKEN, useTestHub } from './local-hub.test-helpers';

const MODEL = { type: 'model' as const, name: 'acme/sentiment' };
const DATASET = { type: 'dataset' as const, name: 'acme/sentiment-feedback' };
const hub = useTestHub();
const creds = () => ({ accessToken: TOKEN, hubUrl: hub.url });

const collect = async <T>(it: AsyncIterable<T>): Promise<T[]> => {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
};
const read = async (repo: typeof MODEL | typeof DATASET, path: string, revision?: string) =>
  bytesOf(await downloadFile({ repo, path, revision, hubUrl: hub.url }));

describe('local hub with the real @huggingface/hub client', () => {
  const model1 = randomBytes(300 * 1024);
  const model2 = randomBytes(200 * 1024);
  const manifest1 = JSON.stringify({ version: 'v1' });
  const manifest2 = JSON.stringify({ version: 'v2' });
  const readme = '# Sentiment model\n\n| metric | value |\n|---|---|\n| macro recall | 0.70 |\n';
  let firstSha = '';

  it('creates a model repo and a dataset repo, and refuses to create them twice', async () => {
    expect((await createRepo({ repo: MODEL, ...creds() })).repoUrl).toBe(`${hub.url}/acme/sentiment`);
    expect((await createRepo({ repo: DATASET, ...creds() })).repoUrl).toBe(`${hub.url}/datasets/acme/sentiment-feedback`);
    expect(await repoExists({ repo: MODEL, hubUrl: hub.url })).toBe(true);
    expect(await repoExists({ repo: { type: 'model', name: 'acme/nope' }, hubUrl: hub.url })).toBe(false);
    // A dataset and a model may share a name; the type keeps them apart.
    expect(await repoExists({ repo: { type: 'dataset', name: 'acme/sentiment' }, hubUrl: hub.url })).toBe(false);

    const again = await createRepo({ repo: MODEL, ...creds() }).catch((e) => e);
    expect(again).toBeInstanceOf(HubApiError);
    expect(again.statusCode).toBe(409);

    // Like the Hub, a new repo starts with one commit holding a .gitattributes that tracks *.onnx.
    expect((await collect(listFiles({ repo: MODEL, hubUrl: hub.url }))).map((f) => f.path)).toEqual(['.gitattributes']);
    expect((await read(MODEL, '.gitattributes')).toString()).toContain('*.onnx filter=lfs');
  });

  it('commits model.onnx through LFS plus manifest.json and README.md inline, in one commit', async () => {
    const since = hub.requests.lastSeq;
    const out = await commit({
      repo: MODEL,
      ...creds(),
      title: 'Promote v1',
      description: 'macro recall 0.70',
      operations: [
        { operation: 'addOrUpdate', path: 'model.onnx', content: new Blob([model1]) },
        { operation: 'addOrUpdate', path: 'manifest.json', content: new Blob([manifest1]) },
        { operation: 'addOrUpdate', path: 'README.md', content: new Blob([readme]) },
      ],
    });
    firstSha = out!.commit.oid;
    expect(firstSha).toMatch(/^[0-9a-f]{40}$/);
    expect(out!.commit.url).toBe(`${hub.url}/acme/sentiment/commit/${firstSha}`);
    // The client offers xet first; the batch answer picks basic, so it falls back to one plain PUT.
    const log = hub.requests.list({ since });
    expect(log.map((e) => `${e.method} ${e.route} ${e.status}`)).toEqual(['POST preupload 200', 'POST lfs-batch 200', 'PUT lfs-upload 200', 'POST commit 200']);
    expect(log[2].requestBytes).toBe(model1.byteLength);

    const files = await collect(listFiles({ repo: MODEL, hubUrl: hub.url }));
    expect(files.find((f) => f.path === 'model.onnx')).toMatchObject({ type: 'file', size: model1.byteLength, lfs: { size: model1.byteLength } });
    expect(files.find((f) => f.path === 'README.md')!.lfs).toBeUndefined();
  });

  it('serves each file back at main and at the commit sha, byte for byte, with the headers clients read', async () => {
    for (const revision of ['main', firstSha]) {
      expect((await read(MODEL, 'model.onnx', revision)).equals(model1)).toBe(true);
      expect((await read(MODEL, 'manifest.json', revision)).toString()).toBe(manifest1);
      expect((await read(MODEL, 'README.md', revision)).toString()).toBe(readme);
    }
    const info = await fileDownloadInfo({ repo: MODEL, path: 'model.onnx', hubUrl: hub.url });
    expect(info).toMatchObject({ size: model1.byteLength, xet: undefined, etag: `"${createHash('sha256').update(model1).digest('hex')}"` });

    const part = await fetch(`${hub.url}/acme/sentiment/resolve/main/model.onnx`, { headers: { Range: 'bytes=10-19' } });
    expect(part.status).toBe(206);
    expect(part.headers.get('x-repo-commit')).toBe(firstSha);
    expect(part.headers.get('x-linked-size')).toBe(String(model1.byteLength));
    expect(Buffer.from(await part.arrayBuffer()).equals(model1.subarray(10, 20))).toBe(true);
    expect((await fetch(`${hub.url}/acme/sentiment/resolve/main/model.onnx`, { headers: { Range: `bytes=${model1.byteLength}-` } })).status).toBe(416);
    const head = await fetch(`${hub.url}/acme/sentiment/resolve/main/manifest.json`, { method: 'HEAD' });
    expect([head.status, head.headers.get('content-length'), head.headers.get('x-repo-commit')]).toEqual([200, String(manifest1.length), firstSha]);
  });

  it('answers 404 in the Hub shape for unknown files, revisions, repos and endpoints', async () => {
    expect(await downloadFile({ repo: MODEL, path: 'nope.txt', hubUrl: hub.url })).toBeNull();
    const badRev = await downloadFile({ repo: MODEL, path: 'manifest.json', revision: 'f'.repeat(40), hubUrl: hub.url }).catch((e) => e);
    expect(badRev).toBeInstanceOf(HubApiError);
    expect(badRev.statusCode).toBe(404);
    expect(badRev.message).toMatch(/Invalid rev id/);

    const res = await fetch(`${hub.url}/acme/missing/resolve/main/x.json`);
    expect(res.status).toBe(404);
    expect(res.headers.get('x-error-code')).toBe('RepoNotFound');
    expect(await res.json()).toEqual({ error: 'Repository not found' });
    expect((await modelInfo({ name: 'acme/missing', hubUrl: hub.url }).catch((e) => e)).statusCode).toBe(404);

    // What no product path calls is not implemented, and says so.
    const unsupported = await pathsInfo({ repo: MODEL, paths: ['README.md'], hubUrl: hub.url }).catch((e) => e);
    expect(unsupported.statusCode).toBe(404);
    expect(unsupported.message).toMatch(/local-hub does not implement POST/);
  });

  it('keeps the old commit readable after a new one, and re-uploads nothing already stored', async () => {
    const since = hub.requests.lastSeq;
    const out = await uploadFiles({
      repo: MODEL,
      ...creds(),
      commitTitle: 'Promote v2',
      files: [
        { path: 'model.onnx', content: new Blob([model2]) },
        { path: 'manifest.json', content: new Blob([manifest2]) },
      ],
    });
    expect(out!.commit.oid).not.toBe(firstSha);
    expect(hub.requests.count({ since, route: 'lfs-upload' })).toBe(1);
    expect((await read(MODEL, 'model.onnx', firstSha)).equals(model1)).toBe(true);
    expect((await read(MODEL, 'model.onnx')).equals(model2)).toBe(true);
    expect((await read(MODEL, 'manifest.json')).toString()).toBe(manifest2);

    // Rolling back to v1's bytes: the object is already present, so the batch answer asks for no upload.
    const before = hub.requests.lastSeq;
    await uploadFile({ repo: MODEL, ...creds(), file: { path: 'model.onnx', content: new Blob([model1]) } });
    expect(hub.requests.list({ since: before }).map((e) => e.route)).toEqual(['preupload', 'lfs-batch', 'commit']);
  });

  it('lists commits newest first, paged, and reports the head sha in repo info', async () => {
    const commits = await collect(listCommits({ repo: MODEL, hubUrl: hub.url }));
    expect(commits.map((c) => c.title)).toEqual(['Add model.onnx', 'Promote v2', 'Promote v1', 'initial commit']);
    expect(commits[2]).toMatchObject({ oid: firstSha, message: 'macro recall 0.70' });
    const paged = await collect(listCommits({ repo: MODEL, hubUrl: hub.url, batchSize: 3 }));
    expect(paged.map((c) => c.oid)).toEqual(commits.map((c) => c.oid));

    const info = await modelInfo({ name: MODEL.name, hubUrl: hub.url, additionalFields: ['sha'] });
    expect(info).toMatchObject({ sha: commits[0].oid, private: false });
    expect(info.updatedAt.getTime()).toBe(commits[0].date.getTime());
    expect((await modelInfo({ name: MODEL.name, hubUrl: hub.url, revision: firstSha, additionalFields: ['sha'] })).sha).toBe(firstSha);
  });

  it('stores feedback shards as inline JSONL in the dataset repo, and lists them recursively', async () => {
    const path = 'feedback/2026/11/27/073000-4f2a.jsonl';
    const shard = `${JSON.stringify({ id: 'a1', text: 'meh, ünïcödé ✓', correct_label: 'neutral' })}\n`;
    const since = hub.requests.lastSeq;
    const out = await uploadFile({ repo: DATASET, ...creds(), file: { path, content: new Blob([shard]) }, commitTitle: 'feedback shard' });
    expect(hub.requests.list({ since }).map((e) => e.route)).toEqual(['preupload', 'commit']);
    expect((await read(DATASET, path, out!.commit.oid)).toString()).toBe(shard);

    expect((await collect(listFiles({ repo: DATASET, hubUrl: hub.url }))).map((f) => `${f.type}:${f.path}`)).toEqual(['file:.gitattributes', 'directory:feedback']);
    const all = await collect(listFiles({ repo: DATASET, recursive: true, hubUrl: hub.url }));
    expect(all.map((f) => `${f.type}:${f.path}`)).toEqual([
      'file:.gitattributes',
      'directory:feedback',
      'directory:feedback/2026',
      'directory:feedback/2026/11',
      'directory:feedback/2026/11/27',
      `file:${path}`,
    ]);
    expect((await datasetInfo({ name: DATASET.name, hubUrl: hub.url, additionalFields: ['sha'] })).sha).toBe(out!.commit.oid);
  });

  it('honours parentCommit: a commit based on a stale head fails with 412', async () => {
    const head = (await modelInfo({ name: MODEL.name, hubUrl: hub.url, additionalFields: ['sha'] })).sha;
    const file = { path: 'manifest.json', content: new Blob(['{"version":"v3"}']) };
    const stale = await uploadFile({ repo: MODEL, ...creds(), parentCommit: firstSha, file }).catch((e) => e);
    expect(stale).toBeInstanceOf(HubApiError);
    expect(stale.statusCode).toBe(412);
    expect((await modelInfo({ name: MODEL.name, hubUrl: hub.url, additionalFields: ['sha'] })).sha).toBe(head);
    const ok = await uploadFile({ repo: MODEL, ...creds(), parentCommit: head, file });
    expect((await collect(listCommits({ repo: MODEL, hubUrl: hub.url })))[0].oid).toBe(ok!.commit.oid);
  });

  it('deletes files, and refuses to delete what is not there', async () => {
    await deleteFile({ repo: MODEL, ...creds(), path: 'README.md' });
    expect(await downloadFile({ repo: MODEL, path: 'README.md', hubUrl: hub.url })).toBeNull();
    expect((await read(MODEL, 'README.md', firstSha)).toString()).toBe(readme);
    expect((await deleteFile({ repo: MODEL, ...creds(), path: 'README.md' }).catch((e) => e)).statusCode).toBe(404);
  });

  it('hosts a Space mirror (the Docker Space deploy)', async () => {
    const space = { type: 'space' as const, name: 'acme/sentiment-api' };
    await createRepo({ repo: space, sdk: 'docker', ...creds() });
    expect((await spaceInfo({ name: space.name, ...creds() })).name).toBe(space.name);
    await uploadFile({ repo: space, ...creds(), file: { path: 'Dockerfile', content: new Blob(['FROM node:24\n']) } });
    expect((await bytesOf(await downloadFile({ repo: space, path: 'Dockerfile', hubUrl: hub.url }))).toString()).toBe('FROM node:24\n');
  });
});

describe('pagination of tree listings', () => {
  it('follows the Link header across pages', async () => {
    const small = await startTestHub({ pageSize: 2 });
    try {
      const repo = { type: 'dataset' as const, name: 'acme/paged' };
      await createRepo({ repo, accessToken: TOKEN, hubUrl: small.url });
      const files = Array.from({ length: 5 }, (_, i) => ({ path: `shards/${i}.jsonl`, content: new Blob([`{"id":"${i}"}\n`]) }));
      await uploadFiles({ repo, accessToken: TOKEN, hubUrl: small.url, files });
      const since = small.requests.lastSeq;
      const all = await collect(listFiles({ repo, recursive: true, hubUrl: small.url }));
      expect(all.map((f) => f.path)).toEqual(['.gitattributes', 'shards', ...files.map((f) => f.path)]);
      expect(small.requests.count({ since, route: 'tree' })).toBe(4);
    } finally {
      await small.close();
      await removeDir(small.dir);
    }
  });
});
