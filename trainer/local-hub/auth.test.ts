/**
 * Authorisation: writes need a bearer token (only LOCAL_HUB_TOKEN's, if configured), public
 * reads need none, private repos look absent without it; and no token ever reaches the log.
 */
import { createRepo, HubApiError, listFiles, repoExists, uploadFile } from '@huggingface/hub';
import { describe, expect, it } from 'vitest';
import { removeDir, startTestHub, useTestHub } from './local-hub.test-helpers';

const SECRET = 'hf_the_only_valid_token_0123456789';
const lines: string[] = [];
const hub = useTestHub({ token: SECRET, log: (line) => lines.push(line) });

describe('with a configured token', () => {
  const repo = { type: 'model' as const, name: 'acme/guarded' };
  const file = { path: 'a.json', content: new Blob(['{}']) };

  it('refuses writes without it or with another token (401), accepts it', async () => {
    const wrong = await createRepo({ repo, accessToken: 'hf_wrong', hubUrl: hub.url }).catch((e) => e);
    expect(wrong).toBeInstanceOf(HubApiError);
    expect(wrong.statusCode).toBe(401);
    expect(wrong.message).toContain('LOCAL_HUB_TOKEN');
    const none = await createRepo({ repo, hubUrl: hub.url } as Parameters<typeof createRepo>[0]).catch((e) => e);
    expect(none.statusCode).toBe(401);
    await createRepo({ repo, accessToken: SECRET, hubUrl: hub.url });

    expect((await uploadFile({ repo, hubUrl: hub.url, file }).catch((e) => e)).statusCode).toBe(401);
    expect((await uploadFile({ repo, accessToken: 'hf_wrong', hubUrl: hub.url, file }).catch((e) => e)).statusCode).toBe(401);
    await uploadFile({ repo, accessToken: SECRET, hubUrl: hub.url, file });
  });

  it('lets anyone read a public repo', async () => {
    const files = [];
    for await (const f of listFiles({ repo, hubUrl: hub.url })) files.push(f.path);
    expect(files).toEqual(['.gitattributes', 'a.json']);
  });

  it('hides a private repo from callers without the token', async () => {
    const secret = { type: 'dataset' as const, name: 'acme/private-data' };
    await createRepo({ repo: secret, accessToken: SECRET, hubUrl: hub.url, private: true });
    expect(await repoExists({ repo: secret, hubUrl: hub.url })).toBe(false);
    expect(await repoExists({ repo: secret, hubUrl: hub.url, accessToken: 'hf_wrong' })).toBe(false);
    expect(await repoExists({ repo: secret, hubUrl: hub.url, accessToken: SECRET })).toBe(true);
    expect((await fetch(`${hub.url}/datasets/acme/private-data/resolve/main/.gitattributes`)).status).toBe(404);
  });

  it('protects the admin endpoint too', async () => {
    expect((await fetch(`${hub.url}/_admin/faults`)).status).toBe(401);
    expect((await fetch(`${hub.url}/_admin/faults`, { headers: { Authorization: `Bearer ${SECRET}` } })).status).toBe(200);
  });

  it('never logs a token or an LFS URL signature', async () => {
    await uploadFile({ repo, accessToken: SECRET, hubUrl: hub.url, file: { path: 'm.onnx', content: new Blob([new Uint8Array(1000).fill(7)]) } });
    expect(lines.find((l) => l.startsWith('PUT /_lfs/'))).toMatch(/^PUT \/_lfs\/models\/acme\/guarded\/[0-9a-f]{64} 200$/);
    expect(lines.join('\n')).not.toMatch(/hf_|sig=/);
    expect(JSON.stringify(hub.requests.list())).not.toMatch(/hf_|sig=/);
  });
});

describe('without a configured token', () => {
  it('accepts any bearer token but still requires one for writes', async () => {
    const open = await startTestHub({ token: undefined });
    try {
      const repo = { type: 'model' as const, name: 'acme/open' };
      expect((await createRepo({ repo, hubUrl: open.url } as Parameters<typeof createRepo>[0]).catch((e) => e)).statusCode).toBe(401);
      await createRepo({ repo, accessToken: 'hf_anything', hubUrl: open.url });
      await uploadFile({ repo, accessToken: 'hf_something_else', hubUrl: open.url, file: { path: 'x.txt', content: new Blob(['x']) } });
    } finally {
      await open.close();
      await removeDir(open.dir);
    }
  });
});
