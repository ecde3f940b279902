/**
 * `npm run bench:serve`: serving benchmark of the sentiment API (a benchmark, not a test).
 *
 * Starts the service on free loopback ports under
 *   - wrangler dev (local mode: wrangler's node process, a workerd running wrangler's proxy, a
 *     workerd running the worker),
 *   - bare workerd serving the `wrangler deploy --dry-run` bundle (no wrangler, no proxy: to
 *     measure what wrangler dev's proxy costs),
 *   - the Node server with 1 process, and with WEB_CONCURRENCY=2 when worker/ reads that variable;
 * and for each measures the cold start (spawn → first 200 from /health, the first /health's
 * latency, the first POST /v1/sentiment, which loads the model), then drives a bounded autocannon
 * load from a separate process (worker/bench/load.mjs) against GET /health, POST /v1/sentiment (a
 * 25-word tweet) and POST /v1/sentiment/batch (100 tweets), sampling the memory of every process
 * of the server's tree and the CPU used by the server, the load generator and everything else on
 * the machine. Also: the deployable bundle's size, and SentimentModel.predict in-process on Node.
 *
 * Writes worker/bench/results/serve.json (serve.partial.json for shortened runs) and prints a
 * Markdown table. Exits 1 if a server failed or any request failed.
 *
 *   npm run bench:serve -- [--duration 10] [--connections 32] [--warmup 2]
 *                          [--only node|workerd|wrangler-dev|workerd-bare|node-1|node-2|in-process|bundle,...]
 *                          [--ready-timeout 60] [--retries 2] [--max-others 0.25] [--out path]
 *
 * --only takes a comma-separated list; `node` = node-1,node-2,in-process and `workerd` =
 * wrangler-dev,workerd-bare,bundle. A measured run during which other processes used more than
 * --max-others CPU cores is repeated up to --retries times (the quietest is kept). Only a full run
 * with the default duration and connections writes serve.json.
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import { availableParallelism, cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { exitOnHelp } from './lib/cli';
import { BATCH_SIZE, benchTexts, VALIDATION_CSV } from './lib/texts';
import { buildBundle, writeWorkerdConfig, type BundleReport } from './lib/bundle';
import { nodeMemoryProbe, workerdMemoryProbe, type IsolateMemoryProbe, type MemorySnapshot } from './lib/isolate-memory';
import { workerdBinary } from './lib/workerd';
import { buildNodeBundle, dockerfileNodeFlags } from './lib/node-bundle';
import {
  CLOCK_TICKS_PER_SECOND,
  freePort,
  machineTicks,
  sleep,
  spawnGroup,
  tree,
  TreeSampler,
  type Spawned,
} from './lib/procs';

// ---------------------------------------------------------------------------------------------
// Options

const SERVER_IDS = ['wrangler-dev', 'workerd-bare', 'node-1', 'node-2'] as const;
type ServerId = (typeof SERVER_IDS)[number];
const PARTS = [...SERVER_IDS, 'in-process', 'in-workerd', 'workerd-limits', 'python-reference', 'bundle'] as const;
type Part = (typeof PARTS)[number];
const GROUPS: Record<string, Part[]> = {
  workerd: ['wrangler-dev', 'workerd-bare', 'bundle', 'in-workerd', 'workerd-limits'],
  node: ['node-1', 'node-2', 'in-process', 'python-reference'],
};

interface Options {
  duration: number;
  connections: number;
  warmup: number;
  readyTimeout: number;
  retries: number;
  maxOthers: number;
  parts: Set<Part>;
  out: string;
  /** Git ref whose worker workerd-limits measures beside this one (default main). */
  baseline: string;
  /** The Python reference's folder with a trained model.joblib (python-reference.ts); default ../shared/reference/python-seed. */
  pythonDir: string;
}

const USAGE = `
npm run bench:serve -- [options]    serving benchmark (writes worker/bench/results/serve.json or serve.partial.json)

  --only PARTS         comma-separated: ${[...Object.keys(GROUPS), ...PARTS].join(', ')}
                       (default all; node = ${GROUPS.node.join(',')}; workerd = ${GROUPS.workerd.join(',')})
  --duration S         seconds per measured load (default 10)
  --connections N      concurrent connections of the load (default 32)
  --warmup S           seconds of load before each measured one (default 2)
  --ready-timeout S    seconds a server may take to answer /health (default 60)
  --retries N          repeat a load when other processes were busy (default 2)
  --max-others CORES   what "busy" means, in CPU cores used by other processes (default 0.25)
  --baseline REF       git ref that workerd-limits measures beside this tree (default main)
  --python-dir DIR     the Python reference with a trained model.joblib (default ../shared/reference/python-seed)
  --out FILE           where the JSON goes
  --help               this text

Run it under the heavy lock on a shared machine: flock /work/wt/heavy.lock nice -n 5 npm run bench:serve
`;

function parseOptions(argv: string[]): Options {
  exitOnHelp(USAGE, argv);
  const value = (name: string): string | undefined => {
    const i = argv.indexOf(name);
    if (i < 0) return undefined;
    const v = argv[i + 1];
    if (v === undefined || v.startsWith('--')) throw new Error(`${name} needs a value`);
    return v;
  };
  for (const arg of argv) {
    if (arg.startsWith('--') && !['--duration', '--connections', '--warmup', '--only', '--ready-timeout', '--retries', '--max-others', '--out', '--baseline', '--python-dir'].includes(arg)) {
      throw new Error(`unknown option ${arg}`);
    }
  }
  const number = (name: string, fallback: number, min: number, max: number) => {
    const n = Number(value(name) ?? fallback);
    if (!(n >= min && n <= max)) throw new Error(`${name} must be between ${min} and ${max}`);
    return n;
  };
  const only = value('--only');
  const parts = new Set<Part>();
  for (const item of only ? only.split(',') : PARTS) {
    const expanded = GROUPS[item] ?? [item];
    for (const part of expanded) {
      if (!(PARTS as readonly string[]).includes(part)) throw new Error(`--only: unknown ${item} (one of ${[...Object.keys(GROUPS), ...PARTS].join(', ')})`);
      parts.add(part as Part);
    }
  }
  if (parts.has('workerd-bare')) parts.add('bundle'); // bare workerd serves the dry-run bundle
  const duration = number('--duration', 10, 1, 120);
  const connections = number('--connections', 32, 1, 512);
  // Only a full run with the default load replaces the reference results.
  const reference = !only && duration === 10 && connections === 32;
  return {
    duration,
    connections,
    warmup: number('--warmup', 2, 0, 60),
    readyTimeout: number('--ready-timeout', 60, 5, 300),
    retries: number('--retries', 2, 0, 10),
    maxOthers: number('--max-others', 0.25, 0, 64),
    parts,
    baseline: value('--baseline') ?? 'main',
    pythonDir: value('--python-dir') ?? '../shared/reference/python-seed',
    out: value('--out') ?? (reference ? 'worker/bench/results/serve.json' : 'worker/bench/results/serve.partial.json'),
  };
}

// ---------------------------------------------------------------------------------------------
// HTTP from the driver (cold start and sequential requests): node:http, so that the first request
// does not pay for loading fetch's implementation.

interface Reply {
  status: number;
  body: string;
  ms: number;
}

