/**
 * The Hub model provider inside workerd: proves it needs nothing but Web APIs (@huggingface/hub's
 * fetch calls, crypto.subtle, AbortSignal.timeout/any, the Cache API) and that the Cache API
 * adapter lets a second isolate skip the download. workerd cannot reach the Node local hub, so a
 * small in-test Hub answers the requests the provider makes (resolve with Range, ETag,
 * X-Repo-Commit), and counts them.
 */
import { describe, expect, inject, it } from 'vitest';
import { negateRanges } from '../../trainer/export/negate-ranges';
import bundledManifest from '../model/manifest.json';
import bundledBytes from '../model/model.onnx';
import fixtureManifest from '../test/fixtures/test-model.manifest.json';
import fixture from '../test/fixtures/test-model.onnx';
import { ortWorkerd } from '../adapter/workerd/ort';
import { checkCanaries } from './canary-check';
import { createHubModelProvider } from './hub-model-provider';
import { sha256Hex } from './load-verified-model';
import { cacheApiModelFileCache, type CacheLike } from '../adapter/workerd/cache-api-file-cache';

const HUB = 'https://hub.test';
const REPO = 'acme/sentiment';

interface Commit {
  manifest: Uint8Array;
  model: Uint8Array;
}

/** The fixture model re-labelled: its version string is patched in place (same length, valid protobuf). */
async function fixtureVersion(version: string): Promise<Commit> {
  const model = new Uint8Array(fixture).slice();
  const from = new TextEncoder().encode(fixtureManifest.version);
  const to = new TextEncoder().encode(version);
  if (from.length !== to.length) throw new Error('versions must have the same length');
  const at = model.findIndex((_, i) => from.every((b, j) => model[i + j] === b));
  model.set(to, at);
  const manifest = { ...fixtureManifest, version, sha256: await sha256Hex(model), size_bytes: model.length };
  return { model, manifest: new TextEncoder().encode(JSON.stringify(manifest)) };
}

function fakeHub(commits: Map<string, Commit>) {
  const state = { main: '', requests: [] as string[] };
  const fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    state.requests.push(url.pathname);
    const match = /^\/([^/]+\/[^/]+)\/resolve\/([^/]+)\/(.+)$/.exec(url.pathname);
    const sha = match && match[1] === REPO ? (match[2] === 'main' ? state.main : match[2]) : '';
    const commit = commits.get(sha);
    const file = commit && (match![3] === 'model.onnx' ? commit.model : match![3] === 'manifest.json' ? commit.manifest : undefined);
    if (!file) return new Response('not found', { status: 404, headers: { 'X-Error-Code': 'EntryNotFound' } });
    const headers = new Headers({ ETag: `"${await sha256Hex(file)}"`, 'X-Repo-Commit': sha, 'Accept-Ranges': 'bytes' });
    if (new Headers(init?.headers).get('Range') === 'bytes=0-0') {
      headers.set('Content-Range', `bytes 0-0/${file.length}`);
      return new Response(file.slice(0, 1), { status: 206, headers });
    }
    return new Response(file.slice(), { status: 200, headers });
  }) as typeof globalThis.fetch;
  return { state, fetch };
}

const bundled = async () => ({ bytes: new Uint8Array(fixture), manifest: fixtureManifest });

