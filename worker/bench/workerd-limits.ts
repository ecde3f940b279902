/**
 * The deploy bundle against the Workers Free plan's limits (10 ms of CPU per request, 1 s for the
 * global scope, 128 MB per isolate), on bare workerd (`npm run bench:serve` runs it as the part
 * `workerd-limits`; alone: `node --import tsx worker/bench/workerd-limits.ts [--requests 300]`).
 *
 *  1. Start-up: spawn → port open (wall), and workerd's CPU until it is idle, all threads and the
 *     isolate's thread alone: process start, script parse, ORT's wasm module and the global scope
 *     (ORT + the bundled model's session, the warm-up). The global scope is reported as the
 *     isolate thread's start-up beyond that of a worker that answers a constant (workerd's own
 *     start): an upper bound, since that includes the script's parse and the wasm module's.
 *  2. The first request after the isolate started (`POST /v1/sentiment`): its CPU, beside the
 *     constant worker's first and second (most of its first is the process's first HTTP request).
 *  3. CPU per request, one request at a time (keep-alive), for GET /health, one tweet and batches
 *     of 16, 32, 64 and 256 tweets: p50 / p99 / max; this tree, the baseline and the constant
 *     worker take turns request by request, so the machine's load falls on each alike.
 *  4. What following the Hub costs the request that triggers a version check, `waitUntil`
 *     included: a check that finds nothing new, and one that downloads and swaps in a new version.
 *  5. A hot swap under load: a local Hub stand-in, the worker following it (HF_MODEL_REPO), a load
 *     of batches of wrangler.toml's MAX_BATCH_TEXTS from a separate process (load.mjs) while v1, v2 and v3 are published and swapped in;
 *     the isolate's memory (V8 heap committed + ArrayBuffers + every WebAssembly.Memory, through
 *     the inspector) sampled throughout, and every non-2xx or error counted.
 *
 * CPU per request is the kernel's account of workerd's main thread (/proc/pid/task/pid/schedstat,
 * ns), where `workerd serve` runs the isolate: JS, wasm, and also HTTP parsing and the event loop,
 * so it bounds from above what the platform bills the isolate; V8's background threads (compiler
 * tiers, concurrent GC) are reported apart. Local workerd leaves a tail worker's `cpuTime` at 0,
 * hence this. The first request is measured on `--launches` fresh processes (median). Prints one
 * JSON object on stdout.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startLocalHub } from '../../trainer/local-hub/server';
import { publishVersion, TOKEN } from '../model-provider/hub.test-helpers';
import { buildBundle, readWranglerToml, writeWorkerdConfig } from './lib/bundle';
import { workerdMemoryProbe } from './lib/isolate-memory';
import { cpuNs, freePort, sleep, spawnGroup, type Spawned } from './lib/procs';
import { exitOnHelp } from './lib/cli';
import { benchTexts, firstTweets } from './lib/texts';
import { workerdBinary } from './lib/workerd';

exitOnHelp(`
node --import tsx worker/bench/workerd-limits.ts [options]   the deploy bundle against the Workers Free plan's limits

  --requests N          requests per endpoint and server for CPU per request (default 1000: p99 is
                        then the 11th largest)
  --warmup-requests N   requests per endpoint and server before those (default 50)
  --launches N          fresh workerd processes for start-up and the first request (default 3)
  --parts cpu,swap-cost,swap   what to measure (default all three)
  --baseline REF        git ref measured the same way beside this tree (cpu part)
  --swap-connections N  connections of the load during the swap (default 4)
  --swap-batch N        texts per request of that load (default wrangler.toml's MAX_BATCH_TEXTS)
  --help                this text

Prints one JSON object on stdout; progress on stderr.
`);
const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const i = args.indexOf(name);
  const value = i >= 0 ? Number(args[i + 1]) : fallback;
  if (!(value > 0)) throw new Error(`${name} must be a positive number`);
  return value;
};
const REQUESTS = option('--requests', 1000);
const WARMUP = option('--warmup-requests', 50);
const LAUNCHES = option('--launches', 3);
const SWAP_CONNECTIONS = option('--swap-connections', 4);
// The swap's load sends batches of the size wrangler.toml lets through (its Free-plan cap).
const SWAP_BATCH = option('--swap-batch', Number(JSON.parse((await readWranglerToml()).vars.find(([name]) => name === 'MAX_BATCH_TEXTS')?.[1] ?? '"64"')));
const BATCHES = [16, 32, 64, 256];
const baselineIndex = args.indexOf('--baseline');
/** A git ref whose worker is measured the same way in the same run (e.g. main), for comparison. */
const BASELINE = baselineIndex >= 0 ? args[baselineIndex + 1] : undefined;
const partsIndex = args.indexOf('--parts');
const PARTS = new Set(partsIndex >= 0 ? args[partsIndex + 1].split(',') : ['cpu', 'swap-cost', 'swap']);
const REPO = 'bench/sentiment';
/** The swap part's worker gets it, to read /health's details (the model's source). */
const ADMIN_API_KEY = 'bench-admin-key-0123456789';

