/**
 * The Hub model provider when things go wrong: versions that must not serve, an unreachable or
 * failing Hub, backoff. Against the local hub through the real @huggingface/hub client.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it, vi } from 'vitest';
import { featurizerSpec } from '../../shared/featurizer/index';
import { useTestHub } from '../../trainer/local-hub/local-hub.test-helpers';
import { bundledModel, hubProvider, publishVersion, requestsSince, sha256, tinyModel, type Published, modelDownloads } from './hub.test-helpers';

// Each test publishes the 8.4 MB model and creates ORT sessions: seconds on a busy 2-CPU machine.
vi.setConfig({ testTimeout: 60_000, hookTimeout: 30_000 });

const hub = useTestHub();
let repoCount = 0;
const newRepo = () => `acme/sentiment-${++repoCount}`;

describe('versions that must not serve', () => {
  const original = () => bundledModel().bytes;
  const cases: Array<{ name: string; publish: (repo: string) => Promise<Published>; error: RegExp; downloadsModel: boolean }> = [
    {
      name: 'corrupted model.onnx bytes (manifest of the intact file)',
      publish: (repo) =>
        publishVersion(hub, repo, {
          tamper: ({ model, manifest }) => {
            const corrupted = model.slice();
            for (let i = 1000; i < 2000; i++) corrupted[i] ^= 0xff;
            return { model: corrupted, manifest };
          },
        }),
      error: /sha256 [0-9a-f]{64}, the manifest says/,
      downloadsModel: false,
    },
    {
      name: 'a manifest with the wrong sha256',
      publish: (repo) => publishVersion(hub, repo, { tamper: ({ model, manifest }) => ({ model, manifest: { ...manifest, sha256: sha256(new Uint8Array([1])) } }) }),
      error: /the manifest says 4bf5122f/,
      downloadsModel: false,
    },
    {
      name: 'bytes that are not an ONNX model (consistent manifest)',
      publish: (repo) =>
        publishVersion(hub, repo, {
          tamper: ({ model, manifest }) => {
            const truncated = model.slice(0, 4096);
            return { model: truncated, manifest: { ...manifest, sha256: sha256(truncated), size_bytes: truncated.length } };
          },
        }),
      error: /not a valid ONNX model/,
      downloadsModel: true,
    },
    {
      name: 'a model with an unknown featurizer version',
      publish: (repo) => {
        const tiny = tinyModel({ featurizer: { ...featurizerSpec(), version: 99 as 1 }, version: 'v2' });
        return publishVersion(hub, repo, { ...tiny, restamp: false });
      },
      error: /unsupported featurizer .*"version":99.*implements tweet-hash v1, v2/,
      downloadsModel: true,
    },
    {
      name: 'a model whose manifest names another version',
      publish: (repo) => publishVersion(hub, repo, { ...tinyModel({ version: 'v7' }), restamp: false }),
      error: /model says version v7, manifest says v2/,
      downloadsModel: true,
    },
    {
      name: 'a model that fails the smoke test (NaN weights)',
      publish: (repo) => publishVersion(hub, repo, { bytes: tinyModel({ bias: [Number.NaN, 0, 0] }).bytes, manifest: tinyModel().manifest }),
      error: /smoke test: text 0 got probabilities \[NaN, NaN, NaN\]/,
      downloadsModel: true,
    },
  ];

  it.each(cases)('$name: stays on v1, says why, and keeps checking every interval without backoff', async ({ publish, error, downloadsModel }) => {
    const repo = newRepo();
    await publishVersion(hub, repo);
    // A long backoff cap: were a rejection counted as a failure, the waits would grow past the interval.
    const provider = hubProvider(hub, repo, { checkIntervalMs: 10, maxBackoffMs: 60_000 });
    const v1 = await provider.current();
    const bad = await publish(repo);

    await sleep(15);
    let since = hub.requests.lastSeq;
    await provider.maybeCheck();
    expect(await provider.current()).toBe(v1);
    expect(modelDownloads(hub, since)).toHaveLength(downloadsModel ? 1 : 0);
    const status = provider.status();
    expect(status).toMatchObject({ state: 'ready', version: 'v1', error: expect.stringMatching(error) });
    expect(status.hub).toMatchObject({
      sha: expect.not.stringMatching(bad.sha),
      last_error: expect.stringMatching(error),
      consecutive_failures: 0,
      rejected: { version: 'v2', sha: bad.sha, reason: expect.stringMatching(error) },
    });
    expect(provider.msUntilNextCheck()).toBeLessThanOrEqual(10);

    // Skipped, not downloaded again, while the manifest stays the same: one request per check, no backoff.
    for (let i = 0; i < 3; i++) {
      await sleep(15);
      since = hub.requests.lastSeq;
      await provider.maybeCheck();
      expect(requestsSince(hub, since)).toHaveLength(1);
      expect(provider.status().hub).toMatchObject({ consecutive_failures: 0, rejected: { sha: bad.sha } });
      expect(provider.msUntilNextCheck()).toBeLessThanOrEqual(10);
    }

    // The next good version is taken at the next check, one interval later; the rejection is cleared.
    await publishVersion(hub, repo, { bytes: original() });
    await sleep(15);
    await provider.maybeCheck();
    expect((await provider.current()).manifest.version).toBe('v3');
    expect(provider.status()).toMatchObject({ error: null, hub: { last_error: null, consecutive_failures: 0, rejected: null } });
    await provider.close();
  });

  it('serves the bundled model when the only published version is refused at cold start', async () => {
    const repo = newRepo();
    await publishVersion(hub, repo, { bytes: tinyModel({ bias: [Number.NaN, 0, 0] }).bytes, manifest: tinyModel().manifest });
    const provider = hubProvider(hub, repo);
    expect((await provider.current()).source).toBe('bundled');
    expect(provider.status().hub).toMatchObject({ rejected: { version: 'v1' }, last_error: expect.stringMatching(/smoke test/), consecutive_failures: 0 });
    await provider.close();
  });

  it('retries bytes corrupted in transit (not a property of the version) and then loads them', async () => {
    const repo = newRepo();
    // The bundled bytes with their own version first: the provider relabels them, no download.
    let first = await publishVersion(hub, repo);
    while (first.version !== bundledModel().manifest.version) first = await publishVersion(hub, repo);
    let corrupt = true;
    const provider = hubProvider(hub, repo, {
      fetch: async (input, init) => {
        const response = await fetch(input, init);
        const url = String(input instanceof Request ? input.url : input);
        if (!corrupt || !url.endsWith('/model.onnx') || response.status !== 200) return response;
        const bytes = new Uint8Array(await response.arrayBuffer());
        bytes[bytes.length >> 1] ^= 1;
        return new Response(bytes, { status: 200, headers: response.headers });
      },
    });
    await provider.current();
    // The bundled graph re-stamped as the next version: other bytes, so downloaded; and it passes the canaries.
    const next = await publishVersion(hub, repo);
    await sleep(15);
    await provider.maybeCheck();
    expect((await provider.current()).manifest.version).toBe(first.version);
    expect(provider.status().hub).toMatchObject({ rejected: null, last_error: expect.stringMatching(/downloaded model.onnx has sha256/) });

    corrupt = false;
    await sleep(25);
    await provider.maybeCheck();
    expect((await provider.current()).manifest.version).toBe(next.version);
    await provider.close();
  });
});

describe('failures and backoff', () => {
  it('keeps the model, records the error and backs off exponentially, then recovers', async () => {
    const repo = newRepo();
    await publishVersion(hub, repo);
    let clock = 0;
    const provider = hubProvider(hub, repo, { checkIntervalMs: 1_000, maxBackoffMs: 3_000, now: () => clock });
    const v1 = await provider.current();
    await publishVersion(hub, repo);
    hub.faults.inject({ route: 'resolve', path: 'model.onnx', status: 503 });
    try {
      const failuresAt = async (t: number) => {
        clock = t;
        await provider.maybeCheck();
        return provider.status().hub!;
      };
      expect(await failuresAt(1_000)).toMatchObject({
        consecutive_failures: 1,
        last_error: expect.stringMatching(/503|Injected fault/),
        next_check_at: new Date(2_000).toISOString(),
      });
      const since = hub.requests.lastSeq;
      expect(await failuresAt(1_999)).toMatchObject({ consecutive_failures: 1 });
      expect(requestsSince(hub, since)).toEqual([]);
      expect(await failuresAt(2_000)).toMatchObject({ consecutive_failures: 2, next_check_at: new Date(4_000).toISOString() });
      expect(await failuresAt(4_000)).toMatchObject({ consecutive_failures: 3, next_check_at: new Date(7_000).toISOString() }); // capped at 3 s
      expect(await provider.current()).toBe(v1);
      expect(provider.status()).toMatchObject({ state: 'ready', version: 'v1', error: expect.stringMatching(/503|Injected fault/) });
    } finally {
      hub.faults.clear();
    }
    clock = 7_000;
    await provider.maybeCheck();
    expect((await provider.current()).manifest.version).toBe('v2');
    expect(provider.status().hub).toMatchObject({ consecutive_failures: 0, last_error: null, next_check_at: new Date(8_000).toISOString() });
    await provider.close();
  });

  it('gives up on a Hub that does not answer after the request timeout', async () => {
    const repo = newRepo();
    await publishVersion(hub, repo);
    const provider = hubProvider(hub, repo, { requestTimeoutMs: 200 });
    const v1 = await provider.current();
    hub.faults.inject({ mode: 'delay', delayMs: 6_000, route: 'resolve', count: 1 });
    await sleep(15);
    const started = Date.now();
    await provider.maybeCheck();
    // Far below the Hub's 6 s, with room for a loaded machine.
    expect(Date.now() - started).toBeLessThan(4_000);
    expect(await provider.current()).toBe(v1);
    expect(provider.status().hub?.last_error).toMatch(/timeout|aborted/i);
    hub.faults.clear();
    await provider.close();
  });

  it('serves the bundled model when the Hub is too slow at cold start (one deadline for the whole load)', async () => {
    const repo = newRepo();
    await publishVersion(hub, repo);
    // Each request is under the per-request timeout, the whole load is not.
    hub.faults.inject({ mode: 'delay', delayMs: 250, route: 'resolve' });
    try {
      const provider = hubProvider(hub, repo, { requestTimeoutMs: 1_000, coldStartTimeoutMs: 600 });
      const started = Date.now();
      expect((await provider.current()).source).toBe('bundled');
      expect(Date.now() - started).toBeLessThan(2_000);
      expect(provider.status().hub?.last_error).toMatch(/timeout|aborted/i);
      hub.faults.clear();
      await sleep(15);
      await provider.maybeCheck(); // later checks have no such deadline (nobody waits for them)
      expect((await provider.current()).source).toMatch(/^hub:/);
      await provider.close();
    } finally {
      hub.faults.clear();
    }
  });

  it('abandons a check that never settles (workerd cancelled its request) and starts a new one', async () => {
    const repo = newRepo();
    await publishVersion(hub, repo);
    let clock = 0;
    let hang = false;
    const provider = hubProvider(hub, repo, {
      now: () => clock,
      checkIntervalMs: 10,
      abandonAfterMs: 60_000,
      // A request whose I/O context is gone: neither settles nor honours its abort signal.
      fetch: (input, init) => (hang ? new Promise<Response>(() => {}) : fetch(input, init)),
    });
    await provider.current();
    await publishVersion(hub, repo);
    hang = true;
    clock += 10;
    const lost = provider.maybeCheck(); // never settles
    clock += 30_000;
    hang = false;
    expect(provider.maybeCheck()).toBe(lost); // still within abandonAfterMs: the same check
    clock += 30_001;
    await provider.maybeCheck(); // lost check forgotten; a new one runs and loads v2
    expect((await provider.current()).manifest.version).toBe('v2');
    expect(provider.status().hub).toMatchObject({ checking: false, last_error: null });
    await provider.close();
  });

  it('spreads retries with jitter', async () => {
    const repo = newRepo();
    hub.faults.down();
    try {
      const provider = hubProvider(hub, repo, { checkIntervalMs: 10_000, maxBackoffMs: 60_000, backoffJitter: 0.5, random: () => 0, now: () => 0 });
      await provider.current();
      expect(provider.msUntilNextCheck()).toBe(5_000);
      await provider.close();
    } finally {
      hub.faults.clear();
    }
  });
});