function http(url: string, options: { method?: string; body?: string; timeoutMs?: number; agent?: Agent } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const req = request(
      url,
      {
        method: options.method ?? 'GET',
        headers: options.body !== undefined ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(options.body) } : {},
        agent: options.agent ?? false,
        timeout: options.timeoutMs ?? 10_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), ms: performance.now() - start }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`timeout after ${options.timeoutMs ?? 10_000} ms`)));
    req.on('error', reject);
    req.end(options.body);
  });
}

const LABELS = ['negative', 'neutral', 'positive'];
/** The public /health's `version` is null while a model is still loading. */
function modelState(healthBody: string): string | null {
  try {
    const { version } = JSON.parse(healthBody) as { version?: string | null };
    return version === undefined ? null : version === null ? 'loading' : 'loaded';
  } catch {
    return null;
  }
}
function isPrediction(p: unknown): boolean {
  const q = p as { label?: unknown; confidence?: unknown } | null;
  return !!q && LABELS.includes(q.label as string) && typeof q.confidence === 'number';
}

// ---------------------------------------------------------------------------------------------
// Servers

interface ServerSpec {
  id: ServerId;
  title: string;
  /** Spawns the server listening on 127.0.0.1:port. */
  start(port: number): Promise<Spawned>;
  classify(pid: number, args: string[], depth: number, port: number): string;
  /** Roles whose memory is "the serving process(es)". */
  servingRoles: string[];
  /** JS heap and wasm memory of the serving isolate(s), where the runtime lets us see them. */
  memory?: (server: Spawned) => IsolateMemoryProbe;
  expectedProcesses?: { role: string; count: number };
}

const WRANGLER = 'node_modules/wrangler/bin/wrangler.js';
/** The code's default cap: wrangler.toml's Free-plan cap would refuse the batch of 100. */
const BENCH_MAX_BATCH_TEXTS = '256';
const REPO_ROOT = new URL('../../', import.meta.url).pathname;
/** Preloaded into the Node servers: their isolate's memory, reported from outside the product. */
const MEMORY_PROBE = new URL('./memory-probe.ts', import.meta.url).pathname;

/**
 * The Node server as production starts it (the Dockerfile: its esbuild bundle under plain `node`),
 * built once per benchmark run. `npm run start:node` (tsx, compiling TypeScript at start-up) is
 * the development path: it serves the same code but starts about 0.5 s slower.
 */
let nodeBundle: string | undefined;
function nodeStartArgs(): { command: string; args: string[] } {
  nodeBundle ??= buildNodeBundle(REPO_ROOT, `${REPO_ROOT}node_modules/.cache/bench-serve`);
  // The memory probe (memory-probe.ts) rides along as a preload; cluster workers inherit it.
  return { command: process.execPath, args: [...dockerfileNodeFlags(REPO_ROOT), '--import', MEMORY_PROBE, nodeBundle] };
}

function nodeClassify(_pid: number, args: string[], depth: number): string {
  const exe = args[0] ?? '';
  if (depth === 0) return 'node (main)';
  if (/(^|\/)node$/.test(exe)) return 'node (worker)';
  if (exe.endsWith('esbuild')) return 'esbuild (tsx)';
  return exe.split('/').pop() || 'other';
}

/**
 * The servers' environment: this one's, without Hub credentials and targets (a benchmark must
 * never flush its captured records to a real dataset repo), plus `extra`.
 */
function serverEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env = { ...process.env, ...extra };
  for (const key of ['HF_TOKEN', 'HF_DATASET_REPO', 'HF_ENDPOINT']) delete env[key];
  return env;
}

function nodeSpec(id: 'node-1' | 'node-2', processes: number, scratch: string): ServerSpec {
  return {
    id,
    title: processes === 1 ? 'Node (1 process)' : `Node (WEB_CONCURRENCY=${processes})`,
    async start(port) {
      const { command, args } = nodeStartArgs();
      // Low-confidence capture stays on (it is part of serving), into a throw-away SQLite file:
      // the default .data/capture.sqlite is the checkout's real buffer. MODEL_DIR as in the
      // Dockerfile (the bundle does not sit beside worker/model); a memory line every second from
      // the probe nodeStartArgs() preloads.
      const env = serverEnv({
        PORT: String(port),
        WEB_CONCURRENCY: String(processes),
        CAPTURE_DB_PATH: join(scratch, `${id}-capture.sqlite`),
        MODEL_DIR: 'worker/model',
        BENCH_MEMORY_REPORT_S: '1',
      });
      return spawnGroup(command, args, { env });
    },
    memory: nodeMemoryProbe,
    classify: nodeClassify,
    servingRoles: ['node (main)', 'node (worker)'],
    expectedProcesses: processes > 1 ? { role: 'node (worker)', count: processes } : undefined,
  };
}

function wranglerDevSpec(persistDir: string): ServerSpec {
  return {
    id: 'wrangler-dev',
    title: 'workerd (wrangler dev)',
    async start(port) {
      // wrangler dev loads .dev.vars / .env from the project: never benchmark with Hub credentials
      // (a size-triggered flush would commit the benchmark's captured records to the dataset).
      for (const file of ['.dev.vars', '.env']) {
        const text = await readFile(file, 'utf8').catch(() => '');
        if (/^\s*(HF_TOKEN|HF_DATASET_REPO)\s*=/m.test(text)) {
          throw new Error(`${file} sets HF_TOKEN or HF_DATASET_REPO: wrangler dev would flush benchmark records to the Hub; move it away to benchmark`);
        }
      }
      const inspector = await freePort();
      return spawnGroup(
        process.execPath,
        [
          WRANGLER,
          'dev',
          '--ip',
          '127.0.0.1',
          '--port',
          String(port),
          '--inspector-port',
          String(inspector),
          '--persist-to',
          persistDir,
          '--show-interactive-dev-session=false',
          // wrangler.toml's Free-plan cap (32) would refuse the benchmark's batch of 100.
          '--var',
          `MAX_BATCH_TEXTS:${BENCH_MAX_BATCH_TEXTS}`,
          // wrangler's default log level, as `npx wrangler dev` runs: it prints one line per request
        ],
        {
          env: serverEnv({
            WRANGLER_SEND_METRICS: 'false',
            WRANGLER_SEND_ERROR_REPORTS: 'false',
            // Use miniflare's placeholder Request.cf instead of trying to download it (offline here).
            CLOUDFLARE_CF_FETCH_ENABLED: 'false',
          }),
        },
      );
    },
    classify(_pid, args, depth, port) {
      const exe = args[0] ?? '';
      if (exe.endsWith('workerd')) {
        // wrangler's proxy runs in the workerd that owns the public port; the worker in the other.
        return args.some((a) => a.includes(`entry=127.0.0.1:${port}`)) ? 'workerd (wrangler proxy)' : 'workerd (worker)';
      }
      if (exe.endsWith('esbuild')) return 'esbuild (wrangler)';
      if (depth === 0) return 'node (wrangler launcher)';
      if (args.some((a) => a.endsWith('wrangler-dist/cli.js'))) return 'node (wrangler)';
      return exe.split('/').pop() || 'other';
    },
    servingRoles: ['workerd (worker)'],
  };
}