const log = (text: string) => console.error(`   ${text}`);
const round = (n: number, digits = 3) => Math.round(n * 10 ** digits) / 10 ** digits;

function cpuMs(pid: number, mainThreadOnly = true): number {
  const ns = cpuNs(pid, { mainThreadOnly });
  if (ns === null) throw new Error(`workerd (pid ${pid}) has exited`);
  return ns / 1e6;
}

function post(url: string, body: string | undefined, agent: Agent, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: body === undefined ? 'GET' : 'POST',
        agent,
        headers: body === undefined ? headers : { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
        timeout: 30_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end(body);
  });
}

async function portOpen(port: number, server: Spawned, timeoutMs: number): Promise<number> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    if (server.hasExited()) throw new Error(`workerd exited:\n${server.tail()}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => (socket.destroy(), resolve(true)));
      socket.on('error', () => resolve(false));
    });
    if (open) return performance.now() - server.startedAt;
    await sleep(5);
  }
  throw new Error(`workerd did not open port ${port} within ${timeoutMs} ms`);
}

/** Waits until workerd's CPU stops moving (background compile and GC threads settle). */
async function idle(pid: number): Promise<number> {
  let last = cpuMs(pid, false);
  for (let i = 0; i < 100; i++) {
    await sleep(100);
    const now = cpuMs(pid, false);
    if (now - last < 0.5) return now;
    last = now;
  }
  return last;
}

function percentiles(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return { p50: round(at(0.5)), p99: round(at(0.99)), max: round(sorted[sorted.length - 1]), n: sorted.length };
}

async function startWorkerd(outdir: string, vars: Record<string, string>, withInspector: boolean, wranglerToml = 'wrangler.toml') {
  const port = await freePort();
  const config = await writeWorkerdConfig({ outdir }, port, wranglerToml, { vars, localNetwork: true });
  const inspector = withInspector ? await freePort() : 0;
  const server = spawnGroup(workerdBinary(), ['serve', config, ...(withInspector ? ['--inspector-addr', `127.0.0.1:${inspector}`] : [])]);
  server.child.stdout?.resume(); // the request log lines: read, not kept beyond spawnGroup's window
  return { port, inspector, server, url: `http://127.0.0.1:${port}` };
}

/** One fresh workerd: port open (wall), start-up CPU (all threads, until idle), the first request's CPU. */
async function launch(outdir: string, firstBody: string, wranglerToml: string) {
  const { port, server, url } = await startWorkerd(outdir, { MAX_BATCH_TEXTS: String(Math.max(...BATCHES)) }, false, wranglerToml);
  try {
    const readyMs = await portOpen(port, server, 60_000);
    const startupCpuMs = await idle(server.pid);
    const startupMainMs = cpuMs(server.pid); // the isolate's thread: script, global scope (and workerd's own start)
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const before = cpuMs(server.pid);
    const first = await post(`${url}/v1/sentiment`, firstBody, agent);
    if (first.status !== 200) throw new Error(`first request: HTTP ${first.status} ${first.body.slice(0, 200)}`);
    const firstRequestCpuMs = cpuMs(server.pid) - before;
    log(`start-up: port open after ${readyMs.toFixed(0)} ms, ${startupCpuMs.toFixed(0)} ms of CPU (main thread ${startupMainMs.toFixed(0)}); first request ${firstRequestCpuMs.toFixed(2)} ms of CPU`);
    return { readyMs, startupCpuMs, startupMainMs, firstRequestCpuMs, server, url, agent };
  } catch (error) {
    await server.stop();
    throw error;
  }
}

