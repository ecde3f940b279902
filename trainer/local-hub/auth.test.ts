/**
 * Authorisation: writes need a bearer token (only LOCAL_HUB_TOKEN's, if configured), public
 * reads need none, private repos look absent without it; and no token ever reaches the log.
 */
import { createRepo, HubApiError, listFiles, modelInfo, repoExists, uploadFile } from '@huggingface/hub';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatLogLine } from './log-format';
import type { LocalHub } from './server';
import { removeDir, startTestHub } from './test-helpers';

const SECRET = 'hf_the_only_valid_token_0123456789';
const lines: string[] = [];
let hub: LocalHub;

beforeAll(async () => {
  hub = await startTestHub({ token: SECRET, onRequest: (e) => lines.push(formatLogLine(e)) });
});
afterAll(async () => {
  await hub.close();
  await removeDir(hub.dir);
});

describe('with a configured token', () => {
  const repo = { type: 'model' as const, name: 'acme/guarded' };

  it('refuses writes without it or with another token (401), accepts it', async () => {
    const wrong = await createRepo({ repo, accessToken: 'hf_wrong', hubUrl: hub.url }).catch((e) => e);
    expect(wrong).toBeInstanceOf(HubApiError);
    expect(wrong.statusCode).toBe(401);
    const none = await createRepo({ repo, hubUrl: hub.url } as Parameters<typeof createRepo>[0]).catch((e) => e);
    expect(none.statusCode).toBe(401);
    await createRepo({ repo, accessToken: SECRET, hubUrl: hub.url });

    const anonymous = await uploadFile({ repo, hubUrl: hub.url, file: { path: 'a.json', content: new Blob(['{}']) } }).catch((e) => e);
    expect(anonymous.statusCode).toBe(401);
    const bad = await uploadFile({ repo, accessToken: 'hf_wrong', hubUrl: hub.url, file: { path: 'a.json', content: new Blob(['{}']) } }).catch((e) => e);
    expect(bad.statusCode).toBe(401);
    await uploadFile({ repo, accessToken: SECRET, hubUrl: hub.url, file: { path: 'a.json', content: new Blob(['{}']) } });
  });

  it('lets anyone read a public repo', async () => {
    const files = [];
    for await (const f of listFiles({ repo, hubUrl: hub.url })) files.push(f.path);
    expect(files).toEqual(['.gitattributes', 'a.json']);
  });

  it('hides a private repo from callers without the token', async () => {
    const secret = { type: 'dataset' as const, name: 'acme/private-data' };
    await createRepo({ repo: secret, accessToken: SECRET, hubUrl: hub.url, visibility: 'private' });
    expect(await repoExists({ repo: secret, hubUrl: hub.url })).toBe(false);
    expect(await repoExists({ repo: secret, hubUrl: hub.url, accessToken: 'hf_wrong' })).toBe(false);
    expect(await repoExists({ repo: secret, hubUrl: hub.url, accessToken: SECRET })).toBe(true);
    const info = await modelInfo({ name: repo.name, hubUrl: hub.url, accessToken: SECRET });
    expect(info.private).toBe(false);
  });

  it('protects the admin endpoints too', async () => {
    expect((await fetch(`${hub.url}/_admin/requests`)).status).toBe(401);
    expect((await fetch(`${hub.url}/_admin/requests`, { headers: { Authorization: `Bearer ${SECRET}` } })).status).toBe(200);
  });

  it('never logs a token, and redacts LFS URL signatures', async () => {
    await uploadFile({ repo, accessToken: SECRET, hubUrl: hub.url, file: { path: 'm.onnx', content: new Blob([new Uint8Array(1000).fill(7)]) } });
    const upload = lines.find((l) => l.includes(' PUT /_lfs/'));
    expect(upload).toMatch(/sig=\*\*\*/);
    expect(lines.join('\n')).not.toContain(SECRET);
    expect(lines.join('\n')).not.toContain('hf_wrong');
    expect(JSON.stringify(hub.requests.list())).not.toContain(SECRET);
  });
});

describe('without a configured token', () => {
  it('accepts any bearer token but still requires one for writes', async () => {
    const open = await startTestHub();
    try {
      const repo = { type: 'model' as const, name: 'acme/open' };
      const none = await createRepo({ repo, hubUrl: open.url } as Parameters<typeof createRepo>[0]).catch((e) => e);
      expect(none.statusCode).toBe(401);
      await createRepo({ repo, accessToken: 'hf_anything', hubUrl: open.url });
      await uploadFile({ repo, accessToken: 'hf_something_else', hubUrl: open.url, file: { path: 'x.txt', content: new Blob(['x']) } });
    } finally {
      await open.close();
      await removeDir(open.dir);
    }
  });
});
