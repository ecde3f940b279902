/**
 * Fault injection, in-process and over the admin HTTP API, with the real client: failures surface
 * as the client's own errors, and clearing them heals. Plus what the request log records.
 */
import { randomBytes } from 'node:crypto';
import { createRepo, downloadFile, fileDownloadInfo, HubApiError, modelInfo, uploadFile, uploadFiles } from '@huggingface/hub';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { bytesOf, TOKEN, useTestHub } from './local-hub.test-helpers';

const REPO = { type: 'model' as const, name: 'acme/faulty' };
const hub = useTestHub();
const creds = () => ({ accessToken: TOKEN, hubUrl: hub.url });
const headSha = async () => (await modelInfo({ name: REPO.name, hubUrl: hub.url, additionalFields: ['sha'] })).sha;
const admin = (init?: RequestInit) =>
  fetch(`${hub.url}/_admin/faults`, { ...init, headers: { Authorization: `Bearer ${TOKEN}` } }).then(async (r) => ({ status: r.status, body: await r.json() }));

beforeAll(async () => {
  await createRepo({ repo: REPO, ...creds() });
  await uploadFile({ repo: REPO, ...creds(), file: { path: 'manifest.json', content: new Blob(['{"version":"v1"}']) } });
});

afterEach(() => hub.faults.clear());

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
    expect((await admin({ method: 'POST', body: JSON.stringify({ mode: 'down' }) })).body.faults).toHaveLength(1);
    for (let i = 0; i < 3; i++) {
      const err = await modelInfo({ name: REPO.name, hubUrl: hub.url }).catch((e) => e);
      expect(err).toBeInstanceOf(TypeError); // undici: "fetch failed" (socket closed)
    }
    expect((await admin()).body.faults).toHaveLength(1);
    await admin({ method: 'DELETE' });
    expect(await headSha()).toMatch(/^[0-9a-f]{40}$/);
    expect(hub.requests.list({ route: 'repo-info' }).slice(-4).map((e) => [e.status, e.fault ?? null])).toEqual([
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
    const ops = { repo: REPO, ...creds(), files: [{ path: 'model.onnx', content: new Blob([model]) }] };
    expect((await uploadFiles(ops).catch((e) => e)).statusCode).toBe(503);
    expect(await headSha()).toBe(before);

    const since = hub.requests.lastSeq;
    const out = await uploadFiles(ops);
    expect(hub.requests.list({ since }).map((e) => e.route)).toEqual(['preupload', 'lfs-batch', 'commit']);
    expect((await bytesOf(await downloadFile({ repo: REPO, path: 'model.onnx', revision: out!.commit.oid, hubUrl: hub.url }))).equals(model)).toBe(true);
  });

  it('a dropped LFS upload fails the whole commit', async () => {
    const before = await headSha();
    hub.faults.inject({ route: 'lfs-upload', mode: 'drop', count: 1 });
    const since = hub.requests.lastSeq;
    const err = await uploadFile({ repo: REPO, ...creds(), file: { path: 'other.onnx', content: new Blob([randomBytes(1000)]) } }).catch((e) => e);
    expect(err).toBeInstanceOf(Error);
    expect(await headSha()).toBe(before);
    expect(hub.requests.count({ route: 'lfs-upload', since })).toBe(1);
  });

  it('delays answers, so client timeouts can be tested', async () => {
    hub.faults.inject({ mode: 'delay', delayMs: 400, route: 'repo-info', count: 1 });
    const timeoutFetch: typeof fetch = (input, init) => fetch(input, { ...init, signal: AbortSignal.timeout(50) });
    const err = await modelInfo({ name: REPO.name, hubUrl: hub.url, fetch: timeoutFetch }).catch((e) => e);
    expect(err.name).toBe('TimeoutError');
  });

  it('validates admin fault rules', async () => {
    const res = await admin({ method: 'POST', body: JSON.stringify({ mode: 'explode' }) });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatch(/Invalid request body/);
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
});