/**
 * workerd's own share: a worker that answers a constant, in a fresh workerd, measured the same
 * way: its start-up (process and an empty isolate) and its first and second requests. Most of the
 * first is the process's first HTTP request. The last process is kept for the per-request rows.
 */
async function constantWorker(scratch: string, firstBody: string) {
  // It reads nothing of the request: what is left is workerd's own share of one.
  const dir = join(scratch, 'constant-worker');
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'index.js'), 'export default { fetch() { return Response.json({ status: "ok" }); } };\n');
  const { date, flags } = await readWranglerToml();
  const firsts: number[] = [];
  const seconds: number[] = [];
  const startups: number[] = [];
  let kept: { server: Spawned; url: string } | undefined;
  for (let i = 0; i < LAUNCHES; i++) {
    const port = await freePort();
    await writeFile(
      join(dir, 'workerd.capnp'),
      `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (services = [(name = "main", worker = .worker)], sockets = [(name = "http", address = "127.0.0.1:${port}", http = (), service = "main")]);
const worker :Workerd.Worker = (modules = [(name = "index.js", esModule = embed "index.js")], compatibilityDate = "${date}", compatibilityFlags = [${flags.map((f) => JSON.stringify(f)).join(', ')}]);
`,
    );
    const server = spawnGroup(workerdBinary(), ['serve', join(dir, 'workerd.capnp')]);
    try {
      await portOpen(port, server, 60_000);
      await idle(server.pid);
      startups.push(cpuMs(server.pid));
      const agent = new Agent({ keepAlive: true, maxSockets: 1 });
      for (const into of [firsts, seconds]) {
        const before = cpuMs(server.pid);
        await post(`http://127.0.0.1:${port}/v1/sentiment`, firstBody, agent);
        into.push(cpuMs(server.pid) - before);
      }
      agent.destroy();
    } finally {
      if (i < LAUNCHES - 1) await server.stop();
      else kept = { server, url: `http://127.0.0.1:${port}` };
    }
  }
  log(`a worker answering a constant: start-up ${median(startups).toFixed(0)} ms of CPU (isolate thread), first request ${median(firsts).toFixed(2)} ms, second ${median(seconds).toFixed(2)} ms`);
  return {
    result: { startup_main_thread_cpu_ms: round(median(startups), 1), first_request_cpu_ms: round(median(firsts)), second_request_cpu_ms: round(median(seconds)) },
    kept: kept!,
  };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** Start-up and first request on fresh processes; the last process is kept for the per-request rows. */
async function startupAndFirstRequest(outdir: string, wranglerToml = 'wrangler.toml') {
  const singleBody = JSON.stringify({ text: (await benchTexts()).single });
  const launches = [];
  for (let i = 0; i < LAUNCHES; i++) {
    const l = await launch(outdir, singleBody, wranglerToml);
    launches.push(l);
    if (i < LAUNCHES - 1) await l.server.stop();
  }
  const { server, url } = launches.at(-1)!;
  return {
    result: {
      launches: launches.map((l) => ({ ready_ms: round(l.readyMs, 1), startup_cpu_ms: round(l.startupCpuMs, 1), startup_main_thread_cpu_ms: round(l.startupMainMs, 1), first_request_cpu_ms: round(l.firstRequestCpuMs) })),
      startup_main_thread_cpu_ms: round(median(launches.map((l) => l.startupMainMs)), 1),
      ready_ms: round(median(launches.map((l) => l.readyMs)), 1),
      startup_cpu_ms: round(median(launches.map((l) => l.startupCpuMs)), 1),
      first_request_cpu_ms: round(median(launches.map((l) => l.firstRequestCpuMs))),
    },
    kept: { server, url },
  };
}

type Percentiles = ReturnType<typeof percentiles> & { background_p50: number };

