/**
 * Fault injection and the request log, driven both in-process and over the admin HTTP API,
 * with the real client: failures surface as the client's own errors, and clearing them heals.
 */
import { randomBytes } from 'node:crypto';
import { createRepo, downloadFile, fileDownloadInfo, HubApiError, listCommits, modelInfo, uploadFile, uploadFiles } from '@huggingface/hub';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { LocalHub } from './server';
import { bytesOf, removeDir, startTestHub, TOKEN } from './test-helpers';

const REPO = { type: 'model' as const, name: 'acme/faulty' };
let hub: LocalHub;
let creds: { accessToken: string; hubUrl: string };

const headSha = async () => (await modelInfo({ name: REPO.name, hubUrl: hub.url, additionalFields: ['sha'] })).sha;
const admin = (path: string, init?: RequestInit) => fetch(`${hub.url}/_admin/${path}`, init).then((r) => r.json());

beforeAll(async () => {
  hub = await startTestHub();
  creds = { accessToken: TOKEN, hubUrl: hub.url };
  await createRepo({ repo: REPO, ...creds });
  await uploadFile({ repo: REPO, ...creds, file: { path: 'manifest.json', content: new Blob(['{"version":"v1"}']) } });
});

afterEach(() => hub.faults.clear());

afterAll(async () => {
  await hub.close();
  await removeDir(hub.dir);
});

describe('fault injection', () => {
  it('makes the next N requests answer 500, then recovers', async () => {
    hub.faults.failNext(2);
    for (let i = 0; i < 2; i++) {
      const err = await modelInfo({ name: REPO.name, hubUrl: hub.url }).catch((e) => e);
      expect(err).toBeInstanceOf(HubApiError);
      expect(err.statusCode).toBe(500);
      expect(err.message).toContain('Injected fault');
    }
    expect(await headSha()).toMatch(/^[0-9a-f]{40}$/);
    expect(hub.requests.list({ route: 'repo-info' }).slice(-3).map((e) => [e.status, e.fault])).toEqual([
      [500, 'status'],
      [500, 'status'],
      [200, undefined],
    ]);
  });

  it('drops connections while "down", until cleared over the admin API', async () => {
    await admin('faults', { method: 'POST', body: JSON.stringify({ mode: 'down' }) });
    for (let i = 0; i < 3; i++) {
      const err = await modelInfo({ name: REPO.name, hubUrl: hub.url }).catch((e) => e);
      expect(err).toBeInstanceOf(TypeError); // undici: "fetch failed" (socket closed)
    }
    expect((await admin('faults')).faults).toHaveLength(1);
    await admin('faults', { method: 'DELETE' });
    expect(await headSha()).toMatch(/^[0-9a-f]{40}$/);
    const { requests } = await admin('requests?route=repo-info');
    expect(requests.slice(-4).map((e: { status: number; fault?: string }) => [e.status, e.fault ?? null])).toEqual([
      [0, 'drop'],
      [0, 'drop'],
      [0, 'drop'],
      [200, null],
    ]);
  });

  it('targets one route: a failed commit leaves the branch untouched, and the retry skips the stored LFS object', async () => {
    const before = await headSha();
    hub.faults.inject({ route: 'commit', status: 503, count: 1 });
    const model = randomBytes(64 * 1024);
    const ops = { repo: REPO, ...creds, files: [{ path: 'model.onnx', content: new Blob([model]) }] };
    const err = await uploadFiles(ops).catch((e) => e);
    expect(err.statusCode).toBe(503);
    expect(await headSha()).toBe(before);

    const since = hub.requests.lastSeq;
    const out = await uploadFiles(ops);
    expect(hub.requests.list({ since }).map((e) => e.route)).toEqual(['preupload', 'lfs-batch', 'commit']);
    expect((await bytesOf(await downloadFile({ repo: REPO, path: 'model.onnx', revision: out!.commit.oid, hubUrl: hub.url }))).equals(model)).toBe(true);
  });

  it('a dropped LFS upload fails the whole commit', async () => {
    const before = await headSha();
    hub.faults.inject({ route: 'lfs-upload', mode: 'drop', count: 1 });
    const err = await uploadFile({ repo: REPO, ...creds, file: { path: 'other.onnx', content: new Blob([randomBytes(1000)]) } }).catch((e) => e);
    expect(err).toBeInstanceOf(Error);
    expect(await headSha()).toBe(before);
    expect(hub.requests.count({ route: 'lfs-upload', since: hub.requests.lastSeq - 3 })).toBe(1);
  });

  it('delays answers, so client timeouts can be tested', async () => {
    hub.faults.inject({ mode: 'delay', delayMs: 400, route: 'repo-info', count: 1 });
    const timeoutFetch: typeof fetch = (input, init) => fetch(input, { ...init, signal: AbortSignal.timeout(50) });
    const err = await modelInfo({ name: REPO.name, hubUrl: hub.url, fetch: timeoutFetch }).catch((e) => e);
    expect(err.name).toBe('TimeoutError');
  });

  it('validates admin fault rules', async () => {
    const res = await fetch(`${hub.url}/_admin/faults`, { method: 'POST', body: JSON.stringify({ mode: 'explode' }) });
    expect(res.status).toBe(400);
  });
});

describe('request log', () => {
  it('counts what a client call costs: a version check is one small request', async () => {
    const since = hub.requests.lastSeq;
    const info = await fileDownloadInfo({ repo: REPO, path: 'manifest.json', hubUrl: hub.url });
    expect(info?.etag).toMatch(/^"[0-9a-f]{40}"$/);
    const log = hub.requests.list({ since });
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({ method: 'GET', route: 'resolve', status: 206, responseBytes: 1 });
  });

  it('serves the log over HTTP, filtered, and can be cleared', async () => {
    await Promise.all([headSha(), headSha()]);
    const listed = await admin(`requests?route=repo-info&since=${hub.requests.lastSeq - 2}`);
    expect(listed.count).toBe(2);
    await admin('requests', { method: 'DELETE' });
    expect(hub.requests.count()).toBe(0);
    for await (const _ of listCommits({ repo: REPO, hubUrl: hub.url })) void _;
    expect(hub.requests.list().map((e) => e.route)).toEqual(['commits']);
  });
});
