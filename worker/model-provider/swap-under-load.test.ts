/**
 * Hot swaps under load with the production-size model: no prediction fails, the replaced session is
 * released as soon as its in-flight predictions finish (not after a grace period), and ORT's wasm
 * memory, which never shrinks, stops growing after the first swap: never more than two sessions
 * at once, so the isolate stays inside its budget however many swaps follow (the benchmark
 * measures the whole isolate in workerd: worker/bench/workerd-limits.ts). Its own file, hence its
 * own process and a fresh wasm memory.
 */
import { expect, it, vi } from 'vitest';
import { useTestHub } from '../../trainer/local-hub/local-hub.test-helpers';
// Before the first session: the probe notes ORT's wasm memory when ORT instantiates its module.
import { wasmMemoryBytes } from '../bench/memory-probe';
import { bundledFiles, hubProvider, publishVersion } from './hub.test-helpers';
import { loadVerifiedModel } from './load-verified-model';
import { ortNode } from '../../shared/ort/node';

const REPO = 'team/swap-under-load';
const MiB = 2 ** 20;
const hub = useTestHub();

it('swaps twice under load: no failed prediction, old sessions released at once, wasm memory flat after the first swap', async () => {
  const initial = { ...(await loadVerifiedModel(ortNode, await bundledFiles())), source: 'bundled', loadedAt: new Date() };
  const provider = hubProvider(hub, REPO, { releaseGraceMs: 0, initial });
  await publishVersion(hub, REPO); // v1: the bundled model itself, so the Hub's v1 is only relabelled
  await provider.checkNow();
  expect(provider.status()).toMatchObject({ version: 'v1', source: expect.stringMatching(/^hub:/) });
  let stop = false;
  let served = 0;
  const failures: unknown[] = [];
  const texts = Array.from({ length: 16 }, (_, i) => `load test tweet number ${i}, not bad at all #fine @user`);
  const client = async (batch: boolean) => {
    while (!stop) {
      try {
        const { model } = await provider.current();
        if (batch) await model.predict(texts);
        else await model.predictOne(texts[served % texts.length]);
        served++;
      } catch (error) {
        failures.push(error);
      }
      await new Promise((resolve) => setImmediate(resolve));
    }
  };
  const clients = [client(true), client(true), client(false), client(false), client(false)];
  const wasmAfter: number[] = [];
  for (let i = 0; i < 2; i++) {
    const published = await publishVersion(hub, REPO);
    const before = (await provider.current()).model;
    const release = vi.spyOn(before, 'release');
    await provider.checkNow();
    expect(provider.status().version).toBe(published.version);
    await vi.waitFor(() => expect(release).toHaveBeenCalledOnce(), { timeout: 5_000 });
    wasmAfter.push(wasmMemoryBytes());
  }
  stop = true;
  await Promise.all(clients);
  await provider.close();

  expect(failures).toEqual([]);
  expect(served).toBeGreaterThan(30);
  // Two sessions at most: the memory the first swap needed is reused by every later one.
  expect(wasmAfter[1]).toBeLessThanOrEqual(wasmAfter[0] + 4 * MiB);
  expect(wasmAfter[1]).toBeLessThan(80 * MiB);
}, 120_000);