/**
 * CPU per request, one request at a time (keep-alive), the servers taking turns request by
 * request, so the machine's load at any moment falls on all of them alike.
 */
async function cpuPerRequest(servers: { name: string; server: Spawned; url: string }[]) {
  const { single } = await benchTexts();
  const endpoints: { name: string; path: string; body?: string }[] = [
    { name: 'health', path: '/health' },
    { name: 'single', path: '/v1/sentiment', body: JSON.stringify({ text: single }) },
  ];
  for (const n of BATCHES) endpoints.push({ name: `batch_${n}`, path: '/v1/sentiment/batch', body: JSON.stringify({ texts: await firstTweets(n) }) });
  const agents = servers.map(() => new Agent({ keepAlive: true, maxSockets: 1 }));
  const out: Record<string, Record<string, Percentiles>> = Object.fromEntries(servers.map((s) => [s.name, {}]));
  try {
    for (const e of endpoints) {
      for (const [k, s] of servers.entries()) for (let i = 0; i < WARMUP; i++) await post(`${s.url}${e.path}`, e.body, agents[k]);
      const samples = servers.map(() => [] as number[]);
      const background = servers.map(() => [] as number[]);
      for (let i = 0; i < REQUESTS; i++) {
        for (const [k, { server, url, name }] of servers.entries()) {
          const [main0, all0] = [cpuMs(server.pid), cpuMs(server.pid, false)];
          const reply = await post(`${url}${e.path}`, e.body, agents[k]);
          if (reply.status !== 200) throw new Error(`${name} ${e.name}: HTTP ${reply.status} ${reply.body.slice(0, 200)}`);
          const main = cpuMs(server.pid) - main0;
          samples[k].push(main);
          background[k].push(cpuMs(server.pid, false) - all0 - main);
        }
      }
      for (const [k, { name }] of servers.entries()) {
        out[name][e.name] = { ...percentiles(samples[k]), background_p50: round(median(background[k])) };
      }
      log(`${e.name}: CPU per request p50 / p99 ms: ${servers.map(({ name }) => `${name} ${out[name][e.name].p50} / ${out[name][e.name].p99}`).join(', ')}`);
    }
  } finally {
    for (const agent of agents) agent.destroy();
  }
  return out;
}

/**
 * What following the Hub costs the request that triggers a check: the isolate thread's CPU from
 * the request until workerd is idle again (its `waitUntil` work included, which the platform
 * counts toward the invocation), one request at a time, no other load: plain requests, due
 * checks that find nothing new, and due checks that find a new version and swap to it.
 */
async function swapCost(outdir: string, scratch: string) {
  const hub = await startLocalHub({ dir: join(scratch, 'hub-swap-cost'), token: TOKEN });
  const { port, server, url } = await startWorkerd(outdir, { HF_MODEL_REPO: REPO, HF_ENDPOINT: hub.url, HF_TOKEN: TOKEN, MODEL_CHECK_INTERVAL_S: '1' }, false);
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const body = JSON.stringify({ text: (await benchTexts()).single });
  /** Main-thread CPU until it stops moving (50 µs per 100 ms). */
  const settled = async () => {
    let last = cpuMs(server.pid);
    for (let i = 0; i < 100; i++) {
      await sleep(100);
      const now = cpuMs(server.pid);
      if (now - last < 0.05) return now;
      last = now;
    }
    return last;
  };
  const triggered = async () => {
    const before = await settled();
    const reply = await post(`${url}/v1/sentiment`, body, agent);
    if (reply.status !== 200) throw new Error(`swap cost: HTTP ${reply.status} ${reply.body.slice(0, 200)}`);
    return (await settled()) - before;
  };
  try {
    await publishVersion(hub, REPO);
    await portOpen(port, server, 60_000);
    await triggered(); // loads the Hub's version
    const rows: Record<'plain' | 'check_nothing_new' | 'check_and_swap', number[]> = { plain: [], check_nothing_new: [], check_and_swap: [] };
    for (let i = 0; i < 3; i++) {
      rows.plain.push(await triggered()); // right after a check: none is due
      await sleep(1_100);
      rows.check_nothing_new.push(await triggered());
      await publishVersion(hub, REPO);
      await sleep(1_100);
      rows.check_and_swap.push(await triggered());
    }
    const result = Object.fromEntries(Object.entries(rows).map(([name, values]) => [name, { median: round(median(values)), max: round(Math.max(...values)) }]));
    log(`CPU of the request that triggers it (waitUntil included), median: plain ${result.plain.median} ms, a check with nothing new ${result.check_nothing_new.median} ms, a check that swaps ${result.check_and_swap.median} ms`);
    return result;
  } finally {
    agent.destroy();
    await server.stop();
    await hub.close();
  }
}

