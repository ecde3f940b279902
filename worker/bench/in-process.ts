/**
 * In-process reference for `npm run bench:serve`: the shipped model on Node (onnxruntime-web, one
 * wasm thread, as the Node server loads it) without HTTP. Prints one JSON object:
 * texts/s of SentimentModel.predict on batches of 100 and on single texts, plus load time and RSS.
 *
 *   node --import tsx worker/bench/in-process.ts [--duration 10]
 */
import { readFile } from 'node:fs/promises';
import { loadVerifiedModel } from '../model-provider/load-verified-model';
import { ortNode } from '../../shared/ort/node';
import { benchArgs } from './lib/cli';
import { benchTexts } from './lib/texts';

const flags = benchArgs(
  `
node --import tsx worker/bench/in-process.ts [--duration 10]

The shipped model's SentimentModel.predict on Node, no HTTP (batches of 100 and single texts).
Prints one JSON object on stdout.
`,
  { duration: { type: 'string', default: '10' } },
);
const duration = Number(flags.duration);
if (!(duration > 0 && duration <= 120)) throw new Error(`--duration ${flags.duration} out of bounds (0, 120]`);

const MODEL_DIR = new URL('../model/', import.meta.url);

const { single, batch } = await benchTexts();
const rssBefore = process.memoryUsage().rss;
const loadStart = performance.now();
const { model, manifest } = await loadVerifiedModel(ortNode, {
  bytes: new Uint8Array(await readFile(new URL('model.onnx', MODEL_DIR))),
  manifest: JSON.parse(await readFile(new URL('manifest.json', MODEL_DIR), 'utf8')),
});
const loadMs = performance.now() - loadStart;
const firstStart = performance.now();
await model.predict([single]);
const firstPredictionMs = performance.now() - firstStart;
const afterLoad = process.memoryUsage();
const rssAfterLoad = afterLoad.rss;

/** Calls `fn` repeatedly for at most `seconds` (and at most `maxCalls`); per-call times in ms. */
async function timed(seconds: number, maxCalls: number, fn: () => Promise<unknown>): Promise<number[]> {
  const times: number[] = [];
  const end = performance.now() + seconds * 1000;
  while (performance.now() < end && times.length < maxCalls) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  return times;
}

function stats(times: number[], textsPerCall: number) {
  const sorted = [...times].sort((a, b) => a - b);
  const total = times.reduce((a, b) => a + b, 0);
  const pct = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return {
    calls: times.length,
    texts_per_s: (times.length * textsPerCall) / (total / 1000),
    ms_per_call: { p50: pct(0.5), p99: pct(0.99), mean: total / times.length },
  };
}

await timed(Math.min(2, duration / 5), 1000, () => model.predict(batch)); // warm-up
const batchTimes = await timed(duration / 2, 100_000, () => model.predict(batch));
const singleTimes = await timed(duration / 2, 1_000_000, () => model.predict([single]));

console.log(
  JSON.stringify({
    model_version: manifest.version,
    model_load_ms: loadMs,
    first_prediction_ms: firstPredictionMs,
    batch_100: stats(batchTimes, batch.length),
    single: stats(singleTimes, 1),
    cpu_s: (process.cpuUsage().user + process.cpuUsage().system) / 1e6,
    rss_mib: { before_load: rssBefore / 2 ** 20, after_load: rssAfterLoad / 2 ** 20, peak: process.resourceUsage().maxRSS / 1024 },
    // What an isolate holds (roughly): the JS heap, and ArrayBuffers, which include ORT's wasm memory.
    js_memory_mib_after_load: { heap_used: afterLoad.heapUsed / 2 ** 20, array_buffers: afterLoad.arrayBuffers / 2 ** 20, external: afterLoad.external / 2 ** 20 },
    js_memory_mib_at_end: (({ heapUsed, arrayBuffers, external }) => ({ heap_used: heapUsed / 2 ** 20, array_buffers: arrayBuffers / 2 ** 20, external: external / 2 ** 20 }))(
      process.memoryUsage(),
    ),
  }),
);
