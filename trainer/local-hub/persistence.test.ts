/**
 * Durability and atomicity: a restart over the same directory keeps every repo, commit and
 * object; a commit with one bad operation lands nothing; concurrent commits serialise, and
 * parentCommit lets exactly one of two racing writers win.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createRepo, downloadFile, HubApiError, listCommits, listFiles, modelInfo, uploadFile, uploadFiles } from '@huggingface/hub';
import { afterAll, describe, expect, it } from 'vitest';
import { bytesOf, removeDir, startTestHub, tempDir, TOKEN, useTestHub } from './local-hub.test-helpers';

const REPO = { type: 'model' as const, name: 'acme/durable' };
const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await removeDir(d);
});

const collect = async <T>(it: AsyncIterable<T>): Promise<T[]> => {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
};

describe('persistence', () => {
  it('keeps repos, commits and LFS objects across a restart', async () => {
    const dir = await tempDir();
    dirs.push(dir);
    const model = randomBytes(128 * 1024);
    let hub = await startTestHub({ dir });
    const creds = () => ({ accessToken: TOKEN, hubUrl: hub.url });
    await createRepo({ repo: REPO, ...creds() });
    await createRepo({ repo: { type: 'dataset', name: 'acme/durable-data' }, ...creds() });
    const first = await uploadFiles({
      repo: REPO,
      ...creds(),
      files: [
        { path: 'model.onnx', content: new Blob([model]) },
        { path: 'manifest.json', content: new Blob(['{"version":"v1"}']) },
      ],
    });
    await uploadFile({ repo: REPO, ...creds(), file: { path: 'manifest.json', content: new Blob(['{"version":"v2"}']) } });
    const commitsBefore = await collect(listCommits({ repo: REPO, hubUrl: hub.url }));
    await hub.close();

    // Leftovers of a crash in the scratch area are cleaned at start.
    await mkdir(join(dir, 'tmp'), { recursive: true });
    await writeFile(join(dir, 'tmp', 'half-written'), 'x');

    hub = await startTestHub({ dir });
    try {
      expect(await readdir(join(dir, 'tmp'))).toEqual([]);
      expect(await collect(listCommits({ repo: REPO, hubUrl: hub.url }))).toEqual(commitsBefore);
      expect((await modelInfo({ name: REPO.name, hubUrl: hub.url, additionalFields: ['sha'] })).sha).toBe(commitsBefore[0].oid);
      const old = await bytesOf(await downloadFile({ repo: REPO, path: 'manifest.json', revision: first!.commit.oid, hubUrl: hub.url }));
      expect(old.toString()).toBe('{"version":"v1"}');
      expect((await bytesOf(await downloadFile({ repo: REPO, path: 'model.onnx', hubUrl: hub.url }))).equals(model)).toBe(true);
      expect((await collect(listFiles({ repo: { type: 'dataset', name: 'acme/durable-data' }, hubUrl: hub.url }))).length).toBe(1);

      // History continues from the old head; the stored LFS object is still known ("already present").
      const since = hub.requests.lastSeq;
      const next = await uploadFile({ repo: REPO, ...creds(), parentCommit: commitsBefore[0].oid, file: { path: 'model.onnx', content: new Blob([model]) } });
      expect(hub.requests.count({ since, route: 'lfs-upload' })).toBe(0);
      const after = await collect(listCommits({ repo: REPO, hubUrl: hub.url }));
      expect(after[0].oid).toBe(next!.commit.oid);
      expect(after.slice(1)).toEqual(commitsBefore);
    } finally {
      await hub.close();
    }
  });
});

describe('atomic commits', () => {
  const hub = useTestHub();
  const ndjson = (...lines: object[]) => lines.map((l) => JSON.stringify(l)).join('\n');

  it('lands nothing when one operation of a commit is invalid', async () => {
    await createRepo({ repo: REPO, accessToken: TOKEN, hubUrl: hub.url });
    const head = (await modelInfo({ name: REPO.name, hubUrl: hub.url, additionalFields: ['sha'] })).sha;
    const post = (body: string) =>
      fetch(`${hub.url}/api/models/${REPO.name}/commit/main`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/x-ndjson' },
        body,
      });
    const header = { key: 'header', value: { summary: 'broken' } };
    const good = { key: 'file', value: { path: 'a.txt', content: Buffer.from('hello').toString('base64'), encoding: 'base64' } };

    // An LFS file that was never uploaded.
    const missingLfs = { key: 'lfsFile', value: { path: 'model.onnx', algo: 'sha256', oid: createHash('sha256').update('nope').digest('hex'), size: 4 } };
    let res = await post(ndjson(header, good, missingLfs));
    expect(res.status).toBe(400);
    expect((await res.json()).error).toMatch(/was never uploaded: send it through the LFS batch API/);

    // Deleting a file that does not exist.
    res = await post(ndjson(header, good, { key: 'deletedFile', value: { path: 'ghost.txt' } }));
    expect(res.status).toBe(404);
    expect(res.headers.get('x-error-code')).toBe('EntryNotFound');

    // A binary file sent inline instead of through LFS, as the Hub refuses it.
    res = await post(ndjson(header, good, { key: 'file', value: { path: 'b.bin', content: Buffer.from([0, 1, 2, 255]).toString('base64'), encoding: 'base64' } }));
    expect(res.status).toBe(400);

    // Paths that escape or clash.
    for (const path of ['../x', '/abs', 'a/../b', '.git/config', 'a.txt/inner']) {
      res = await post(ndjson(header, good, { key: 'file', value: { path, content: 'eA==', encoding: 'base64' } }));
      expect(res.status, path).toBe(400);
    }
    // A header that is not first.
    res = await post(ndjson(good, header));
    expect(res.status).toBe(400);

    expect((await modelInfo({ name: REPO.name, hubUrl: hub.url, additionalFields: ['sha'] })).sha).toBe(head);
    expect((await collect(listFiles({ repo: REPO, hubUrl: hub.url }))).map((f) => f.path)).toEqual(['.gitattributes']);
    expect(hub.requests.count({ route: 'commit' })).toBe(9);
  });

  it('rejects LFS uploads whose bytes or signature do not match', async () => {
    const repo = { type: 'model' as const, name: 'acme/lfs-checks' };
    await createRepo({ repo, accessToken: TOKEN, hubUrl: hub.url });
    const bytes = randomBytes(2048);
    const oid = createHash('sha256').update(bytes).digest('hex');
    const batch = await fetch(`${hub.url}/${repo.name}.git/info/lfs/objects/batch`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/vnd.git-lfs+json', Accept: 'application/vnd.git-lfs+json' },
      body: JSON.stringify({ operation: 'upload', transfers: ['basic'], objects: [{ oid, size: bytes.length }] }),
    });
    expect(batch.headers.get('content-type')).toContain('application/vnd.git-lfs+json');
    const { transfer, objects } = await batch.json();
    expect(transfer).toBe('basic');
    const href: string = objects[0].actions.upload.href;

    const tampered = Buffer.from(bytes);
    tampered[0] ^= 1;
    expect((await fetch(href, { method: 'PUT', body: tampered })).status).toBe(400);
    expect((await fetch(href, { method: 'PUT', body: bytes.subarray(1) })).status).toBe(400);
    expect((await fetch(href.replace(/sig=[0-9a-f]+/, 'sig=' + '0'.repeat(64)), { method: 'PUT', body: bytes })).status).toBe(403);
    expect((await fetch(href, { method: 'PUT', body: bytes })).status).toBe(200);

    // Now present: the batch API says so (no actions), so the client skips the upload.
    const again = await fetch(`${hub.url}/${repo.name}.git/info/lfs/objects/batch`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/vnd.git-lfs+json' },
      body: JSON.stringify({ operation: 'upload', objects: [{ oid, size: bytes.length }] }),
    }).then((r) => r.json());
    expect(again.objects).toEqual([{ oid, size: bytes.length }]);
  });
});

describe('concurrent writers', () => {
  const hub = useTestHub();
  it('serialises commits, and parentCommit lets only one of two racing writers win', async () => {
    const creds = { accessToken: TOKEN, hubUrl: hub.url };
    await createRepo({ repo: { type: 'dataset', name: 'acme/race' }, ...creds });
    const repo = { type: 'dataset' as const, name: 'acme/race' };
    await Promise.all(
      Array.from({ length: 10 }, (_, i) => uploadFile({ repo, ...creds, file: { path: `feedback/${i}.jsonl`, content: new Blob([`{"id":${i}}\n`]) } })),
    );
    expect((await collect(listCommits({ repo, hubUrl: hub.url }))).length).toBe(11);
    expect((await collect(listFiles({ repo, recursive: true, hubUrl: hub.url }))).filter((f) => f.path.startsWith('feedback/'))).toHaveLength(10);

    const head = (await collect(listCommits({ repo, hubUrl: hub.url })))[0].oid;
    const results = await Promise.allSettled(
      ['a', 'b'].map((x) => uploadFile({ repo, ...creds, parentCommit: head, file: { path: `${x}.jsonl`, content: new Blob(['{}\n']) } })),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const loser = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(loser.reason).toBeInstanceOf(HubApiError);
    expect(loser.reason.statusCode).toBe(412);
  });
});