function workerdBareSpec(bundle: () => BundleReport | null): ServerSpec {
  let inspector = 0;
  return {
    id: 'workerd-bare',
    title: 'workerd (bare, dry-run bundle)',
    async start(port) {
      const report = bundle();
      if (!report) throw new Error('no dry-run bundle (wrangler deploy --dry-run failed)');
      const config = await writeWorkerdConfig(report, port, 'wrangler.toml', { vars: { MAX_BATCH_TEXTS: BENCH_MAX_BATCH_TEXTS } });
      // The inspector only answers heap-usage questions between loads; nothing stays attached.
      inspector = await freePort();
      return spawnGroup(workerdBinary(), ['serve', config, '--inspector-addr', `127.0.0.1:${inspector}`], { env: serverEnv({}) });
    },
    memory: () => workerdMemoryProbe(inspector),
    classify: () => 'workerd (worker)',
    servingRoles: ['workerd (worker)'],
  };
}

// ---------------------------------------------------------------------------------------------
// One server: cold start, loads, sequential latencies, memory

interface Endpoint {
  name: string;
  kind: 'health' | 'single' | 'batch';
  method: 'GET' | 'POST';
  path: string;
  body?: string;
  texts: number;
}

type LoadResult = Record<string, unknown> & {
  requests_per_s: number;
  latency_ms: { p50: number | null; p99: number | null };
  non2xx: number;
  errors: number;
  timeouts: number;
  mismatches: number;
  load_generator_cpu_s: number;
};

interface EndpointResult {
  endpoint: string;
  texts_per_request: number;
  load?: LoadResult;
  texts_per_s?: number;
  ratio_to_health?: number | null;
  cpu_cores?: { server: Record<string, number>; server_total: number; load_generator: number; driver: number; others: number; machine_busy: number };
  skipped?: string;
  /** Measured runs made (more than 1 when other processes were busy during the first). */
  attempts?: number;
  /** RSS by process role right after this endpoint's runs (memory grows under load?). */
  rss_mib_after?: Record<string, number>;
  /** The serving isolate's own memory right after this endpoint's runs (see lib/isolate-memory.ts). */
  isolate_memory_after?: Record<string, MemorySnapshot>;
  problems: string[];
}

interface ServerResult {
  id: ServerId;
  title: string;
  url?: string;
  ok: boolean;
  error?: string;
  skipped?: string;
  /** RSS by process role after the first predictions, before any load. */
  rss_mib_after_cold_start?: Record<string, number>;
  /** The serving isolate's own memory (JS heap, outside-heap buffers, ORT's wasm memory) after the model loaded, before any load. */
  isolate_memory_after_load?: Record<string, MemorySnapshot>;
  isolate_memory_error?: string;
  cold_start?: {
    ready_ms: number;
    first_health_ms: number;
    first_health_attempts: number;
    /** model.state in the first /health answer: the Node server starts loading the model as it listens; workerd loads it on the first prediction. */
    model_state_at_ready: string | null;
    first_prediction_ms: number;
    first_batch_ms: number | null;
  };
  sequential_ms?: { single_p50: number; single_p99: number; batch_p50: number | null; batch_p99: number | null; requests: number };
  endpoints: EndpointResult[];
  memory?: ReturnType<TreeSampler['summary']> & { serving_roles: string[]; serving_peak_rss_mib: number; peak_by_role_mib: Record<string, number> };
  process_count?: Record<string, number>;
  problems: string[];
  loadavg?: { before: number[]; after: number[] };
  /** The server's first lines of output (start-up messages and warnings). */
  log_head?: string;
}

async function waitReady(url: string, server: Spawned, timeoutS: number): Promise<{ readyMs: number; firstHealthMs: number; attempts: number; body: string }> {
  const deadline = server.startedAt + timeoutS * 1000;
  let attempts = 0;
  let lastError = '';
  while (performance.now() < deadline) {
    if (server.hasExited()) throw new Error(`server exited before it was ready:\n${server.tail()}`);
    attempts++;
    try {
      const reply = await http(`${url}/health`, { timeoutMs: Math.max(100, deadline - performance.now()) });
      if (reply.status === 200) return { readyMs: performance.now() - server.startedAt, firstHealthMs: reply.ms, attempts, body: reply.body };
      lastError = `HTTP ${reply.status}: ${reply.body.slice(0, 200)}`;
    } catch (error) {
      lastError = (error as Error).message;
    }
    await sleep(20);
  }
  throw new Error(`server not ready after ${timeoutS} s (${attempts} attempts, last: ${lastError}):\n${server.tail()}`);
}

const LOAD_SCRIPT = new URL('./load.mjs', import.meta.url);

