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
 *     worker take turns (see cpuPerRequest), so a drift of the machine's load falls on each alike.
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
import { mkdir, mkdtemp, readdir, rm, symlink, writeFile } from 'node:fs/promises';
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

/** A worker to start: its workerd config for a port. */
interface Subject {
  name: string;
  config: (port: number) => Promise<string>;
}

const bundleSubject = (name: string, outdir: string, wranglerToml: string, vars: Record<string, string> = { MAX_BATCH_TEXTS: String(Math.max(...BATCHES)) }): Subject => ({
  name,
  config: (port) => writeWorkerdConfig({ outdir }, port, wranglerToml, { vars, localNetwork: true }),
});

async function startWorkerd(subject: Subject, withInspector = false) {
  const port = await freePort();
  const config = await subject.config(port);
  const inspector = withInspector ? await freePort() : 0;
  const server = spawnGroup(workerdBinary(), ['serve', config, ...(withInspector ? ['--inspector-addr', `127.0.0.1:${inspector}`] : [])]);
  server.child.stdout?.resume(); // the request log lines: read, not kept beyond spawnGroup's window
  return { port, inspector, server, url: `http://127.0.0.1:${port}` };
}

/**
 * A worker that reads nothing of the request and answers a constant, in a config of its own.
 * `modulesOf`: it also imports that bundle's wasm and model modules (and does nothing with them),
 * so its start-up includes what workerd does for those before any script runs.
 */
async function constantSubject(name: string, scratch: string, modulesOf?: string): Promise<Subject> {
  const dir = join(scratch, name);
  await mkdir(dir, { recursive: true });
  const files = modulesOf ? (await readdir(modulesOf)).filter((file) => /\.(wasm|onnx)$/.test(file)) : [];
  for (const file of files) await symlink(join(modulesOf!, file), join(dir, file));
  const imports = files.map((file, i) => `import m${i} from "./${file}";\n`).join('');
  const used = files.length ? `, modules: [${files.map((_, i) => `typeof m${i}`).join(', ')}]` : '';
  await writeFile(join(dir, 'index.js'), `${imports}export default { fetch() { return Response.json({ status: "ok"${used} }); } };\n`);
  const modules = ['(name = "index.js", esModule = embed "index.js")', ...files.map((file) => `(name = "${file}", ${file.endsWith('.wasm') ? 'wasm' : 'data'} = embed "${file}")`)];
  const { date, flags } = await readWranglerToml();
  return {
    name,
    async config(port) {
      const path = join(dir, 'workerd.capnp');
      await writeFile(
        path,
        `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (services = [(name = "main", worker = .worker)], sockets = [(name = "http", address = "127.0.0.1:${port}", http = (), service = "main")]);
const worker :Workerd.Worker = (modules = [${modules.join(', ')}], compatibilityDate = "${date}", compatibilityFlags = [${flags.map((f) => JSON.stringify(f)).join(', ')}]);
`,
      );
      return path;
    },
  };
}

