/**
 * Measurement (printed): the extra memory while the old and the new session are both alive (the
 * grace period after a swap), with the production-size model in worker/model (8.4 MB). Its own
 * test file, hence its own process: ORT's wasm heap never shrinks, so earlier loads would hide
 * the cost. Versions are published by the trainer's publish CLI in a child process, so its 8 MB
 * buffers do not show up here; every reading is taken after a short settle (and a GC if exposed).
 * For GC'd figures: NODE_OPTIONS=--expose-gc npx vitest run --project node <this file>.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { expect, it } from 'vitest';
import { useTestHub } from '../../trainer/local-hub/local-hub.test-helpers';
import { hubProvider, TOKEN } from './hub.test-helpers';
// ORT's wasm linear memory (what counts against a workerd isolate's 128 MB besides the JS heap):
// noted by the probe when ORT instantiates its module, i.e. before the first session here.
import { wasmMemoryBytes } from '../bench/memory-probe';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** `trainer publish --model-dir worker/model`: the next version, re-stamped, as one commit. */
async function publishWithCli(repo: string): Promise<void> {
  await promisify(execFile)(
    process.execPath,
    ['--import', 'tsx', 'trainer/cli.ts', 'publish', '--model-dir', 'worker/model', '--repo', repo, '--hub-url', hub.url],
    { cwd: ROOT, env: { ...process.env, HF_TOKEN: TOKEN, NODE_OPTIONS: '' } },
  );
}

const hub = useTestHub();

const MB = 1024 * 1024;
const gc = (globalThis as { gc?: () => void }).gc;
type Reading = Record<'rss' | 'heapUsed' | 'external' | 'arrayBuffers' | 'wasm', number>;
async function memory(): Promise<Reading> {
  await sleep(100);
  gc?.();
  const m = process.memoryUsage();
  const wasm = wasmMemoryBytes();
  return { rss: m.rss / MB, heapUsed: m.heapUsed / MB, external: m.external / MB, arrayBuffers: m.arrayBuffers / MB, wasm: wasm / MB };
}
const round = (x: Reading) => Object.fromEntries(Object.entries(x).map(([k, v]) => [k, Math.round(v * 10) / 10]));
const diff = (a: Reading, b: Reading) =>
  round({ rss: b.rss - a.rss, heapUsed: b.heapUsed - a.heapUsed, external: b.external - a.external, arrayBuffers: b.arrayBuffers - a.arrayBuffers, wasm: b.wasm - a.wasm });

// A measurement, not a regression test, and meaningless next to other test files: opt in with
// MEASURE_MODEL_SWAP=1 npx vitest run --project node worker/model-provider/<this file>
it.runIf(process.env.MEASURE_MODEL_SWAP)('memory: one session, two during the grace period, after releasing the old one, and a third', async () => {
  const repo = 'acme/measure-memory';
  let clock = 0;
  const provider = hubProvider(hub, repo, { checkIntervalMs: 10, releaseGraceMs: 1_000, now: () => clock });
  const swapTo = async (version: string) => {
    clock += 10;
    await provider.maybeCheck();
    await provider.current().then((m) => m.model.predict(['warm up', 'the same texts every time']));
    expect((await provider.current()).manifest.version).toBe(version);
  };

  await publishWithCli(repo);
  const start = await memory();
  await provider.current().then((m) => m.model.predict(['warm up', 'the same texts every time']));
  const one = await memory();

  await publishWithCli(repo);
  const oneAfterPublish = await memory();
  await swapTo('v2');
  const two = await memory();

  clock += 1_000;
  await provider.maybeCheck(); // grace over: releases v1
  const released = await memory();

  await publishWithCli(repo);
  const beforeThird = await memory();
  await swapTo('v3'); // v2 + v3 alive again: does the wasm heap reuse v1's freed space?
  const third = await memory();
  await provider.close();

  console.log(
    JSON.stringify(
      {
        gc_forced: Boolean(gc),
        readings_mb: { start: round(start), one, oneAfterPublish, two, released, beforeThird, third },
        first_session: diff(start, one),
        extra_while_old_and_new_alive: diff(oneAfterPublish, two),
        after_releasing_old: diff(two, released),
        next_swap_after_a_release: diff(beforeThird, third),
      },
      (_, v) => (v && typeof v === 'object' && 'rss' in v && !Array.isArray(v) && typeof v.rss === 'number' && v.rss > 100 ? round(v) : v),
      2,
    ),
  );
}, 120_000);
