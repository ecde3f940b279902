/**
 * The Node server (1 process, as the Dockerfile runs it) beside the Python reference of the seed
 * plan (FastAPI + uvicorn + scikit-learn, `../shared/reference/python-seed`), driven by the same
 * requests (its `wrk_sentiment.lua`) in interleaved rounds: Node, Python, Node, Python, … so that
 * both see the same machine. Per round: requests/s, latency p50/p99 and the server's CPU per
 * request (every thread, /proc schedstat). `npm run bench:serve` runs it as the part
 * `python-reference`; alone:
 *
 *   node --import tsx worker/bench/python-reference.ts --python-dir DIR [--rounds 3] [--duration 5]
 *
 * DIR holds app.py, wrk_sentiment.lua and a trained model.joblib (see the reference's README:
 * Debian's python3-fastapi, python3-uvicorn, python3-sklearn, python3-uvloop, python3-httptools
 * and wrk). Prints one JSON object on stdout; exits 2 when Python or wrk is missing.
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { exitOnHelp } from './lib/cli';
import { buildNodeBundle, dockerfileNodeFlags } from './lib/node-bundle';
import { cpuNs, freePort, sleep, spawnGroup, type Spawned } from './lib/procs';

exitOnHelp(`
node --import tsx worker/bench/python-reference.ts --python-dir DIR [--rounds 3] [--duration 5]

Node (1 process) beside the Python reference (FastAPI + uvicorn + scikit-learn) in interleaved wrk
rounds. DIR holds app.py, wrk_sentiment.lua and a trained model.joblib (see its README).
Prints one JSON object on stdout; exits 2 (with {"skipped"}) when Python, its packages, the model or wrk are missing.
`);
const args = process.argv.slice(2);
const value = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const PYTHON_DIR = value('--python-dir');
const ROUNDS = Number(value('--rounds') ?? 3);
const DURATION = Number(value('--duration') ?? 5);
const CONNECTIONS = 32;
const PYTHON = '/usr/bin/python3';
const ROOT = new URL('../../', import.meta.url).pathname;

function missing(): string | null {
  if (!PYTHON_DIR) return '--python-dir is not set';
  if (!existsSync(join(PYTHON_DIR, 'model.joblib'))) return `${PYTHON_DIR}/model.joblib is missing (train it: see the reference's README)`;
  try {
    execFileSync(PYTHON, ['-c', 'import fastapi, uvicorn, sklearn, joblib'], { stdio: 'ignore' });
  } catch {
    return `${PYTHON} lacks fastapi, uvicorn or scikit-learn (apt-get install python3-fastapi python3-uvicorn python3-sklearn)`;
  }
  try {
    execFileSync('wrk', ['--version'], { stdio: 'ignore' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'wrk is not installed (apt-get install wrk)';
  }
  return null;
}

async function waitHealthy(url: string, server: Spawned): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (server.hasExited()) throw new Error(`server exited:\n${server.tail()}`);
    try {
      if ((await fetch(`${url}/health`)).ok) return;
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  throw new Error(`${url} never became healthy:\n${server.tail()}`);
}

interface Round {
  server: 'node' | 'python';
  endpoint: string;
  requests_per_s: number;
  p50_ms: number;
  p99_ms: number;
  errors: number;
  cpu_us_per_request: number;
}

async function wrk(server: 'node' | 'python', pid: number, url: string, endpoint: 'health' | 'batch'): Promise<Round> {
  const [path, mode] = endpoint === 'health' ? ['/health', ['get']] : ['/v1/sentiment/batch', ['batch', '100']];
  const cpu0 = cpuNs(pid)!;
  const { stdout } = await promisify(execFile)('wrk', ['-t2', `-c${CONNECTIONS}`, `-d${DURATION}s`, '-s', join(PYTHON_DIR!, 'wrk_sentiment.lua'), `${url}${path}`, '--', ...mode], {
    timeout: (DURATION + 60) * 1000,
  });
  const cpu = (cpuNs(pid)! - cpu0) / 1e3;
  const line = stdout.split('\n').find((l) => l.startsWith('WRKJSON '));
  if (!line) throw new Error(`wrk printed no WRKJSON line:\n${stdout}`);
  const r = JSON.parse(line.slice(8)) as Record<string, number>;
  const errors = r.err_connect + r.err_read + r.err_write + r.err_status + r.err_timeout;
  return {
    server,
    endpoint,
    requests_per_s: Math.round(r.requests / (r.duration_us / 1e6)),
    p50_ms: r.lat_p50_us / 1000,
    p99_ms: r.lat_p99_us / 1000,
    errors,
    cpu_us_per_request: Math.round(cpu / r.requests),
  };
}

const reason = missing();
if (reason) {
  console.log(JSON.stringify({ skipped: reason }));
  process.exit(2);
}

const scratch = await mkdtemp(join(tmpdir(), 'bench-python-ref-'));
const servers: Spawned[] = [];
try {
  const bundle = buildNodeBundle(ROOT, `${ROOT}node_modules/.cache/bench-serve`);
  const nodePort = await freePort();
  const node = spawnGroup(process.execPath, [...dockerfileNodeFlags(ROOT), bundle], {
    env: { ...process.env, PORT: String(nodePort), HOST: '127.0.0.1', CAPTURE_DB_PATH: join(scratch, 'capture.sqlite'), MODEL_DIR: 'worker/model', HF_TOKEN: '', HF_DATASET_REPO: '' },
  });
  servers.push(node);
  const pyPort = await freePort();
  const python = spawnGroup(PYTHON, ['-m', 'uvicorn', 'app:app', '--host', '127.0.0.1', '--port', String(pyPort), '--workers', '1', '--loop', 'uvloop', '--http', 'httptools', '--no-access-log'], {
    cwd: PYTHON_DIR,
  });
  servers.push(python);
  const targets = { node: { pid: node.pid, url: `http://127.0.0.1:${nodePort}` }, python: { pid: python.pid, url: `http://127.0.0.1:${pyPort}` } };
  await waitHealthy(targets.node.url, node);
  await waitHealthy(targets.python.url, python);
  const rounds: Round[] = [];
  for (const endpoint of ['health', 'batch'] as const) {
    for (let i = 0; i < ROUNDS; i++) {
      for (const server of ['node', 'python'] as const) {
        const round = await wrk(server, targets[server].pid, targets[server].url, endpoint);
        rounds.push(round);
        console.error(`   ${server} ${endpoint}: ${round.requests_per_s} req/s, p50 ${round.p50_ms} ms, p99 ${round.p99_ms} ms, ${round.cpu_us_per_request} µs CPU/request, ${round.errors} errors`);
      }
    }
  }
  const sum = (server: string, endpoint: string, key: 'requests_per_s' | 'cpu_us_per_request') => {
    const xs = rounds.filter((r) => r.server === server && r.endpoint === endpoint).map((r) => r[key]);
    return xs.reduce((a, b) => a + b, 0) / xs.length;
  };
  const nodeBatch = rounds.filter((r) => r.server === 'node' && r.endpoint === 'batch');
  console.log(
    JSON.stringify({
      rounds,
      health_rps_ratio: sum('node', 'health', 'requests_per_s') / sum('python', 'health', 'requests_per_s'),
      health_cpu_us: { node: sum('node', 'health', 'cpu_us_per_request'), python: sum('python', 'health', 'cpu_us_per_request') },
      node_batch_100_p99_over_p50: Math.max(...nodeBatch.map((r) => r.p99_ms / r.p50_ms)),
    }),
  );
} finally {
  for (const server of servers) await server.stop();
  await rm(scratch, { recursive: true, force: true });
}
