/**
 * `npm run bench:metrics`: what the monitoring counters add to one prediction. Two copies of the
 * app in one process share one model (the shipped one): without counters (METRICS=off) and with
 * them (SQLite store on a temporary file, flushed every second: 30 times more often than the
 * default). They take turns in short rounds, so drift of this shared machine hits both alike;
 * each round sends `POST /v1/sentiment` (a 25-word tweet) one at a time through app.fetch (the
 * whole Hono pipeline, no sockets) and measures this process's CPU time per request.
 * Prints one JSON object: per variant the median over rounds of µs per request; `ratio`, the
 * median of the per-round ratios (each pair of rounds ran back to back, so it is the least
 * affected by drift); and the CPU time of the hook alone (MinuteCounters.predictions) per call.
 *
 *   tsx worker/bench/metrics-overhead.ts [--rounds 80] [--round-ms 250]
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createApp } from '../app';
import { MinuteCounters } from '../metrics/counters';
import { createStaticModelProvider } from '../model-provider/model-provider';
import { startNodeMetrics } from '../adapter/node/metrics';
import { ortNode } from '../../shared/ort/node';
import { exitOnHelp } from './lib/cli';
import { benchTexts } from './lib/texts';
import { INTAKE_DEFAULTS, MONITORING_DEFAULTS, SERVING_DEFAULTS } from '../../shared/settings';

exitOnHelp(`usage: npm run bench:metrics [-- --rounds 80] [--round-ms 250]

CPU per POST /v1/sentiment through app.fetch with the monitoring counters off and on, in alternating
rounds; prints one JSON object (µs per request per variant and their ratio).`);
const { values } = parseArgs({ options: { rounds: { type: 'string', default: '80' }, 'round-ms': { type: 'string', default: '250' } } });
const rounds = Number(values.rounds);
const roundMs = Number(values['round-ms']);
if (!(rounds >= 2 && rounds <= 1000 && roundMs >= 50 && roundMs <= 60_000)) throw new Error('--rounds must be 2–1000 and --round-ms 50–60000');

const MODEL_DIR = new URL('../model/', import.meta.url);
const models = createStaticModelProvider({
  ort: ortNode,
  source: 'bundled',
  files: async () => ({ bytes: new Uint8Array(await readFile(new URL('model.onnx', MODEL_DIR))), manifest: JSON.parse(await readFile(new URL('manifest.json', MODEL_DIR), 'utf8')) }),
});
await models.current();
const dir = await mkdtemp(join(tmpdir(), 'bench-metrics-'));
const counters = startNodeMetrics({ path: join(dir, 'metrics.sqlite'), settings: { ...MONITORING_DEFAULTS, flushIntervalMs: 1_000 }, lowConfidenceThreshold: INTAKE_DEFAULTS.lowConfidenceThreshold, log: () => {} });
// Low-confidence logging off in both: it needs a capture buffer and is not what is measured here.
const base = { runtime: 'node' as const, models, config: { ...SERVING_DEFAULTS, logRequests: false }, intake: { ...INTAKE_DEFAULTS, lowConfidenceLogging: false }, log: () => {} };
const variants = { without: createApp({ ...base, metrics: null }), with: createApp({ ...base, metrics: counters.metrics }) };

const { single } = await benchTexts();
const body = JSON.stringify({ text: single });
const request = () => new Request('http://bench/v1/sentiment', { method: 'POST', headers: { 'content-type': 'application/json' }, body });

async function round(app: (typeof variants)['with'], ms: number): Promise<number> {
  const cpu = process.cpuUsage();
  const end = performance.now() + ms;
  let n = 0;
  while (performance.now() < end) {
    const response = await app.fetch(request());
    if (response.status !== 200) throw new Error(`status ${response.status}: ${await response.text()}`);
    await response.arrayBuffer();
    n++;
  }
  const used = process.cpuUsage(cpu);
  return (used.user + used.system) / n; // µs of CPU per request
}

for (const app of Object.values(variants)) await round(app, 1_000); // warm-up
const samples: Record<keyof typeof variants, number[]> = { without: [], with: [] };
for (let i = 0; i < rounds; i++) {
  // Alternate which goes first, so neither always follows the other.
  const order = i % 2 === 0 ? (['without', 'with'] as const) : (['with', 'without'] as const);
  for (const name of order) samples[name].push(await round(variants[name], roundMs));
}
// The hook alone: what a prediction request adds to the request path (an in-memory increment).
const hook = new MinuteCounters();
const result = [{ label: 'positive' as const, confidence: 0.4 }];
const hookCalls = 1_000_000;
const hookStart = process.cpuUsage();
for (let i = 0; i < hookCalls; i++) hook.predictions('v1', result, 0.55);
const hookUsed = process.cpuUsage(hookStart);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const snapshot = await counters.metrics.snapshot();
await counters.close();
await rm(dir, { recursive: true, force: true });

const without = median(samples.without);
const withCounters = median(samples.with);
console.log(
  JSON.stringify(
    {
      what: 'CPU µs per POST /v1/sentiment through app.fetch, median over rounds, both variants in the same run',
      rounds,
      round_ms: roundMs,
      without_counters_us: Math.round(without * 10) / 10,
      with_counters_us: Math.round(withCounters * 10) / 10,
      ratio: Math.round(median(samples.with.map((w, i) => w / samples.without[i])) * 1000) / 1000,
      ratio_of_medians: Math.round((withCounters / without) * 1000) / 1000,
      predictions_counted: snapshot.windows.last_24h.predictions,
      hook_ns_per_call: Math.round(((hookUsed.user + hookUsed.system) * 1000) / hookCalls),
    },
    null,
    2,
  ),
);
