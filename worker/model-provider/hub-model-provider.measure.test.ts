/**
 * Measurement (printed, loosely asserted): how long from a publish to serving the new version
 * when maybeCheck() runs every 100 ms, with the production-size model in worker/model (8.4 MB).
 * Memory is measured in hub-model-provider.memory.test.ts (its own process: ORT's wasm heap
 * only grows, so it must start clean).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { expect, it } from 'vitest';
import { useTestHub } from '../../trainer/local-hub/local-hub.test-helpers';
import { hubProvider, publishVersion } from './hub.test-helpers';

const hub = useTestHub();

// A measurement, not a regression test, and meaningless next to other test files: opt in with
// MEASURE_MODEL_SWAP=1 npx vitest run --project node worker/model-provider/<this file>
it.runIf(process.env.MEASURE_MODEL_SWAP)('publish → serving the new version with maybeCheck() every 100 ms', async () => {
  const repo = 'acme/measure';
  await publishVersion(hub, repo);
  const provider = hubProvider(hub, repo, { checkIntervalMs: 50, releaseGraceMs: 60_000 });
  await provider.current();
  await provider.current().then((m) => m.model.predict(['warm up']));

  // Publish → serving, with a maybeCheck() loop every 100 ms running independently of the publisher.
  const latencies: number[] = [];
  const loadTimes: number[] = [];
  let stop = false;
  const loop = (async () => {
    while (!stop) {
      const started = performance.now();
      const before = (await provider.current()).manifest.version;
      await provider.maybeCheck();
      const after = (await provider.current()).manifest.version;
      if (after !== before) loadTimes.push(performance.now() - started);
      await sleep(100);
    }
  })();
  for (let i = 0; i < 5; i++) {
    await sleep(50 + Math.random() * 100); // publish at a random phase of the loop
    const { version } = await publishVersion(hub, repo);
    const published = performance.now();
    while ((await provider.current()).manifest.version !== version) await sleep(5);
    latencies.push(performance.now() - published);
  }
  stop = true;
  await loop;
  await provider.close();

  const sorted = [...latencies].sort((a, b) => a - b);
  const report = {
    publish_to_serving_ms: { each: latencies.map(Math.round), median: Math.round(sorted[2]), max: Math.round(sorted[4]) },
    check_that_swapped_ms: loadTimes.map(Math.round),
  };
  console.log(JSON.stringify(report, null, 2));
  expect(latencies.every((ms) => ms < 10_000)).toBe(true);
}, 120_000);