/** One fresh workerd: port open (wall), start-up CPU (all threads, until idle), its first and second request's CPU. */
async function launch(subject: Subject, firstBody: string) {
  const { port, server, url } = await startWorkerd(subject);
  try {
    const readyMs = await portOpen(port, server, 60_000);
    const startupCpuMs = await idle(server.pid);
    const startupMainMs = cpuMs(server.pid); // the isolate's thread: script, global scope (and workerd's own start)
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const requests = [0, 0];
    for (const i of [0, 1]) {
      const before = cpuMs(server.pid);
      const reply = await post(`${url}/v1/sentiment`, firstBody, agent);
      if (reply.status !== 200) throw new Error(`${subject.name}, request ${i + 1}: HTTP ${reply.status} ${reply.body.slice(0, 200)}`);
      requests[i] = cpuMs(server.pid) - before;
    }
    agent.destroy();
    log(`${subject.name}: port open after ${readyMs.toFixed(0)} ms, ${startupCpuMs.toFixed(0)} ms of CPU (isolate thread ${startupMainMs.toFixed(0)}); first request ${requests[0].toFixed(2)} ms of CPU, second ${requests[1].toFixed(2)}`);
    return { readyMs, startupCpuMs, startupMainMs, firstRequestCpuMs: requests[0], secondRequestCpuMs: requests[1], server, url };
  } catch (error) {
    await server.stop();
    throw error;
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/**
 * Start-up and the first requests on `--launches` fresh processes per subject, the subjects taking
 * turns launch by launch (the machine's load drifts); the last process of each is kept running.
 */
async function startupAndFirstRequests(subjects: Subject[]) {
  const firstBody = JSON.stringify({ text: (await benchTexts()).single });
  const launches: Awaited<ReturnType<typeof launch>>[][] = subjects.map(() => []);
  for (let i = 0; i < LAUNCHES; i++) {
    for (const [k, subject] of subjects.entries()) {
      const l = await launch(subject, firstBody);
      launches[k].push(l);
      if (i < LAUNCHES - 1) await l.server.stop();
    }
  }
  return launches.map((ls) => ({
    result: {
      launches: ls.map((l) => ({ ready_ms: round(l.readyMs, 1), startup_cpu_ms: round(l.startupCpuMs, 1), startup_main_thread_cpu_ms: round(l.startupMainMs, 1), first_request_cpu_ms: round(l.firstRequestCpuMs) })),
      ready_ms: round(median(ls.map((l) => l.readyMs)), 1),
      startup_cpu_ms: round(median(ls.map((l) => l.startupCpuMs)), 1),
      startup_main_thread_cpu_ms: round(median(ls.map((l) => l.startupMainMs)), 1),
      first_request_cpu_ms: round(median(ls.map((l) => l.firstRequestCpuMs))),
      second_request_cpu_ms: round(median(ls.map((l) => l.secondRequestCpuMs))),
    },
    kept: { server: ls.at(-1)!.server, url: ls.at(-1)!.url },
  }));
}

type Percentiles = ReturnType<typeof percentiles> & { background_p50: number };

/**
 * CPU per request, one request at a time (keep-alive). The servers take turns of TURN requests, so
 * a drift of the machine's load falls on all of them alike; each turn starts with TURN_WARMUP
 * requests that are not counted, since the first after another server's turn finds the CPU's
 * caches full of that server's data (turns of one request each doubled every p50).
 */
const TURN = 100;
const TURN_WARMUP = 5;

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
      for (let done = 0; done < REQUESTS; done += TURN) {
        for (const [k, { server, url, name }] of servers.entries()) {
          for (let i = 0; i < TURN_WARMUP; i++) await post(`${url}${e.path}`, e.body, agents[k]);
          for (let i = done; i < Math.min(REQUESTS, done + TURN); i++) {
            const [main0, all0] = [cpuMs(server.pid), cpuMs(server.pid, false)];
            const reply = await post(`${url}${e.path}`, e.body, agents[k]);
            if (reply.status !== 200) throw new Error(`${name} ${e.name}: HTTP ${reply.status} ${reply.body.slice(0, 200)}`);
            const main = cpuMs(server.pid) - main0;
            samples[k].push(main);
            background[k].push(cpuMs(server.pid, false) - all0 - main);
          }
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
  const { port, server, url } = await startWorkerd(bundleSubject('swap-cost', outdir, 'wrangler.toml', { HF_MODEL_REPO: REPO, HF_ENDPOINT: hub.url, HF_TOKEN: TOKEN, MODEL_CHECK_INTERVAL_S: '1' }));
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
    bundleSubject('swap', outdir, 'wrangler.toml', { HF_MODEL_REPO: REPO, HF_ENDPOINT: hub.url, HF_TOKEN: TOKEN, MODEL_CHECK_INTERVAL_S: '1', ADMIN_API_KEY }),
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
    const subjects = [bundleSubject('tree', outdir, 'wrangler.toml')];
    if (BASELINE) {
      // The ref's tree beside this one, sharing node_modules, built and measured the same way.
      const tree = join(scratch, 'baseline');
      await mkdir(tree);
      await promisify(execFile)('sh', ['-c', `git archive ${JSON.stringify(BASELINE)} | tar -x -C ${JSON.stringify(tree)}`]);
      await symlink(join(process.cwd(), 'node_modules'), join(tree, 'node_modules'));
      await buildBundle(join(scratch, 'baseline-bundle'), join(tree, 'wrangler.toml'));
      subjects.push(bundleSubject('baseline', join(scratch, 'baseline-bundle'), join(tree, 'wrangler.toml')));
    }
    subjects.push(await constantSubject('constant', scratch), await constantSubject('modules-only', scratch, outdir));
    const started = await startupAndFirstRequests(subjects);
    const by = (name: string) => started[subjects.findIndex((s) => s.name === name)];
    await by('modules-only').kept.server.stop(); // its start-up is all it is for
    kept.push(...started.filter((_, i) => subjects[i].name !== 'modules-only').map((s) => s.kept.server));
    const perRequest = await cpuPerRequest(['tree', 'baseline', 'constant'].filter((name) => subjects.some((s) => s.name === name)).map((name) => ({ name, ...by(name).kept })));
    for (const server of kept.splice(0)) await server.stop();
    const k = by('constant').result;
    const modulesOnly = by('modules-only').result;
    // The isolate thread's start-up beyond a worker with the same wasm and model modules and no code:
    // the script's parse and the global scope.
    const globalScope = (startupMain: number) => round(startupMain - modulesOnly.startup_main_thread_cpu_ms, 1);
    const mine = by('tree').result;
    cpu = { ...mine, global_scope_cpu_ms: globalScope(mine.startup_main_thread_cpu_ms), cpu_ms_per_request: perRequest.tree };
    constant = { ...k, cpu_ms_per_request: perRequest.constant, modules_only_startup_main_thread_cpu_ms: modulesOnly.startup_main_thread_cpu_ms };
    if (BASELINE) {
      const theirs = by('baseline').result;
      baseline = { ref: BASELINE, ...theirs, global_scope_cpu_ms: globalScope(theirs.startup_main_thread_cpu_ms), cpu_ms_per_request: perRequest.baseline };
    }
    log(
      `script parse + global scope (isolate thread's start-up beyond a worker with the same wasm and model modules, ${modulesOnly.startup_main_thread_cpu_ms} ms, and no code): ${cpu.global_scope_cpu_ms} ms${baseline ? `, baseline ${baseline.global_scope_cpu_ms} ms` : ''}`,
    );
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