async function swapUnderLoad(outdir: string, scratch: string) {
  const hub = await startLocalHub({ dir: join(scratch, 'hub'), token: TOKEN });
  const { port, inspector, server, url } = await startWorkerd(
    outdir,
    { HF_MODEL_REPO: REPO, HF_ENDPOINT: hub.url, HF_TOKEN: TOKEN, MODEL_CHECK_INTERVAL_S: '1', ADMIN_API_KEY },
    true,
  );
  const probe = workerdMemoryProbe(inspector);
  const samples: { t_s: number; total_mib: number; heap_total_mib: number; wasm_mib: number; array_buffers_mib: number }[] = [];
  const sample = async () => {
    try {
      const m = (await probe.snapshot()).isolate;
      samples.push({ t_s: round((performance.now() - t0) / 1000, 2), total_mib: m.isolate_total_mib, heap_total_mib: m.heap_total_mib, wasm_mib: m.wasm_memory_mib, array_buffers_mib: m.array_buffers_mib });
    } catch {
      // the inspector can be slow to answer under load: the next sample will do
    }
  };
  const t0 = performance.now();
  let load: Promise<{ stdout: string }> | undefined;
  try {
    await portOpen(port, server, 60_000);
    await sample();
    const afterStart = samples.at(-1);
    // The model's source is in /health's admin details only.
    const version = async () => {
      const reply = await post(`${url}/health`, undefined, new Agent(), { authorization: `Bearer ${ADMIN_API_KEY}` });
      const model = (JSON.parse(reply.body) as { details?: { model?: { version: string; source: string } } }).details?.model;
      if (!model) throw new Error(`/health with the admin key has no details.model: HTTP ${reply.status} ${reply.body.slice(0, 200)}`);
      return model;
    };
    const waitFor = async (wanted: string) => {
      const deadline = performance.now() + 60_000;
      while (performance.now() < deadline) {
        const model = await version();
        if (model.version === wanted && model.source.startsWith('hub:')) return;
        await sample();
        await sleep(200);
      }
      throw new Error(`the worker did not swap to ${wanted} within 60 s`);
    };
    const texts = await firstTweets(SWAP_BATCH);
    const spec = join(scratch, 'load.json');
    const durationS = 30;
    await writeFile(spec, JSON.stringify({ url: `${url}/v1/sentiment/batch`, method: 'POST', body: JSON.stringify({ texts }), connections: SWAP_CONNECTIONS, duration: durationS, kind: 'batch', texts: texts.length }));
    load = promisify(execFile)(process.execPath, [new URL('./load.mjs', import.meta.url).pathname, spec], { timeout: (durationS + 60) * 1000 });
    const swaps: { version: string; after_s: number }[] = [];
    await sleep(2000);
    for (let i = 0; i < 3; i++) {
      const published = await publishVersion(hub, REPO);
      const start = performance.now();
      await waitFor(published.version);
      swaps.push({ version: published.version, after_s: round((performance.now() - start) / 1000, 2) });
      log(`swapped to ${published.version} under load in ${swaps.at(-1)!.after_s} s`);
      for (let k = 0; k < 10; k++) {
        await sample();
        await sleep(200);
      }
    }
    while (performance.now() - t0 < (durationS + 2) * 1000 && samples.length < 400) {
      await sample();
      await sleep(250);
    }
    const result = JSON.parse((await load!).stdout.trim().split('\n').pop()!) as { requests_total: number; non2xx: number; errors: number; timeouts: number; mismatches: number };
    await sample();
    const peak = samples.reduce((best, s) => (s.total_mib > best.total_mib ? s : best), samples[0]);
    log(`isolate peak ${peak.total_mib} MiB (heap ${peak.heap_total_mib}, ArrayBuffers ${peak.array_buffers_mib}, wasm ${peak.wasm_mib}); ${result.requests_total} requests, ${result.non2xx} non-2xx, ${result.errors + result.timeouts + result.mismatches} errors`);
    return {
      connections: SWAP_CONNECTIONS,
      batch: SWAP_BATCH,
      requests: result.requests_total,
      // autocannon counts a refused body in more than one of these: the largest is the number of failed requests.
      failed: Math.max(result.non2xx, result.errors + result.timeouts, result.mismatches),
      non_2xx: result.non2xx,
      swaps,
      after_start_mib: afterStart?.total_mib ?? null,
      peak_mib: peak,
      samples: samples.length,
      series: samples,
    };
  } finally {
    await server.stop();
    await hub.close();
  }
}