describe('HubModelProvider in workerd', () => {
  it('loads from the Hub, shares downloads through the Cache API, and swaps versions', async () => {
    const v1 = await fixtureVersion('v111');
    const v2 = await fixtureVersion('v222');
    const [sha1, sha2] = ['1'.repeat(40), '2'.repeat(40)];
    const hub = fakeHub(new Map([[sha1, v1], [sha2, v2]]));
    hub.state.main = sha1;
    const cache = cacheApiModelFileCache(() => caches.open('hub-models-test') as Promise<CacheLike>);
    const options = { ort: ortWorkerd, bundled, repo: REPO, hubUrl: HUB, fetch: hub.fetch, cache, checkIntervalMs: 1, releaseGraceMs: 0 };

    const first = createHubModelProvider(options);
    const loaded = await first.current();
    expect(loaded.source).toBe(`hub:${REPO}@${sha1}`);
    expect(loaded.manifest.version).toBe('v111');
    expect((await loaded.model.predict(['good']))[0].label).toBeTruthy();
    expect(hub.state.requests).toHaveLength(5); // probe, manifest (2), model (2)

    hub.state.requests = [];
    const second = createHubModelProvider(options); // another isolate in the same location
    expect((await second.current()).source).toBe(`hub:${REPO}@${sha1}`);
    expect(hub.state.requests).toEqual([`/${REPO}/resolve/main/manifest.json`]);

    hub.state.main = sha2;
    await new Promise((resolve) => setTimeout(resolve, 5));
    await first.maybeCheck();
    expect((await first.current()).manifest.version).toBe('v222');
    expect(first.status()).toMatchObject({ state: 'ready', source: `hub:${REPO}@${sha2}`, error: null });
    await first.close();
    await second.close();
  });

  it('skips a rejected version without backoff and serves the next good one at the next check', async () => {
    const v1 = await fixtureVersion('v111');
    const good = await fixtureVersion('v333');
    const bad = await fixtureVersion('v222');
    const manifest = JSON.parse(new TextDecoder().decode(bad.manifest));
    bad.manifest = new TextEncoder().encode(JSON.stringify({ ...manifest, sha256: 'f'.repeat(64) })); // does not match model.onnx
    const [sha1, sha2, sha3] = ['1'.repeat(40), '2'.repeat(40), '3'.repeat(40)];
    const hub = fakeHub(new Map([[sha1, v1], [sha2, bad], [sha3, good]]));
    hub.state.main = sha1;
    const provider = createHubModelProvider({ ort: ortWorkerd, bundled, repo: REPO, hubUrl: HUB, fetch: hub.fetch, checkIntervalMs: 1, maxBackoffMs: 60_000, releaseGraceMs: 0 });
    await provider.current();
    const tick = () => new Promise((resolve) => setTimeout(resolve, 3));

    hub.state.main = sha2;
    for (let i = 0; i < 4; i++) {
      await tick();
      await provider.maybeCheck();
      expect((await provider.current()).manifest.version).toBe('v111');
      expect(provider.status().hub).toMatchObject({ consecutive_failures: 0, rejected: { version: 'v222', sha: sha2 } });
      expect(provider.msUntilNextCheck()).toBeLessThanOrEqual(1);
    }

    hub.state.main = sha3;
    await tick();
    await provider.maybeCheck();
    expect((await provider.current()).manifest.version).toBe('v333');
    expect(provider.status().hub).toMatchObject({ consecutive_failures: 0, rejected: null, last_error: null });
    await provider.close();
  });

  it('serves the bundled model when the Hub cannot be reached', async () => {
    const provider = createHubModelProvider({
      ort: ortWorkerd,
      bundled,
      repo: REPO,
      hubUrl: HUB,
      fetch: (async () => {
        throw new TypeError('Network connection lost.');
      }) as typeof fetch,
    });
    expect((await provider.current()).source).toBe('bundled');
    expect(provider.status().hub?.last_error).toMatch(/Network connection lost/);
    await provider.close();
  });

  it('refuses a model with negated weights (valid graph, manifest and sha256) and says why', async () => {
    const model = new Uint8Array(bundledBytes);
    const inverted = negateRanges(model, inject('weightRanges'));
    const commit = async (bytes: Uint8Array): Promise<Commit> => ({
      model: bytes,
      manifest: new TextEncoder().encode(JSON.stringify({ ...bundledManifest, sha256: await sha256Hex(bytes), size_bytes: bytes.length })),
    });
    const [sha1, sha2] = ['1'.repeat(40), '2'.repeat(40)];
    const hub = fakeHub(new Map([[sha1, await commit(model)], [sha2, await commit(inverted)]]));
    hub.state.main = sha1;
    const provider = createHubModelProvider({ ort: ortWorkerd, bundled, repo: REPO, hubUrl: HUB, fetch: hub.fetch, checkIntervalMs: 1 });
    const served = await provider.current();
    expect(served.source).toBe(`hub:${REPO}@${sha1}`);

    hub.state.main = sha2;
    await new Promise((resolve) => setTimeout(resolve, 5));
    await provider.maybeCheck();
    expect(await provider.current()).toBe(served);
    expect(provider.status().hub).toMatchObject({
      sha: sha1,
      rejected: { sha: sha2, reason: expect.stringMatching(/behavioural canaries: (79|80) of 80 clear-polarity texts scored the wrong way round/) },
    });
    expect((await served.model.predict(['I love this so much, wonderful day']))[0].label).toBe('positive');

    // The check's cost inside workerd (clocks advance in tests): best of three on a shared machine.
    const times: number[] = [];
    for (let run = 0; run < 3; run++) {
      const started = performance.now();
      await checkCanaries(served.model);
      times.push(performance.now() - started);
    }
    expect(Math.min(...times)).toBeLessThan(50);
    await provider.close();
  });

  it('round-trips bytes through caches.default', async () => {
    const cache = cacheApiModelFileCache((caches as unknown as { default: CacheLike }).default);
    await cache.put('h/acme/x@abc/model.onnx', new Uint8Array([7, 8, 9]));
    expect(Array.from((await cache.get('h/acme/x@abc/model.onnx')) ?? [])).toEqual([7, 8, 9]);
    await cache.delete('h/acme/x@abc/model.onnx');
    expect(await cache.get('h/acme/x@abc/model.onnx')).toBeNull();
  });
});