async function runLoad(spec: Record<string, unknown>, timeoutS: number): Promise<LoadResult> {
  const dir = await mkdtemp(join(tmpdir(), 'bench-load-'));
  try {
    const file = join(dir, 'spec.json');
    await writeFile(file, JSON.stringify(spec));
    const { stdout } = await promisify(execFile)(process.execPath, [LOAD_SCRIPT.pathname, file], {
      timeout: timeoutS * 1000,
      killSignal: 'SIGKILL',
      maxBuffer: 16 * 2 ** 20,
    });
    return JSON.parse(stdout.trim().split('\n').pop()!);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function percentile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

/** Runs one measured load and charges the machine's CPU time during it to the server (by role), the load generator, this driver and everything else. */
async function measuredLoad(run: () => Promise<LoadResult>, sampler: TreeSampler): Promise<{ load: LoadResult; cpu: NonNullable<EndpointResult['cpu_cores']> }> {
  const machine0 = machineTicks();
  const tree0 = sampler.cpuTicksByRole();
  const self0 = process.cpuUsage();
  const wall0 = performance.now();
  const load = await run();
  const wallS = (performance.now() - wall0) / 1000;
  const tree1 = sampler.cpuTicksByRole();
  const machine1 = machineTicks();
  const self = process.cpuUsage(self0);
  const server: Record<string, number> = {};
  for (const [role, ticks] of tree1) server[role] = Math.max(0, ticks - (tree0.get(role) ?? 0)) / CLOCK_TICKS_PER_SECOND / wallS;
  const serverTotal = Object.values(server).reduce((a, b) => a + b, 0);
  const busy = (machine1.busy - machine0.busy) / CLOCK_TICKS_PER_SECOND / wallS;
  const loadGenerator = load.load_generator_cpu_s / wallS;
  const driver = (self.user + self.system) / 1e6 / wallS;
  return {
    load,
    cpu: { server, server_total: serverTotal, load_generator: loadGenerator, driver, others: Math.max(0, busy - serverTotal - loadGenerator - driver), machine_busy: busy },
  };
}

async function benchServer(spec: ServerSpec, endpoints: Endpoint[], options: Options): Promise<ServerResult> {
  const result: ServerResult = { id: spec.id, title: spec.title, ok: false, endpoints: [], problems: [] };
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  result.url = url;
  console.error(`\n== ${spec.title} on ${url}`);
  let server: Spawned;
  try {
    server = await spec.start(port);
  } catch (error) {
    result.error = `could not start: ${(error as Error).message}`;
    console.error(`   FAILED: ${result.error}`);
    return result;
  }
  const sampler = new TreeSampler(server.pid, (pid, args, depth) => spec.classify(pid, args, depth, port), 200);
  sampler.start();
  const probe = spec.memory?.(server);
  const isolateMemory = async () => {
    try {
      return await probe?.snapshot();
    } catch (error) {
      result.isolate_memory_error = (error as Error).message;
      return undefined;
    }
  };
  try {
    // --- cold start
    const ready = await waitReady(url, server, options.readyTimeout);
    let reloads = 0; // wrangler dev rebuilds when a watched file changes (others may be editing the checkout)
    server.onOutput((text) => {
      if (/Reloading local server|Detected changes/i.test(text)) reloads++;
    });
    const [single, batch] = [endpoints.find((e) => e.kind === 'single')!, endpoints.find((e) => e.kind === 'batch')!];
    const first = await http(url + single.path, { method: 'POST', body: single.body, timeoutMs: 30_000 });
    if (first.status !== 200 || !isPrediction(JSON.parse(first.body))) {
      throw new Error(`first POST ${single.path}: HTTP ${first.status} ${first.body.slice(0, 300)}`);
    }
    let batchMissing: string | null = null;
    const firstBatch = await http(url + batch.path, { method: 'POST', body: batch.body, timeoutMs: 30_000 });
    if (firstBatch.status === 404) {
      batchMissing = `POST ${batch.path} answers 404: not implemented yet`;
    } else {
      const results = firstBatch.status === 200 ? (JSON.parse(firstBatch.body) as { results?: unknown[] }).results : undefined;
      if (!Array.isArray(results) || results.length !== batch.texts || !results.every(isPrediction)) {
        throw new Error(`first POST ${batch.path}: HTTP ${firstBatch.status} ${firstBatch.body.slice(0, 300)}`);
      }
    }
    result.cold_start = {
      ready_ms: ready.readyMs,
      first_health_ms: ready.firstHealthMs,
      first_health_attempts: ready.attempts,
      model_state_at_ready: modelState(ready.body),
      first_prediction_ms: first.ms,
      first_batch_ms: batchMissing ? null : firstBatch.ms,
    };
    console.error(
      `   ready ${ready.readyMs.toFixed(0)} ms (first /health took ${ready.firstHealthMs.toFixed(1)} ms, model ${modelState(ready.body)}), first prediction ${first.ms.toFixed(1)} ms`,
    );

    // --- loads
    sampler.sample();
    result.rss_mib_after_cold_start = sampler.rssByRole();
    if (probe) {
      await sleep(1_200); // Node logs its memory every second: wait for a line from after the first predictions
      result.isolate_memory_after_load = await isolateMemory();
    }
    result.loadavg = { before: loadavg(), after: [] };
    for (const endpoint of endpoints) {
      const entry: EndpointResult = { endpoint: endpoint.name, texts_per_request: endpoint.texts, problems: [] };
      result.endpoints.push(entry);
      if (endpoint.kind === 'batch' && batchMissing) {
        entry.skipped = batchMissing;
        result.problems.push(batchMissing);
        console.error(`   ${endpoint.name}: skipped (${batchMissing})`);
        continue;
      }
      const loadSpec = { url: url + endpoint.path, method: endpoint.method, body: endpoint.body, connections: options.connections, kind: endpoint.kind, texts: endpoint.texts };
      if (options.warmup > 0) await runLoad({ ...loadSpec, duration: options.warmup }, options.warmup + 60);
      if (server.hasExited()) throw new Error(`server exited during warm-up:\n${server.tail()}`);

      // Others share this machine: a run during which other processes used more than
      // --max-others cores is repeated (at most --retries times); the quietest attempt is kept.
      let best: { load: LoadResult; cpu: NonNullable<EndpointResult['cpu_cores']> } | undefined;
      let last: number | undefined;
      for (let attempt = 0; attempt <= options.retries; attempt++) {
        if (attempt > 0) {
          console.error(`   ${endpoint.name}: other processes used ${last!.toFixed(2)} cores: waiting 10 s, then attempt ${attempt + 1}`);
          await sleep(10_000);
        }
        const measured = await measuredLoad(() => runLoad({ ...loadSpec, duration: options.duration }, options.duration + 60), sampler);
        last = measured.cpu.others;
        if (!best || measured.cpu.others < best.cpu.others) best = measured;
        entry.attempts = attempt + 1;
        if (best.cpu.others <= options.maxOthers) break;
      }
      const { load } = best!;
      entry.cpu_cores = best!.cpu;
      entry.load = load;
      entry.rss_mib_after = sampler.rssByRole();
      if (probe) {
        if (spec.id.startsWith('node')) await sleep(1_100);
        entry.isolate_memory_after = await isolateMemory();
      }
      entry.texts_per_s = endpoint.kind === 'health' ? undefined : load.requests_per_s * endpoint.texts;
      const failures = load.non2xx + load.errors + load.mismatches;
      if (failures > 0) {
        entry.problems.push(`${load.non2xx} non-2xx, ${load.errors} errors (${load.timeouts} timeouts), ${load.mismatches} bad bodies`);
        result.problems.push(`${endpoint.name}: ${entry.problems.at(-1)}`);
      }
      const c = entry.cpu_cores;
      console.error(
        `   ${endpoint.name}: ${load.requests_per_s.toFixed(0)} req/s, p50 ${fmt(load.latency_ms.p50)} ms, p99 ${fmt(load.latency_ms.p99)} ms` +
          `, failures ${failures}, CPU server ${c.server_total.toFixed(2)} / load gen ${c.load_generator.toFixed(2)} / others ${c.others.toFixed(2)} cores`,
      );
      if (server.hasExited()) throw new Error(`server exited during the load on ${endpoint.name}:\n${server.tail()}`);
    }
    result.loadavg.after = loadavg();
    const health = result.endpoints.find((e) => e.endpoint.startsWith('GET'))?.load?.requests_per_s;
    for (const e of result.endpoints) e.ratio_to_health = e.load && health ? e.load.requests_per_s / health : null;

    // --- one request at a time, warm, keep-alive
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const singles: number[] = [];
    const batches: number[] = [];
    for (let i = 0; i < 50; i++) singles.push((await http(url + single.path, { method: 'POST', body: single.body, agent })).ms);
    if (!batchMissing) for (let i = 0; i < 20; i++) batches.push((await http(url + batch.path, { method: 'POST', body: batch.body, agent })).ms);
    agent.destroy();
    result.sequential_ms = {
      single_p50: percentile(singles, 0.5),
      single_p99: percentile(singles, 0.99),
      batch_p50: batches.length ? percentile(batches, 0.5) : null,
      batch_p99: batches.length ? percentile(batches, 0.99) : null,
      requests: singles.length + batches.length,
    };

    // --- processes and memory
    sampler.sample();
    const counts: Record<string, number> = {};
    for (const p of sampler.processes()) counts[p.role] = (counts[p.role] ?? 0) + 1;
    result.process_count = counts;
    if (spec.expectedProcesses && (counts[spec.expectedProcesses.role] ?? 0) < spec.expectedProcesses.count) {
      result.problems.push(`expected ${spec.expectedProcesses.count} × ${spec.expectedProcesses.role}, saw ${JSON.stringify(counts)}`);
    }
    if (reloads > 0) result.problems.push(`wrangler dev reloaded ${reloads} time(s) during the run (someone edited a watched file?): numbers may mix two builds`);
    result.ok = true;
  } catch (error) {
    result.error = (error as Error).message;
    console.error(`   FAILED: ${result.error}`);
  } finally {
    sampler.stop();
    const summary = sampler.summary();
    const peakByRole: Record<string, number> = {};
    for (const [role, mib] of Object.entries(summary.peak_rss_by_role_mib)) {
      const hwm = Math.max(0, ...summary.processes.filter((p) => p.role === role).map((p) => p.peak_rss_mib));
      peakByRole[role] = Math.max(mib, hwm);
    }
    result.memory = {
      ...summary,
      peak_by_role_mib: peakByRole,
      serving_roles: spec.servingRoles,
      serving_peak_rss_mib: spec.servingRoles.reduce((s, role) => s + (peakByRole[role] ?? 0), 0),
    };
    await server.stop();
    result.log_head = server
      .log()
      .replace(/\x1b\[[0-9;]*m/g, '')
      .split('\n')
      .slice(0, 40)
      .join('\n');
    const left = tree(server.pid);
    if (left.length) result.problems.push(`processes left after stop: ${left.map((p) => `${p.pid} ${p.comm}`).join(', ')}`);
  }
  return result;
}

// ---------------------------------------------------------------------------------------------
// Report

const CONNECTIONS_NOTE = '32 connections, 5 s per round';
const fmt = (n: number | null | undefined, digits = 1) => (n === null || n === undefined ? '–' : n.toFixed(digits));
const int = (n: number | null | undefined) => (n === null || n === undefined ? '–' : Math.round(n).toLocaleString('en-US'));
const ms = (n: number | null | undefined) => (n === null || n === undefined ? '–' : n < 10 ? n.toFixed(2) : n < 100 ? n.toFixed(1) : n.toFixed(0));

function markdown(report: Report): string {
  const lines: string[] = [];
  const m = report.machine;
  lines.push(
    `Serving benchmark (\`npm run bench:serve\`): ${m.cpus} cores (${m.cpu_model}), Node ${m.node}, ${report.options.duration} s × ${report.options.connections} connections per row after ${report.options.warmup} s warm-up, ` +
      `load generator (autocannon) in its own process on the same machine; commit ${m.git_commit.slice(0, 7)}${m.git_dirty ? ' (+ uncommitted changes)' : ''}, ${m.date.slice(0, 10)}.`,
  );
  lines.push('');
  lines.push('| server | endpoint | req/s | texts/s | p50 ms | p99 ms | non-2xx / errors | vs /health | CPU cores: server / load gen / others |');
  lines.push('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |');
  for (const s of report.servers) {
    if (s.skipped) {
      lines.push(`| ${s.title} | skipped: ${s.skipped} | | | | | | | |`);
      continue;
    }
    if (!s.ok && !s.endpoints.length) {
      lines.push(`| ${s.title} | **FAILED**: ${(s.error ?? '').split('\n')[0]} | | | | | | | |`);
      continue;
    }
    for (const e of s.endpoints) {
      if (!e.load) {
        lines.push(`| ${s.title} | ${e.endpoint} | ${e.skipped ? `skipped: ${e.skipped}` : 'failed'} | | | | | | |`);
        continue;
      }
      const l = e.load;
      const failures = `${l.non2xx} / ${l.errors + l.mismatches}`;
      const flagged = l.non2xx + l.errors + l.mismatches > 0 ? `**${failures}** ⚠` : failures;
      const c = e.cpu_cores!;
      lines.push(
        `| ${s.title} | ${e.endpoint} | ${int(l.requests_per_s)} | ${e.texts_per_s === undefined ? '–' : int(e.texts_per_s)} | ${ms(l.latency_ms.p50)} | ${ms(l.latency_ms.p99)} | ${flagged} | ${fmt(e.ratio_to_health, 3)} | ${fmt(c.server_total, 2)} / ${fmt(c.load_generator, 2)} / ${fmt(c.others, 2)} |`,
      );
    }
    if (s.error) lines.push(`| ${s.title} | **FAILED** after the rows above: ${s.error.split('\n')[0]} | | | | | | | |`);
  }
  if (report.in_process) {
    const p = report.in_process;
    lines.push(
      `| in-process (Node, no HTTP) | SentimentModel.predict, batch of ${BATCH_SIZE} | ${int(p.batch_100.texts_per_s / BATCH_SIZE)} | ${int(p.batch_100.texts_per_s)} | ${ms(p.batch_100.ms_per_call.p50)} | ${ms(p.batch_100.ms_per_call.p99)} | | | 1 thread |`,
    );
    lines.push(
      `| in-process (Node, no HTTP) | SentimentModel.predict, 1 text | ${int(p.single.texts_per_s)} | ${int(p.single.texts_per_s)} | ${ms(p.single.ms_per_call.p50)} | ${ms(p.single.ms_per_call.p99)} | | | 1 thread |`,
    );
  }
  lines.push('');
  lines.push('| server | ready (spawn → first 200 /health) | first /health (model state) | first prediction | 1 text, one at a time, p50 | batch of 100, one at a time, p50 | peak RSS, serving process(es) | peak RSS, other processes of the tree |');
  lines.push('| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |');
  for (const s of report.servers) {
    if (s.skipped || !s.cold_start) continue;
    const c = s.cold_start;
    const mem = s.memory!;
    const serving = new Set(mem.serving_roles);
    const others = Object.entries(mem.peak_by_role_mib)
      .filter(([role]) => !serving.has(role))
      .map(([role, mib]) => `${role} ${int(mib)} MiB`)
      .join(', ');
    const servingText = Object.entries(mem.peak_by_role_mib)
      .filter(([role]) => serving.has(role))
      .map(([role, mib]) => `${role}${(s.process_count?.[role] ?? 1) > 1 ? ` ×${s.process_count?.[role]}` : ''} ${int(mib)}`)
      .join(' + ');
    lines.push(
      `| ${s.title} | ${int(c.ready_ms)} ms | ${ms(c.first_health_ms)} ms (${c.model_state_at_ready ?? '?'}) | ${ms(c.first_prediction_ms)} ms | ${ms(s.sequential_ms?.single_p50)} ms | ${ms(s.sequential_ms?.batch_p50)}${s.sequential_ms?.batch_p50 == null ? '' : ' ms'} | ${int(mem.serving_peak_rss_mib)} MiB (${servingText}) | ${others || '–'} |`,
    );
  }
  if (report.in_process) {
    const p = report.in_process;
    lines.push(
      `| in-process (Node, no HTTP) | model load ${int(p.model_load_ms)} ms | | ${ms(p.first_prediction_ms)} ms | ${ms(p.single.ms_per_call.p50)} ms | ${ms(p.batch_100.ms_per_call.p50)} ms | ${int(p.rss_mib.peak)} MiB | after load: JS heap ${int(p.js_memory_mib_after_load.heap_used)} MiB, ArrayBuffers (model bytes and ORT's wasm memory among them) ${int(p.js_memory_mib_after_load.array_buffers)} MiB |`,
    );
  }
  if (report.in_workerd) {
    const us = (op: string) => (report.in_workerd![op] ? `${fmt(report.in_workerd![op].us_per_op)} µs` : '–');
    lines.push('');
    lines.push(
      `Inside workerd, no HTTP (workerd CPU per op, in-workerd.ts): featurize ${us('featurize')}, featurize + one ORT run ${us('ort_run')}, ` +
        `\`predict\` ${us('predict')}; the app's fetch (request log off): \`GET /health\` ${us('app_health')}, \`POST /v1/sentiment\` ${us('app_single')}.`,
    );
  }
  const limits = report.workerd_limits;
  if (limits?.cpu_ms_per_request) {
    const b = limits.baseline;
    const cell = (w: Pick<Partial<WorkerdCpu>, 'cpu_ms_per_request'> | null | undefined, name: string) => {
      const e = w?.cpu_ms_per_request?.[name];
      return e ? `${ms(e.p50)} / ${ms(e.p99)}` : '–';
    };
    lines.push('');
    lines.push(
      `Against the Workers Free plan (10 ms CPU per request, 1 s global scope, 128 MB per isolate), deploy bundle on bare workerd (\`workerd-limits.ts\`): CPU of workerd's isolate thread per request, one request at a time, p50 / p99 ms of ${limits.cpu_ms_per_request.single?.n ?? '?'} requests per row, the servers taking turns of 100${b ? `, beside \`${b.ref}\` in the same run` : ''}:`,
    );
    lines.push('');
    const k = limits.constant_worker;
    lines.push(`| | this tree${b ? ` | ${b.ref}` : ''}${k ? ' | a worker answering a constant (workerd\'s own share) |' : ' |'}`);
    lines.push(`| --- | ---: |${b ? ' ---: |' : ''}${k ? ' ---: |' : ''}`);
    const row = (label: string, mine: string, theirs: string, constant: string) => lines.push(`| ${label} | ${mine}${b ? ` | ${theirs}` : ''}${k ? ` | ${constant}` : ''} |`);
    row('first request after the isolate started (median of launches)', `**${ms(limits.first_request_cpu_ms)} ms**`, `${ms(b?.first_request_cpu_ms)} ms`, k ? `${ms(k.first_request_cpu_ms)} ms (second ${ms(k.second_request_cpu_ms)} ms)` : '');
    row('start-up CPU, all threads (process, wasm compile, script, global scope)', `${int(limits.startup_cpu_ms)} ms`, `${int(b?.startup_cpu_ms)} ms`, '');
    row('start-up CPU, the isolate thread', `${int(limits.startup_main_thread_cpu_ms)} ms`, `${int(b?.startup_main_thread_cpu_ms)} ms`, k ? `${int(k.startup_main_thread_cpu_ms)} ms` : '');
    row(
      `script parse and global scope (the isolate thread beyond a worker with the same wasm and model modules and no code${k ? `, ${int(k.modules_only_startup_main_thread_cpu_ms)} ms` : ''})`,
      `**${int(limits.global_scope_cpu_ms)} ms**`,
      `${int(b?.global_scope_cpu_ms)} ms`,
      '',
    );
    for (const name of Object.keys(limits.cpu_ms_per_request)) row(`\`${name}\` p50 / p99`, cell(limits, name), cell(b, name), cell(k, name));
    const cost = limits.swap_cpu_ms;
    if (cost) {
      lines.push('');
      lines.push(
        `Following the Hub (\`HF_MODEL_REPO\`): CPU of the request that triggers a version check, its \`waitUntil\` work included (median / max of 3): ` +
          `a plain request ${ms(cost.plain.median)} / ${ms(cost.plain.max)} ms, a check that finds nothing new ${ms(cost.check_nothing_new.median)} / ${ms(cost.check_nothing_new.max)} ms, ` +
          `a check that downloads and swaps in a new version **${ms(cost.check_and_swap.median)}** / ${ms(cost.check_and_swap.max)} ms.`,
      );
    }
    const swap = limits.swap_under_load;
    if (swap) {
      lines.push('');
      lines.push(
        `Hot swap under load (${swap.connections} connections of batches of ${swap.batch}, ${swap.swaps.map((x) => `${x.version} after ${fmt(x.after_s)} s`).join(', ')}): isolate peak **${fmt(swap.peak_mib.total_mib)} MiB** ` +
          `(V8 heap ${fmt(swap.peak_mib.heap_total_mib)}, ArrayBuffers ${fmt(swap.peak_mib.array_buffers_mib)}, wasm ${fmt(swap.peak_mib.wasm_mib)}; ${fmt(swap.after_start_mib)} MiB after start), ${int(swap.requests)} requests, **${swap.failed} failed**.`,
      );
    }
    if (limits.swap_under_load_error) lines.push('', `Hot swap under load: **FAILED**: ${limits.swap_under_load_error.split('\n')[0]}`);
  }
  const py = report.python_reference;
  if (py && 'skipped' in py) lines.push('', `Python reference: skipped (${py.skipped}).`);
  else if (py) {
    lines.push('');
    lines.push(
      `Node (1 process) beside the Python reference (FastAPI + uvicorn + scikit-learn), interleaved wrk rounds of the same requests, ${CONNECTIONS_NOTE}: ` +
        `\`GET /health\` Node ÷ Python **${fmt(py.health_rps_ratio, 2)}×** req/s (server CPU per request ${int(py.health_cpu_us.node)} vs ${int(py.health_cpu_us.python)} µs); ` +
        `Node batch of 100: p99 ÷ p50 **${fmt(py.node_batch_100_p99_over_p50, 2)}** (worst round).`,
    );
    lines.push('');
    lines.push('| round | server | endpoint | req/s | p50 ms | p99 ms | errors | CPU µs per request |');
    lines.push('| ---: | --- | --- | ---: | ---: | ---: | ---: | ---: |');
    py.rounds.forEach((r, i) => lines.push(`| ${i + 1} | ${r.server} | ${r.endpoint} | ${int(r.requests_per_s)} | ${ms(r.p50_ms)} | ${ms(r.p99_ms)} | ${r.errors} | ${int(r.cpu_us_per_request)} |`));
  }
  const memoryRows = report.servers.filter((s) => s.isolate_memory_after_load);
  if (memoryRows.length) {
    lines.push('');
    lines.push('Memory of the serving isolate itself (largest process; Node: `process.memoryUsage()` plus ORT\'s wasm memory, reported by the memory probe preloaded into the server (memory-probe.ts); workerd: V8 heap usage plus every `WebAssembly.Memory`, through the inspector):');
    lines.push('');
    lines.push('| server | after the model loaded: JS heap used / total, outside the heap, ORT wasm → total MiB | largest after a load: same |');
    lines.push('| --- | --- | --- |');
    const describe = (m: MemorySnapshot | undefined) =>
      !m
        ? '–'
        : `${fmt(m.heap_used_mib)} / ${fmt(m.heap_total_mib)}, ${m.external_mib === undefined ? '' : `${fmt(m.external_mib)} `}(ArrayBuffers ${fmt(m.array_buffers_mib)}), ${fmt(m.wasm_memory_mib)} → **${fmt(m.isolate_total_mib)}**`;
    const total = (m: MemorySnapshot) => m.isolate_total_mib;
    const largest = (snapshots: (Record<string, MemorySnapshot> | undefined)[]) =>
      snapshots.flatMap((x) => Object.values(x ?? {})).reduce<MemorySnapshot | undefined>((best, m) => (!best || total(m) > total(best) ? m : best), undefined);
    for (const s of memoryRows) {
      lines.push(`| ${s.title} | ${describe(largest([s.isolate_memory_after_load]))} | ${describe(largest(s.endpoints.map((e) => e.isolate_memory_after)))} |`);
    }
  }
  const o = report.wrangler_dev_overhead;
  if (o.length) {
    lines.push('');
    lines.push('wrangler dev vs the same bundle on bare workerd (what wrangler dev\'s proxy costs; production has neither):');
    lines.push('');
    lines.push('| endpoint | req/s wrangler dev / bare | p50 ms wrangler dev / bare |');
    lines.push('| --- | ---: | ---: |');
    for (const row of o) lines.push(`| ${row.endpoint} | ${int(row.wrangler_dev_rps)} / ${int(row.bare_rps)} (${fmt(row.rps_ratio, 2)}×) | ${ms(row.wrangler_dev_p50)} / ${ms(row.bare_p50)} |`);
  }
  const b = report.bundle;
  if (b && 'files' in b) {
    lines.push('');
    lines.push(`Deployable bundle (\`wrangler deploy --dry-run\`): **${fmt(b.total_raw_mib, 2)} MiB raw, ${fmt(b.total_gzip_mib, 2)} MiB gzip** (each file gzip -9, summed; wrangler says "${b.wrangler_reports ?? '?'}").`);
    lines.push('');
    lines.push('| part | file | raw MiB | gzip MiB |');
    lines.push('| --- | --- | ---: | ---: |');
    for (const f of b.files) {
      lines.push(`| ${f.part}${f.deployable ? '' : ' (not counted)'} | ${f.file.replace(/^[0-9a-f]{40}-/, '')} | ${fmt(f.raw_bytes / 2 ** 20, 2)} | ${fmt(f.gzip_bytes / 2 ** 20, 2)} |`);
    }
  }
  return lines.join('\n');
}

// ---------------------------------------------------------------------------------------------
// Main

interface InProcess {
  model_load_ms: number;
  first_prediction_ms: number;
  batch_100: { texts_per_s: number; ms_per_call: { p50: number; p99: number } };
  single: { texts_per_s: number; ms_per_call: { p50: number; p99: number } };
  rss_mib: { peak: number };
  js_memory_mib_after_load: { heap_used: number; array_buffers: number; external: number };
  cpu_s: number;
  /** CPU cores used by everything else on the machine while this ran (includes the tsx start-up). */
  other_processes_cores?: number;
}

type CpuPercentiles = { p50: number; p99: number; max: number; n: number; background_p50: number };
interface WorkerdCpu {
  ready_ms: number;
  startup_cpu_ms: number;
  startup_main_thread_cpu_ms: number;
  /** The isolate thread's start-up beyond the constant worker's: script parse and global scope. */
  global_scope_cpu_ms: number;
  first_request_cpu_ms: number;
  cpu_ms_per_request: Record<string, CpuPercentiles>;
}
/** worker/bench/workerd-limits.ts's output. */
interface WorkerdLimits extends Partial<WorkerdCpu> {
  swap_under_load_error?: string;
  /** CPU (isolate thread, waitUntil included) of the request that triggers a Hub check: medians and maxima. */
  swap_cpu_ms?: Record<'plain' | 'check_nothing_new' | 'check_and_swap', { median: number; max: number }> | null;
  /** The first and second request of a worker that answers a constant: workerd's own share. */
  constant_worker?: {
    startup_main_thread_cpu_ms: number;
    first_request_cpu_ms: number;
    second_request_cpu_ms: number;
    cpu_ms_per_request: Record<string, CpuPercentiles>;
    /** A worker with the bundle's wasm and model modules and no code: its isolate thread's start-up. */
    modules_only_startup_main_thread_cpu_ms: number;
  } | null;
  swap_under_load: { connections: number; batch: number; requests: number; failed: number; swaps: { version: string; after_s: number }[]; after_start_mib: number | null; peak_mib: { total_mib: number; heap_total_mib: number; wasm_mib: number; array_buffers_mib: number } } | null;
  baseline: (WorkerdCpu & { ref: string }) | null;
}

/** worker/bench/python-reference.ts's output. */
interface PythonReference {
  rounds: { server: 'node' | 'python'; endpoint: string; requests_per_s: number; p50_ms: number; p99_ms: number; errors: number; cpu_us_per_request: number }[];
  health_rps_ratio: number;
  health_cpu_us: { node: number; python: number };
  node_batch_100_p99_over_p50: number;
}

interface Report {
  machine: { cpus: number; cpu_model: string; memory_gib: number; node: string; date: string; git_commit: string; git_dirty: boolean; loadavg_start: number[]; loadavg_end: number[] };
  options: { duration: number; connections: number; warmup: number; parts: string[] };
  requests: { single_text: string; single_words: number; batch_source: string; batch_texts: number; batch_body_bytes: number };
  in_process: InProcess | null;
  in_process_error?: string;
  /** µs of workerd CPU per op inside the isolate, no HTTP (in-workerd.ts). */
  in_workerd: Record<string, { us_per_op: number; runs_us: number[]; n: number }> | null;
  in_workerd_error?: string;
  workerd_limits?: WorkerdLimits;
  python_reference?: PythonReference | { skipped: string } | null;
  workerd_limits_error?: string;
  bundle: BundleReport | { error: string } | null;
  servers: ServerResult[];
  wrangler_dev_overhead: { endpoint: string; wrangler_dev_rps: number; bare_rps: number; rps_ratio: number; wrangler_dev_p50: number | null; bare_p50: number | null }[];
  problems: string[];
}

function git(args: string[]): string {
  try {
    // GIT_OPTIONAL_LOCKS=0: `git status` must not refresh (write) the shared index.
    return execFileSync('git', args, { encoding: 'utf8', env: { ...process.env, GIT_OPTIONAL_LOCKS: '0' }, stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return '';
  }
}

/** Runs a sibling script under tsx (its progress goes to our stderr); parses its last stdout line. */
async function runScript<T>(name: string, args: string[], timeoutS: number): Promise<T> {
  const script = new URL(name, import.meta.url).pathname;
  const child = promisify(execFile)(process.execPath, ['--import', 'tsx', script, ...args], { timeout: timeoutS * 1000, killSignal: 'SIGKILL' });
  child.child.stderr?.pipe(process.stderr);
  const { stdout } = await child;
  return JSON.parse(stdout.trim().split('\n').pop()!);
}

const inProcess = (duration: number) => runScript<InProcess>('./in-process.ts', ['--duration', String(duration)], duration + 120);

async function main() {
  const options = parseOptions(process.argv.slice(2));
  const { single, batch } = await benchTexts();
  const endpoints: Endpoint[] = [
    { name: 'GET /health', kind: 'health', method: 'GET', path: '/health', texts: 0 },
    { name: 'POST /v1/sentiment (1 tweet)', kind: 'single', method: 'POST', path: '/v1/sentiment', body: JSON.stringify({ text: single }), texts: 1 },
    { name: `POST /v1/sentiment/batch (${batch.length} tweets)`, kind: 'batch', method: 'POST', path: '/v1/sentiment/batch', body: JSON.stringify({ texts: batch }), texts: batch.length },
  ];
  const report: Report = {
    machine: {
      cpus: availableParallelism(),
      cpu_model: cpus()[0]?.model ?? '?',
      memory_gib: totalmem() / 2 ** 30,
      node: process.version,
      date: new Date().toISOString(),
      git_commit: git(['rev-parse', 'HEAD']),
      git_dirty: git(['status', '--porcelain']) !== '',
      loadavg_start: loadavg(),
      loadavg_end: [],
    },
    options: { duration: options.duration, connections: options.connections, warmup: options.warmup, parts: [...options.parts] },
    requests: {
      single_text: single,
      single_words: single.split(/\s+/).length,
      batch_source: `first ${batch.length} rows of ${VALIDATION_CSV}`,
      batch_texts: batch.length,
      batch_body_bytes: Buffer.byteLength(endpoints[2].body!),
    },
    in_process: null,
    in_workerd: null,
    bundle: null,
    servers: [],
    wrangler_dev_overhead: [],
    problems: [],
  };
  if (report.machine.loadavg_start[0] > report.machine.cpus * 0.5) {
    console.error(`warning: load average ${report.machine.loadavg_start[0].toFixed(2)} on ${report.machine.cpus} cores before the run: other jobs will skew the numbers`);
  }

  const scratch = await mkdtemp(join(tmpdir(), 'bench-serve-'));
  try {
    if (options.parts.has('in-process')) {
      console.error(`in-process: SentimentModel.predict on Node for ${options.duration} s…`);
      try {
        const machine0 = machineTicks();
        const wall0 = performance.now();
        const result = await inProcess(options.duration);
        const wallS = (performance.now() - wall0) / 1000;
        const busy = (machineTicks().busy - machine0.busy) / CLOCK_TICKS_PER_SECOND / wallS;
        report.in_process = { ...result, other_processes_cores: Math.max(0, busy - result.cpu_s / wallS) };
        console.error(
          `   batch of ${BATCH_SIZE}: ${result.batch_100.texts_per_s.toFixed(0)} texts/s; 1 text: ${result.single.texts_per_s.toFixed(0)} texts/s` +
            ` (other processes: ${report.in_process.other_processes_cores!.toFixed(2)} cores)`,
        );
      } catch (error) {
        report.in_process_error = (error as Error).message;
        report.problems.push(`in-process: ${report.in_process_error}`);
      }
    }
    if (options.parts.has('in-workerd')) {
      console.error('in-workerd: the pieces of a prediction inside workerd, no HTTP…');
      try {
        report.in_workerd = await runScript('./in-workerd.ts', [], 300);
      } catch (error) {
        report.in_workerd_error = (error as Error).message;
        report.problems.push(`in-workerd: ${report.in_workerd_error}`);
      }
    }
    if (options.parts.has('workerd-limits')) {
      console.error('workerd-limits: the deploy bundle against the Free plan (start-up, CPU per request, a hot swap under load)…');
      try {
        report.workerd_limits = await runScript<WorkerdLimits>('./workerd-limits.ts', ['--baseline', options.baseline], 1800);
        if (report.workerd_limits.swap_under_load_error) report.problems.push(`workerd-limits: swap under load: ${report.workerd_limits.swap_under_load_error.split('\n')[0]}`);
      } catch (error) {
        report.workerd_limits_error = (error as Error).message;
        report.problems.push(`workerd-limits: ${report.workerd_limits_error}`);
      }
    }
    if (options.parts.has('python-reference')) {
      console.error('python-reference: Node (1 process) beside FastAPI + uvicorn + scikit-learn, interleaved wrk rounds…');
      try {
        report.python_reference = await runScript('./python-reference.ts', ['--python-dir', options.pythonDir], 900);
      } catch (error) {
        const { stdout } = error as { stdout?: string };
        // Exit 2 with {"skipped"}: Python, its packages, the trained model or wrk are missing.
        const skipped = stdout ? (JSON.parse(stdout.trim().split('\n').pop() || '{}') as { skipped?: string }).skipped : undefined;
        report.python_reference = skipped ? { skipped } : null;
        if (!skipped) report.problems.push(`python-reference: ${(error as Error).message.split('\n')[0]}`);
      }
    }
    if (options.parts.has('bundle')) {
      console.error('bundle: wrangler deploy --dry-run…');
      try {
        report.bundle = await buildBundle(join(scratch, 'bundle'));
      } catch (error) {
        report.bundle = { error: (error as Error).message };
        report.problems.push(`bundle: ${report.bundle.error}`);
      }
    }
    const bundle = () => (report.bundle && 'files' in report.bundle ? report.bundle : null);
    const specs: Record<ServerId, ServerSpec> = {
      'wrangler-dev': wranglerDevSpec(join(scratch, 'wrangler-state')),
      'workerd-bare': workerdBareSpec(bundle),
      'node-1': nodeSpec('node-1', 1, scratch),
      'node-2': nodeSpec('node-2', 2, scratch),
    };
    for (const id of SERVER_IDS) {
      if (!options.parts.has(id)) continue;
      const result = await benchServer(specs[id], endpoints, options);
      report.servers.push(result);
      if (!result.ok) report.problems.push(`${result.title}: ${result.error?.split('\n')[0]}`);
      for (const p of result.problems) report.problems.push(`${result.title}: ${p}`);
    }
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }

  const dev = report.servers.find((s) => s.id === 'wrangler-dev');
  const bare = report.servers.find((s) => s.id === 'workerd-bare');
  for (const e of dev?.endpoints ?? []) {
    const other = bare?.endpoints.find((b) => b.endpoint === e.endpoint);
    if (!e.load || !other?.load) continue;
    report.wrangler_dev_overhead.push({
      endpoint: e.endpoint,
      wrangler_dev_rps: e.load.requests_per_s,
      bare_rps: other.load.requests_per_s,
      rps_ratio: e.load.requests_per_s / other.load.requests_per_s,
      wrangler_dev_p50: e.load.latency_ms.p50,
      bare_p50: other.load.latency_ms.p50,
    });
  }
  report.machine.loadavg_end = loadavg();

  await mkdir(new URL('./results/', import.meta.url), { recursive: true });
  // The bundle's temporary folder is gone: keep only the file names and sizes.
  if (report.bundle && 'outdir' in report.bundle) report.bundle = { ...report.bundle, outdir: '(temporary)' };
  await writeFile(options.out, JSON.stringify(report, null, 2) + '\n');
  console.log('\n' + markdown(report) + '\n');
  console.error(`results: ${options.out}`);
  const maxOthers = Math.max(0, ...report.servers.flatMap((s) => s.endpoints.map((e) => e.cpu_cores?.others ?? 0)));
  if (maxOthers > 0.25) console.error(`note: other processes used up to ${maxOthers.toFixed(2)} cores during a load: numbers are skewed, consider re-running`);
  if (report.problems.length) {
    console.error(`\nPROBLEMS (${report.problems.length}):\n - ${report.problems.join('\n - ')}`);
    process.exitCode = 1;
  }
}

await main();