const scratch = await mkdtemp(join(tmpdir(), 'bench-workerd-limits-'));
const kept: Spawned[] = [];
try {
  const outdir = join(scratch, 'bundle');
  await buildBundle(outdir);
  let cpu = null;
  let constant = null;
  let baseline = null;
  if (PARTS.has('cpu')) {
    const mine = await startupAndFirstRequest(outdir);
    kept.push(mine.kept.server);
    const servers = [{ name: 'tree', ...mine.kept }];
    const k = await constantWorker(scratch, JSON.stringify({ text: (await benchTexts()).single }));
    kept.push(k.kept.server);
    let theirs = null;
    if (BASELINE) {
      // The ref's tree beside this one, sharing node_modules, built and measured the same way.
      const tree = join(scratch, 'baseline');
      await mkdir(tree);
      await promisify(execFile)('sh', ['-c', `git archive ${JSON.stringify(BASELINE)} | tar -x -C ${JSON.stringify(tree)}`]);
      await symlink(join(process.cwd(), 'node_modules'), join(tree, 'node_modules'));
      await buildBundle(join(scratch, 'baseline-bundle'), join(tree, 'wrangler.toml'));
      log(`baseline ${BASELINE}:`);
      theirs = await startupAndFirstRequest(join(scratch, 'baseline-bundle'), join(tree, 'wrangler.toml'));
      kept.push(theirs.kept.server);
      servers.push({ name: 'baseline', ...theirs.kept });
    }
    servers.push({ name: 'constant', ...k.kept });
    const perRequest = await cpuPerRequest(servers);
    for (const server of kept.splice(0)) await server.stop();
    // The isolate thread's start-up beyond an empty worker's: the script's parse and the global scope.
    const globalScope = (startupMain: number) => round(startupMain - k.result.startup_main_thread_cpu_ms, 1);
    cpu = { ...mine.result, global_scope_cpu_ms: globalScope(mine.result.startup_main_thread_cpu_ms), cpu_ms_per_request: perRequest.tree };
    constant = { ...k.result, cpu_ms_per_request: perRequest.constant };
    if (theirs) baseline = { ref: BASELINE, ...theirs.result, global_scope_cpu_ms: globalScope(theirs.result.startup_main_thread_cpu_ms), cpu_ms_per_request: perRequest.baseline };
    log(`global scope (isolate thread's start-up beyond an empty worker's): ${cpu.global_scope_cpu_ms} ms${baseline ? `, baseline ${baseline.global_scope_cpu_ms} ms` : ''}`);
  }
  let swap = null;
  let swapError: string | undefined;
  let cost = null;
  try {
    cost = PARTS.has('swap-cost') ? await swapCost(outdir, scratch) : null;
    swap = PARTS.has('swap') ? await swapUnderLoad(outdir, scratch) : null;
  } catch (error) {
    // The CPU numbers above still stand: report them with the swap's failure.
    swapError = (error as Error).message;
    log(`swap under load FAILED: ${swapError}`);
  }
  console.log(JSON.stringify({ ...cpu, constant_worker: constant, swap_cpu_ms: cost, swap_under_load: swap, swap_under_load_error: swapError, baseline }));
} finally {
  for (const server of kept) await server.stop();
  await rm(scratch, { recursive: true, force: true });
}
