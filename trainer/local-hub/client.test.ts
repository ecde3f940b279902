/**
 * The real @huggingface/hub client against the local hub: the product's Hub code paths
 * (LFS upload of the model, inline manifest/README/JSONL shards, downloads pinned to a
 * commit, repo info, listings) must work with only `hubUrl` changed.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  commit,
  countCommits,
  createBranch,
  createRepo,
  datasetInfo,
  deleteFile,
  downloadFile,
  fileDownloadInfo,
  fileExists,
  HubApiError,
  listCommits,
  listFiles,
  modelInfo,
  pathsInfo,
  repoExists,
  snapshotDownload,
  uploadFile,
  uploadFiles,
  whoAmI,
} from '@huggingface/hub';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalHub } from './server';
import { bytesOf, removeDir, startTestHub, TOKEN } from './test-helpers';

const MODEL = { type: 'model' as const, name: 'acme/sentiment' };
const DATASET = { type: 'dataset' as const, name: 'acme/sentiment-feedback' };

let hub: LocalHub;
let creds: { accessToken: string; hubUrl: string };

const collect = async <T>(it: AsyncIterable<T>): Promise<T[]> => {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
};

beforeAll(async () => {
  hub = await startTestHub();
  creds = { accessToken: TOKEN, hubUrl: hub.url };
});

afterAll(async () => {
  await hub.close();
  await removeDir(hub.dir);
});

describe('local hub with the real @huggingface/hub client', () => {
  const model1 = randomBytes(300 * 1024);
  const model2 = randomBytes(200 * 1024);
  const manifest1 = JSON.stringify({ version: 'v1', sha256: 'x' }, null, 2);
  const manifest2 = JSON.stringify({ version: 'v2', sha256: 'y' }, null, 2);
  const readme = '# Sentiment model\n\n| metric | value |\n|---|---|\n| macro recall | 0.70 |\n';
  let firstSha = '';
  let secondSha = '';

  it('creates a model repo and a dataset repo, and refuses to create them twice', async () => {
    const created = await createRepo({ repo: MODEL, ...creds });
    expect(created.repoUrl).toBe(`${hub.url}/acme/sentiment`);
    const ds = await createRepo({ repo: DATASET, ...creds });
    expect(ds.repoUrl).toBe(`${hub.url}/datasets/acme/sentiment-feedback`);
    expect(await repoExists({ repo: MODEL, hubUrl: hub.url })).toBe(true);
    expect(await repoExists({ repo: DATASET, hubUrl: hub.url })).toBe(true);
    expect(await repoExists({ repo: { type: 'model', name: 'acme/nope' }, hubUrl: hub.url })).toBe(false);
    // A dataset and a model may share a name; the type keeps them apart.
    expect(await repoExists({ repo: { type: 'dataset', name: 'acme/sentiment' }, hubUrl: hub.url })).toBe(false);

    const again = await createRepo({ repo: MODEL, ...creds }).catch((e) => e);
    expect(again).toBeInstanceOf(HubApiError);
    expect(again.statusCode).toBe(409);

    // Like the Hub, a new repo starts with one commit holding a .gitattributes that tracks *.onnx.
    const files = await collect(listFiles({ repo: MODEL, hubUrl: hub.url }));
    expect(files.map((f) => f.path)).toEqual(['.gitattributes']);
    const attrs = await bytesOf(await downloadFile({ repo: MODEL, path: '.gitattributes', hubUrl: hub.url }));
    expect(attrs.toString()).toContain('*.onnx filter=lfs');
  });

  it('commits model.onnx through LFS plus manifest.json and README.md inline, in one commit', async () => {
    const since = hub.requests.lastSeq;
    const out = await commit({
      repo: MODEL,
      ...creds,
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

    const log = hub.requests.list({ since });
    expect(log.map((e) => `${e.method} ${e.route} ${e.status}`)).toEqual([
      'POST preupload 200',
      'POST lfs-batch 200',
      'PUT lfs-upload 200',
      'POST commit 200',
    ]);
    expect(log[0].detail).toEqual({ lfs: ['model.onnx'], regular: ['manifest.json', 'README.md'] });
    // The client offers xet first-class; the server picks basic and the client falls back to a plain PUT.
    expect(log[1].detail).toMatchObject({ transfersOffered: ['basic', 'multipart', 'xet'], transfer: 'basic', toUpload: 1 });
    expect(log[2].requestBytes).toBe(model1.byteLength);
    expect(log[3].detail).toMatchObject({ commit: firstSha, files: 2, lfsFiles: 1 });
  });

  it('serves each file back at main and at the commit sha, byte for byte', async () => {
    for (const revision of ['main', firstSha]) {
      expect((await bytesOf(await downloadFile({ repo: MODEL, path: 'model.onnx', revision, hubUrl: hub.url }))).equals(model1)).toBe(true);
      expect((await bytesOf(await downloadFile({ repo: MODEL, path: 'manifest.json', revision, hubUrl: hub.url }))).toString()).toBe(manifest1);
      expect((await bytesOf(await downloadFile({ repo: MODEL, path: 'README.md', revision, hubUrl: hub.url }))).toString()).toBe(readme);
    }
    const info = await fileDownloadInfo({ repo: MODEL, path: 'model.onnx', hubUrl: hub.url });
    expect(info).toMatchObject({ size: model1.byteLength, xet: undefined });
    const sha256 = (await import('node:crypto')).createHash('sha256').update(model1).digest('hex');
    expect(info!.etag).toBe(`"${sha256}"`);

    // The headers a client can pin to: the commit the branch resolved to, and the LFS facts.
    const head = await fetch(`${hub.url}/acme/sentiment/resolve/main/model.onnx`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('x-repo-commit')).toBe(firstSha);
    expect(head.headers.get('x-linked-size')).toBe(String(model1.byteLength));
    expect(head.headers.get('content-length')).toBe(String(model1.byteLength));
    // /raw/ serves what git stores: the LFS pointer.
    const raw = await (await fetch(`${hub.url}/acme/sentiment/raw/main/model.onnx`)).text();
    expect(raw).toBe(`version https://git-lfs.github.com/spec/v1\noid sha256:${sha256}\nsize ${model1.byteLength}\n`);
    // A range read.
    const part = await fetch(`${hub.url}/acme/sentiment/resolve/${firstSha}/model.onnx`, { headers: { Range: 'bytes=10-19' } });
    expect(part.status).toBe(206);
    expect(Buffer.from(await part.arrayBuffer()).equals(model1.subarray(10, 20))).toBe(true);
    // Conditional GET: an unchanged manifest costs a 304 and no body.
    const etag = (await fetch(`${hub.url}/acme/sentiment/resolve/main/manifest.json`, { method: 'HEAD' })).headers.get('etag')!;
    const cond = await fetch(`${hub.url}/acme/sentiment/resolve/main/manifest.json`, { headers: { 'If-None-Match': etag } });
    expect(cond.status).toBe(304);
  });

  it('answers 404 in the Hub shape for unknown files, revisions and repos', async () => {
    expect(await downloadFile({ repo: MODEL, path: 'nope.txt', hubUrl: hub.url })).toBeNull();
    expect(await fileExists({ repo: MODEL, path: 'nope.txt', hubUrl: hub.url })).toBe(false);
    expect(await fileExists({ repo: MODEL, path: 'manifest.json', hubUrl: hub.url })).toBe(true);

    const badRev = await downloadFile({ repo: MODEL, path: 'manifest.json', revision: 'f'.repeat(40), hubUrl: hub.url }).catch((e) => e);
    expect(badRev).toBeInstanceOf(HubApiError);
    expect(badRev.statusCode).toBe(404);
    expect(badRev.message).toMatch(/Invalid rev id/);

    const res = await fetch(`${hub.url}/acme/missing/resolve/main/x.json`);
    expect(res.status).toBe(404);
    expect(res.headers.get('x-error-code')).toBe('RepoNotFound');
    expect(await res.json()).toEqual({ error: 'Repository not found' });
    const info = await modelInfo({ name: 'acme/missing', hubUrl: hub.url }).catch((e) => e);
    expect(info.statusCode).toBe(404);
  });

  it('keeps the old commit readable after a new one, and re-uploads nothing already stored', async () => {
    const since = hub.requests.lastSeq;
    const out = await uploadFiles({
      repo: MODEL,
      ...creds,
      commitTitle: 'Promote v2',
      files: [
        { path: 'model.onnx', content: new Blob([model2]) },
        { path: 'manifest.json', content: new Blob([manifest2]) },
      ],
    });
    secondSha = out!.commit.oid;
    expect(secondSha).not.toBe(firstSha);
    expect(hub.requests.count({ since, route: 'lfs-upload' })).toBe(1);

    expect((await bytesOf(await downloadFile({ repo: MODEL, path: 'model.onnx', revision: firstSha, hubUrl: hub.url }))).equals(model1)).toBe(true);
    expect((await bytesOf(await downloadFile({ repo: MODEL, path: 'manifest.json', revision: firstSha, hubUrl: hub.url }))).toString()).toBe(manifest1);
    expect((await bytesOf(await downloadFile({ repo: MODEL, path: 'model.onnx', hubUrl: hub.url }))).equals(model2)).toBe(true);
    expect((await bytesOf(await downloadFile({ repo: MODEL, path: 'manifest.json', hubUrl: hub.url }))).toString()).toBe(manifest2);

    // Rolling back to v1's bytes: the object is already present, so the batch answer has no actions.
    const before = hub.requests.lastSeq;
    await uploadFile({ repo: MODEL, ...creds, file: { path: 'model.onnx', content: new Blob([model1]) } });
    expect(hub.requests.list({ since: before }).map((e) => e.route)).toEqual(['preupload', 'lfs-batch', 'commit']);
    expect(hub.requests.list({ since: before, route: 'lfs-batch' })[0].detail).toMatchObject({ toUpload: 0 });
    // Put v2 back so the rest of the story holds.
    await uploadFile({ repo: MODEL, ...creds, file: { path: 'model.onnx', content: new Blob([model2]) } });
  });

  it('lists files and commits, and reports the head sha in repo info', async () => {
    const files = await collect(listFiles({ repo: MODEL, hubUrl: hub.url }));
    expect(files.map((f) => f.path)).toEqual(['.gitattributes', 'README.md', 'manifest.json', 'model.onnx']);
    const onnx = files.find((f) => f.path === 'model.onnx')!;
    expect(onnx).toMatchObject({ type: 'file', size: model2.byteLength, lfs: { size: model2.byteLength } });
    expect(files.find((f) => f.path === 'README.md')!.lfs).toBeUndefined();

    const oldFiles = await collect(listFiles({ repo: MODEL, revision: firstSha, hubUrl: hub.url }));
    expect(oldFiles.find((f) => f.path === 'model.onnx')!.size).toBe(model1.byteLength);

    const commits = await collect(listCommits({ repo: MODEL, hubUrl: hub.url }));
    expect(commits.map((c) => c.title)).toEqual(['Add model.onnx', 'Add model.onnx', 'Promote v2', 'Promote v1', 'initial commit']);
    expect(commits[2].oid).toBe(secondSha);
    expect(commits[3].oid).toBe(firstSha);
    expect(commits[3].message).toBe('macro recall 0.70');
    for (let i = 1; i < commits.length; i++) expect(commits[i - 1].date.getTime()).toBeGreaterThanOrEqual(commits[i].date.getTime());
    // Paged with a Link header when the page is smaller than the history.
    const paged = await collect(listCommits({ repo: MODEL, hubUrl: hub.url, batchSize: 2 }));
    expect(paged.map((c) => c.oid)).toEqual(commits.map((c) => c.oid));
    expect(await countCommits({ repo: MODEL, hubUrl: hub.url })).toBe(5);

    const info = await modelInfo({ name: MODEL.name, hubUrl: hub.url, additionalFields: ['sha', 'filePaths'] });
    expect(info.sha).toBe(commits[0].oid);
    expect(info.private).toBe(false);
    expect(info.filePaths).toEqual(['.gitattributes', 'README.md', 'manifest.json', 'model.onnx']);
    expect(info.updatedAt.getTime()).toBe(commits[0].date.getTime());
    const atFirst = await modelInfo({ name: MODEL.name, hubUrl: hub.url, revision: firstSha, additionalFields: ['sha'] });
    expect(atFirst.sha).toBe(firstSha);

    const paths = await pathsInfo({ repo: MODEL, paths: ['README.md', 'missing.txt'], expand: true, hubUrl: hub.url });
    expect(paths).toHaveLength(1);
    expect(paths[0].lastCommit).toMatchObject({ id: firstSha, title: 'Promote v1' });
  });

  it('stores feedback shards as inline JSONL in the dataset repo', async () => {
    const path = 'feedback/2026/11/27/073000-4f2a.jsonl';
    const shard =
      [
        { id: 'a1', text: 'great', model_label: 'positive', correct_label: 'positive', confidence: 0.9, model_version: 'v1', timestamp: '2026-11-27T07:30:00Z', source: 'feedback' },
        { id: 'a2', text: 'meh, ünïcödé ✓', model_label: 'positive', correct_label: 'neutral', confidence: 0.5, model_version: 'v1', timestamp: '2026-11-27T07:30:01Z', source: 'feedback' },
      ]
        .map((r) => JSON.stringify(r))
        .join('\n') + '\n';
    const since = hub.requests.lastSeq;
    const out = await uploadFile({ repo: DATASET, ...creds, file: { path, content: new Blob([shard]) }, commitTitle: 'feedback shard' });
    expect(hub.requests.list({ since }).map((e) => e.route)).toEqual(['preupload', 'commit']);

    expect((await bytesOf(await downloadFile({ repo: DATASET, path, hubUrl: hub.url }))).toString()).toBe(shard);
    expect((await bytesOf(await downloadFile({ repo: DATASET, path, revision: out!.commit.oid, hubUrl: hub.url }))).toString()).toBe(shard);

    const top = await collect(listFiles({ repo: DATASET, hubUrl: hub.url }));
    expect(top.map((f) => `${f.type}:${f.path}`)).toEqual(['file:.gitattributes', 'directory:feedback']);
    const all = await collect(listFiles({ repo: DATASET, path: 'feedback', recursive: true, hubUrl: hub.url }));
    expect(all.filter((f) => f.type === 'file').map((f) => f.path)).toEqual([path]);
    expect(all.filter((f) => f.type === 'directory').map((f) => f.path)).toEqual(['feedback/2026', 'feedback/2026/11', 'feedback/2026/11/27']);

    const info = await datasetInfo({ name: DATASET.name, hubUrl: hub.url, additionalFields: ['sha'] });
    expect(info.sha).toBe(out!.commit.oid);
  });

  it('honours parentCommit: a commit based on a stale head fails with 412', async () => {
    const head = (await modelInfo({ name: MODEL.name, hubUrl: hub.url, additionalFields: ['sha'] })).sha;
    const stale = await uploadFile({
      repo: MODEL,
      ...creds,
      parentCommit: firstSha,
      file: { path: 'manifest.json', content: new Blob(['{"version":"v3"}']) },
    }).catch((e) => e);
    expect(stale).toBeInstanceOf(HubApiError);
    expect(stale.statusCode).toBe(412);
    expect((await modelInfo({ name: MODEL.name, hubUrl: hub.url, additionalFields: ['sha'] })).sha).toBe(head);

    const ok = await uploadFile({ repo: MODEL, ...creds, parentCommit: head, file: { path: 'manifest.json', content: new Blob([manifest2 + ' ']) } });
    expect((await collect(listCommits({ repo: MODEL, hubUrl: hub.url })))[0].oid).toBe(ok!.commit.oid);
  });

  it('deletes files, and refuses to delete what is not there', async () => {
    await deleteFile({ repo: MODEL, ...creds, path: 'README.md' });
    expect(await fileExists({ repo: MODEL, path: 'README.md', hubUrl: hub.url })).toBe(false);
    expect(await fileExists({ repo: MODEL, path: 'README.md', revision: firstSha, hubUrl: hub.url })).toBe(true);
    const again = await deleteFile({ repo: MODEL, ...creds, path: 'README.md' }).catch((e) => e);
    expect(again.statusCode).toBe(404);
  });

  it('supports branches, whoami and snapshotDownload into a cache dir', async () => {
    await createBranch({ repo: MODEL, branch: 'staging', revision: firstSha, ...creds });
    const onStaging = await bytesOf(await downloadFile({ repo: MODEL, path: 'manifest.json', revision: 'staging', hubUrl: hub.url }));
    expect(onStaging.toString()).toBe(manifest1);

    expect((await whoAmI(creds)).name).toBe('local');

    const cacheDir = await mkdtemp(join(tmpdir(), 'local-hub-cache-'));
    const snapshot = await snapshotDownload({ repo: MODEL, revision: firstSha, cacheDir, hubUrl: hub.url });
    expect((await readFile(join(snapshot, 'model.onnx'))).equals(model1)).toBe(true);
    expect(await readFile(join(snapshot, 'manifest.json'), 'utf8')).toBe(manifest1);
    await removeDir(cacheDir);
  });
});

describe('pagination of tree listings', () => {
  it('follows the Link header across pages', async () => {
    const small = await startTestHub({ pageSize: 2 });
    try {
      const repo = { type: 'dataset' as const, name: 'acme/paged' };
      await createRepo({ repo, accessToken: TOKEN, hubUrl: small.url });
      await uploadFiles({
        repo,
        accessToken: TOKEN,
        hubUrl: small.url,
        files: Array.from({ length: 5 }, (_, i) => ({ path: `shards/${i}.jsonl`, content: new Blob([`{"id":"${i}"}\n`]) })),
      });
      const since = small.requests.lastSeq;
      const all = await collect(listFiles({ repo, recursive: true, hubUrl: small.url }));
      expect(all.map((f) => f.path)).toEqual(['.gitattributes', 'shards', ...Array.from({ length: 5 }, (_, i) => `shards/${i}.jsonl`)]);
      expect(small.requests.count({ since, route: 'tree' })).toBe(4);
    } finally {
      await small.close();
      await removeDir(small.dir);
    }
  });
});

describe('size threshold', () => {
  it('sends a large text file through LFS and serves it back', async () => {
    const small = await startTestHub({ lfsThreshold: 1024 });
    try {
      const repo = { type: 'dataset' as const, name: 'acme/big' };
      await createRepo({ repo, accessToken: TOKEN, hubUrl: small.url });
      const big = Buffer.from('{"id":"x","text":"hello"}\n'.repeat(200));
      await uploadFile({ repo, accessToken: TOKEN, hubUrl: small.url, file: { path: 'base/train.jsonl', content: new Blob([big]) } });
      expect(small.requests.list({ route: 'preupload' })[0].detail).toEqual({ lfs: ['base/train.jsonl'], regular: [] });
      expect(small.requests.count({ route: 'lfs-upload' })).toBe(1);
      expect((await bytesOf(await downloadFile({ repo, path: 'base/train.jsonl', hubUrl: small.url }))).equals(big)).toBe(true);
    } finally {
      await small.close();
      await removeDir(small.dir);
    }
  });
});
