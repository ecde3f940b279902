// Load generator for `npm run bench:serve`, run as its own `node` process so that it does not
// share an event loop with the benchmark driver. Reads a JSON spec from the file named by argv[2]:
//   { url, method, body?, connections, duration, kind: "health"|"single"|"batch", texts? }
// drives autocannon against it (loopback only: anything else is refused), checks every response
// body's shape, and prints one JSON object on stdout. Latency percentiles are computed here from
// every 2xx response time (autocannon's own histogram rounds to whole milliseconds).
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';

const LABELS = new Set(['negative', 'neutral', 'positive']);
if (!process.argv[2] || ['--help', '-h'].includes(process.argv[2])) {
  console.log('node worker/bench/load.mjs SPEC.json   (bench:serve\'s load generator; SPEC: {url, method, body?, connections, duration, kind, texts?})');
  process.exit(process.argv[2] ? 0 : 2);
}
const spec = JSON.parse(readFileSync(process.argv[2], 'utf8'));

const { hostname } = new URL(spec.url);
if (!['127.0.0.1', 'localhost', '[::1]'].includes(hostname)) {
  console.error(`refusing to load ${spec.url}: only loopback targets are allowed`);
  process.exit(2);
}
const duration = Number(spec.duration);
if (!(duration > 0 && duration <= 120)) {
  console.error(`duration ${spec.duration} s out of bounds (0, 120]`);
  process.exit(2);
}

function isPrediction(p) {
  return p && LABELS.has(p.label) && typeof p.confidence === 'number' && p.scores && typeof p.scores.positive === 'number';
}

const verifiers = {
  health: (body) => JSON.parse(body).status === 'ok',
  single: (body) => isPrediction(JSON.parse(body)),
  batch: (body) => {
    const { results } = JSON.parse(body);
    return Array.isArray(results) && results.length === spec.texts && results.every(isPrediction);
  },
};
const verify = verifiers[spec.kind];
let badBodies = 0;
let firstBadBody = null;

const latencies = [];
const instance = autocannon(
  {
    url: spec.url,
    method: spec.method,
    headers: spec.body ? { 'content-type': 'application/json' } : {},
    body: spec.body,
    connections: spec.connections,
    duration,
    timeout: 30,
    // Count, don't stop: a benchmark run reports failures instead of hiding the rest of the run.
    verifyBody: (body) => {
      let ok = false;
      try {
        ok = verify(body);
      } catch {
        ok = false;
      }
      if (!ok) {
        badBodies++;
        firstBadBody ??= String(body).slice(0, 300);
      }
      return ok;
    },
  },
  (error, result) => {
    if (error) {
      console.error(error);
      process.exit(1);
    }
    latencies.sort((a, b) => a - b);
    const pct = (q) => (latencies.length ? latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] : null);
    const cpu = process.cpuUsage(); // the whole process, start-up included: the driver charges it to this run
    const out = {
      url: spec.url,
      kind: spec.kind,
      connections: spec.connections,
      duration_s: result.duration,
      requests_total: result.requests.total,
      requests_per_s: result.requests.total / result.duration,
      requests_per_s_autocannon_mean: result.requests.average,
      latency_ms: {
        p50: pct(0.5),
        p90: pct(0.9),
        p99: pct(0.99),
        max: latencies.length ? latencies[latencies.length - 1] : null,
        mean: latencies.length ? latencies.reduce((a, b) => a + b, 0) / latencies.length : null,
        samples: latencies.length,
      },
      non2xx: result.non2xx,
      errors: result.errors,
      timeouts: result.timeouts,
      mismatches: result.mismatches,
      first_bad_body: firstBadBody,
      bad_bodies: badBodies,
      status_codes: result.statusCodeStats,
      bytes_per_s: result.throughput.average,
      load_generator_cpu_s: (cpu.user + cpu.system) / 1e6,
    };
    process.stdout.write(JSON.stringify(out) + '\n');
  },
);
instance.on('response', (_client, statusCode, _bytes, responseTime) => {
  if (statusCode >= 200 && statusCode < 300 && latencies.length < 5_000_000) latencies.push(responseTime);
});
