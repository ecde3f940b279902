/**
 * The Hub model provider against the local hub, through the real @huggingface/hub client, with
 * versions published by the trainer's own publish code (worker/model re-stamped v1, v2, …).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it, vi } from 'vitest';
import { useTestHub } from '../../trainer/local-hub/local-hub.test-helpers';
import { bundledModel, hubProvider, publishVersion, requestsSince, modelDownloads } from './hub.test-helpers';
import { startModelCheckTimer } from './check-timer';
import { memoryModelFileCache } from './model-file-cache';

// Each test publishes the 8.4 MB model and creates ORT sessions: seconds on a busy 2-CPU machine.
vi.setConfig({ testTimeout: 60_000, hookTimeout: 30_000 });

const hub = useTestHub();
let repoCount = 0;
const newRepo = () => `acme/sentiment-${++repoCount}`;

const TEXTS = ['I love this!', 'This is awful.', 'meh', 'not good at all', ''];


describe('where the model comes from', () => {
  it('serves the latest published version from the Hub, then the next one after a check', async () => {
    const repo = newRepo();
    const v1 = await publishVersion(hub, repo);
    const provider = hubProvider(hub, repo);
    const first = await provider.current();
    expect(first.manifest.version).toBe('v1');
    expect(first.source).toBe(`hub:${repo}@${v1.sha}`);
    expect(provider.status()).toMatchObject({ state: 'ready', version: 'v1', source: `hub:${repo}@${v1.sha}`, error: null });
    expect(provider.status().hub).toMatchObject({ repo, sha: v1.sha, pinned_revision: null, last_error: null, consecutive_failures: 0 });

    const v2 = await publishVersion(hub, repo);
    await sleep(15);
    await provider.maybeCheck();
    const second = await provider.current();
    expect(second.manifest.version).toBe('v2');
    expect(second.model.version).toBe('v2');
    expect(second.source).toBe(`hub:${repo}@${v2.sha}`);
    expect(second.manifest.sha256).toBe(v2.manifest.sha256);
    await provider.close();
  });

  it('keeps requests on the model they started with while swapping under load: zero errors', async () => {
    const repo = newRepo();
    await publishVersion(hub, repo);
    const provider = hubProvider(hub, repo, { releaseGraceMs: 300 });
    const v1Model = (await provider.current()).model;
    const release = vi.spyOn(v1Model, 'release');

    let stop = false;
    const errors: unknown[] = [];
    const served = new Map<string, number>();
    const client = async () => {
      while (!stop) {
        await provider
          .current()
          .then((m) => m.model.predict(TEXTS))
          .then(
            (predictions) => {
              if (predictions.length !== TEXTS.length) throw new Error(`got ${predictions.length} predictions`);
              for (const p of predictions) if (!Number.isFinite(p.confidence)) throw new Error('non-finite confidence');
            },
            (error) => errors.push(error),
          );
        await provider.current().then((m) => served.set(m.model.version, (served.get(m.model.version) ?? 0) + 1));
        await new Promise((resolve) => setImmediate(resolve));
      }
    };
    const clients = Array.from({ length: 16 }, client);

    await publishVersion(hub, repo);
    while ((await provider.current()).manifest.version !== 'v2') {
      await provider.maybeCheck();
      await sleep(20);
    }
    expect(release).not.toHaveBeenCalled(); // grace period
    const swappedAt = Date.now();
    while (Date.now() - swappedAt < 500) {
      await provider.maybeCheck(); // also releases the replaced session once its grace is over
      await sleep(20);
    }
    stop = true;
    await Promise.all(clients);

    expect(errors).toEqual([]);
    expect(served.get('v1')).toBeGreaterThan(0);
    expect(served.get('v2')).toBeGreaterThan(0);
    expect(release).toHaveBeenCalledTimes(1);
    await provider.close();
  });

  it('serves the bundled model when no repo is configured, and never calls the Hub', async () => {
    const since = hub.requests.lastSeq;
    const provider = hubProvider(hub, undefined);
    expect(provider.status()).toMatchObject({ state: 'idle', source: 'bundled' });
    const loaded = await provider.current();
    expect(loaded.source).toBe('bundled');
    expect(loaded.manifest.sha256).toBe(bundledModel().manifest.sha256);
    await provider.maybeCheck();
    await provider.checkNow();
    expect(provider.status().hub).toBeUndefined();
    expect(provider.msUntilNextCheck()).toBeNull();
    expect(requestsSince(hub, since)).toEqual([]);
    await provider.close();
  });

  it('serves the bundled model while the Hub is down at cold start, then the latest once it is back', async () => {
    const repo = newRepo();
    await publishVersion(hub, repo);
    const v2 = await publishVersion(hub, repo);
    hub.faults.down();
    try {
      const provider = hubProvider(hub, repo, { checkIntervalMs: 30 });
      const cold = await provider.current();
      expect(cold.source).toBe('bundled');
      expect(provider.status()).toMatchObject({ state: 'ready', source: 'bundled', version: bundledModel().manifest.version });
      expect(provider.status().hub).toMatchObject({ sha: null, consecutive_failures: 1, last_error: expect.stringMatching(/fetch failed|socket|ECONNRESET/i) });

      // Still down: the retry fails too, and the next one waits twice as long.
      await sleep(35);
      await provider.maybeCheck();
      expect(provider.status().hub?.consecutive_failures).toBe(2);
      expect(provider.msUntilNextCheck()).toBeGreaterThan(30);

      hub.faults.clear();
      await sleep(65);
      await provider.maybeCheck();
      const latest = await provider.current();
      expect(latest.manifest.version).toBe('v2');
      expect(latest.source).toBe(`hub:${repo}@${v2.sha}`);
      expect(provider.status()).toMatchObject({ error: null, hub: { last_error: null, consecutive_failures: 0, sha: v2.sha } });
      await provider.close();
    } finally {
      hub.faults.clear();
    }
  });

  it('relabels the bundled model instead of loading it twice when the Hub serves the same bytes', async () => {
    const repo = newRepo();
    // worker/model re-stamped with its own version (v1, v2, … until it): the same bytes.
    let v1 = await publishVersion(hub, repo);
    while (v1.version !== bundledModel().manifest.version) v1 = await publishVersion(hub, repo);
    expect(v1.manifest.sha256).toBe(bundledModel().manifest.sha256);
    hub.faults.down();
    const provider = hubProvider(hub, repo);
    const bundled = await provider.current();
    hub.faults.clear();
    await sleep(15);
    const since = hub.requests.lastSeq;
    await provider.maybeCheck();
    const fromHub = await provider.current();
    expect(fromHub.source).toBe(`hub:${repo}@${v1.sha}`);
    expect(fromHub.model).toBe(bundled.model);
    expect(modelDownloads(hub, since)).toEqual([]);
    await provider.close();
  });
});

describe('the version check', () => {
  it('costs exactly one small request and no download when nothing changed', async () => {
    const repo = newRepo();
    await publishVersion(hub, repo);
    const provider = hubProvider(hub, repo);
    const loaded = await provider.current();
    for (let i = 0; i < 3; i++) {
      await sleep(15);
      const since = hub.requests.lastSeq;
      await provider.maybeCheck();
      expect(requestsSince(hub, since)).toEqual([{ method: 'GET', route: 'resolve', path: `/${repo}/resolve/main/manifest.json`, bytes: 1 }]);
    }
    expect(await provider.current()).toBe(loaded);
    expect(provider.status().hub?.checks).toBe(4); // the cold load + 3 checks
    await provider.close();
  });

  it('does nothing until the interval has passed', async () => {
    const repo = newRepo();
    await publishVersion(hub, repo);
    let clock = 1_000_000;
    const provider = hubProvider(hub, repo, { checkIntervalMs: 60_000, now: () => clock });
    await provider.current();
    const since = hub.requests.lastSeq;
    clock += 59_999;
    await provider.maybeCheck();
    expect(requestsSince(hub, since)).toEqual([]);
    expect(provider.msUntilNextCheck()).toBe(1);
    clock += 1;
    await provider.maybeCheck();
    expect(requestsSince(hub, since)).toHaveLength(1);
    expect(provider.status().hub).toMatchObject({
      last_check_at: new Date(clock).toISOString(),
      next_check_at: new Date(clock + 60_000).toISOString(),
    });
    await provider.close();
  });

  it('does nothing before the first current(): the model loads on first use', async () => {
    const repo = newRepo();
    await publishVersion(hub, repo);
    const provider = hubProvider(hub, repo);
    const since = hub.requests.lastSeq;
    await provider.maybeCheck();
    await provider.checkNow();
    expect(requestsSince(hub, since)).toEqual([]);
    expect(provider.status()).toMatchObject({ state: 'idle', version: null, source: `hub:${repo}`, hub: { checks: 0, last_check_at: null } });
    await provider.close();
  });

  it('is driven by a timer on Node', async () => {
    vi.useFakeTimers();
    try {
      const provider = { maybeCheck: vi.fn(async () => {}) };
      const stop = startModelCheckTimer(provider, 1_000);
      expect(provider.maybeCheck).not.toHaveBeenCalled();
      vi.advanceTimersByTime(3_000);
      expect(provider.maybeCheck).toHaveBeenCalledTimes(3);
      stop();
      vi.advanceTimersByTime(3_000);
      expect(provider.maybeCheck).toHaveBeenCalledTimes(3);
    } finally {
      vi.useRealTimers();
    }
  });

  it('never runs two checks at once', async () => {
    const repo = newRepo();
    await publishVersion(hub, repo);
    const provider = hubProvider(hub, repo);
    await provider.current();
    await publishVersion(hub, repo);
    await sleep(15);
    const since = hub.requests.lastSeq;
    const calls = [provider.maybeCheck(), provider.maybeCheck(), provider.checkNow(), provider.maybeCheck()];
    expect(provider.status().hub?.checking).toBe(true);
    await Promise.all(calls);
    const requests = requestsSince(hub, since);
    expect(requests.filter((r) => r.path === `/${repo}/resolve/main/manifest.json`)).toHaveLength(1);
    expect(modelDownloads(hub, since)).toHaveLength(1);
    expect((await provider.current()).manifest.version).toBe('v2');
    await provider.close();
  });

  it('downloads the files of the commit the probe saw, even if main moves on meanwhile', async () => {
    const repo = newRepo();
    await publishVersion(hub, repo);
    const provider = hubProvider(hub, repo);
    await provider.current();
    const v2 = await publishVersion(hub, repo);
    await sleep(15);
    // Delay the model download long enough to publish v3 before it starts.
    hub.faults.inject({ mode: 'delay', delayMs: 300, route: 'resolve', path: 'model.onnx', count: 1 });
    const since = hub.requests.lastSeq;
    const checking = provider.maybeCheck();
    await publishVersion(hub, repo);
    await checking;
    expect((await provider.current()).source).toBe(`hub:${repo}@${v2.sha}`);
    const paths = requestsSince(hub, since)
      .filter((r) => r.route === 'resolve')
      .map((r) => r.path);
    expect(paths.filter((p) => p.includes('/resolve/main/'))).toEqual([`/${repo}/resolve/main/manifest.json`]);
    expect(paths.filter((p) => !p.includes('/resolve/main/')).every((p) => p.includes(`/resolve/${v2.sha}/`))).toBe(true);
    hub.faults.clear();
    await provider.close();
  });

  it('releases the replaced session only after the grace period, and everything on close', async () => {
    const repo = newRepo();
    await publishVersion(hub, repo);
    let clock = 0;
    const provider = hubProvider(hub, repo, { checkIntervalMs: 10, releaseGraceMs: 30_000, now: () => clock });
    const v1 = await provider.current();
    const releaseV1 = vi.spyOn(v1.model, 'release');
    await publishVersion(hub, repo);
    clock += 10;
    await provider.maybeCheck();
    const v2 = await provider.current();
    expect(v2.manifest.version).toBe('v2');
    clock += 29_999;
    await provider.maybeCheck();
    expect(releaseV1).not.toHaveBeenCalled();
    expect((await v1.model.predict(['still usable'])).length).toBe(1);
    clock += 1;
    await provider.maybeCheck();
    expect(releaseV1).toHaveBeenCalledTimes(1);

    const releaseV2 = vi.spyOn(v2.model, 'release');
    await provider.close();
    expect(releaseV2).toHaveBeenCalledTimes(1);
    await expect(provider.current()).rejects.toThrow(/closed/);
  });
});

describe('pinned revision (rollback)', () => {
  it('serves the pinned commit while a newer version is latest, and never checks', async () => {
    const repo = newRepo();
    const v1 = await publishVersion(hub, repo);
    await publishVersion(hub, repo);
    const provider = hubProvider(hub, repo, { revision: v1.sha });
    const loaded = await provider.current();
    expect(loaded.manifest.version).toBe('v1');
    expect(loaded.source).toBe(`pinned:${v1.sha}`);
    expect(provider.status()).toMatchObject({ version: 'v1', source: `pinned:${v1.sha}`, hub: { pinned_revision: v1.sha, sha: v1.sha, next_check_at: null } });

    await publishVersion(hub, repo);
    await sleep(15);
    const since = hub.requests.lastSeq;
    await provider.maybeCheck();
    await provider.checkNow();
    expect(requestsSince(hub, since)).toEqual([]);
    expect(provider.msUntilNextCheck()).toBeNull();
    expect(await provider.current()).toBe(loaded);
    await provider.close();
  });

  it('falls back to the bundled model while the Hub is down, then loads the pinned commit, not the latest', async () => {
    const repo = newRepo();
    await publishVersion(hub, repo);
    const v2 = await publishVersion(hub, repo);
    await publishVersion(hub, repo);
    hub.faults.down();
    try {
      const provider = hubProvider(hub, repo, { revision: v2.sha });
      expect((await provider.current()).source).toBe('bundled');
      expect(provider.msUntilNextCheck()).not.toBeNull();
      hub.faults.clear();
      await sleep(15);
      await provider.maybeCheck();
      const pinned = await provider.current();
      expect(pinned.manifest.version).toBe('v2');
      expect(pinned.source).toBe(`pinned:${v2.sha}`);
      expect(provider.msUntilNextCheck()).toBeNull();
      await provider.close();
    } finally {
      hub.faults.clear();
    }
  });
});

describe('cache adapter', () => {
  it('lets a second isolate load the same version without downloading it', async () => {
    const repo = newRepo();
    const v1 = await publishVersion(hub, repo);
    const cache = memoryModelFileCache();
    const first = hubProvider(hub, repo, { cache });
    await first.current();
    expect(cache.size).toBe(2); // manifest + model, keyed by repo + sha

    const since = hub.requests.lastSeq;
    const second = hubProvider(hub, repo, { cache });
    const loaded = await second.current();
    expect(loaded.source).toBe(`hub:${repo}@${v1.sha}`);
    expect(requestsSince(hub, since)).toEqual([{ method: 'GET', route: 'resolve', path: `/${repo}/resolve/main/manifest.json`, bytes: 1 }]);
    await first.close();
    await second.close();
  });

  it('ignores a cache entry whose bytes do not match, and a cache that throws', async () => {
    const repo = newRepo();
    const v1 = await publishVersion(hub, repo);
    const cache = memoryModelFileCache();
    const key = `${new URL(hub.url).host}/${repo}@${v1.sha}/model.onnx`;
    await cache.put(key, new Uint8Array([1, 2, 3]));
    const provider = hubProvider(hub, repo, { cache });
    expect((await provider.current()).manifest.version).toBe('v1');
    expect((await cache.get(key))?.length).toBe(v1.bytes.length); // replaced by the verified download
    await provider.close();

    const warnings: unknown[] = [];
    const broken = hubProvider(hub, repo, {
      cache: { get: () => Promise.reject(new Error('cache down')), put: () => Promise.reject(new Error('cache down')), delete: async () => {} },
      log: (level, fields) => level === 'warn' && warnings.push(fields),
    });
    expect((await broken.current()).manifest.version).toBe('v1');
    expect(warnings.length).toBeGreaterThan(0);
    await broken.close();
  });
});
