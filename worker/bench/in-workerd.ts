/**
 * What one prediction costs inside workerd, piece by piece, without an HTTP server in front:
 * builds worker/bench/in-workerd/worker.ts with `wrangler deploy --dry-run`, serves it on bare
 * workerd, and for each piece asks the worker to repeat it n times in one request. The workerd
 * process's CPU time (utime + stime from /proc, background compile and GC threads included)
 * divided by n is the cost; each piece is warmed up, then measured 3 times, median reported.
 * Prints one JSON object: µs per op for featurize, ort_run (featurize + one ORT run), predict,
 * app_health and app_single (worker/app.ts's fetch, request logging off), app_single_explain (the
 * same with ?explain=true), predict_explain, support_100 (the language/support signal of
 * worker/support/text-support.ts on 100 validation tweets) and detect_10 (tinyld on 10 of them,
 * no shortcut). `--ops a,b` runs only those.
 *
 *   node --import tsx worker/bench/in-workerd.ts [--seconds 1] [--ops predict,predict_explain]
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildBundle, writeWorkerdConfig } from './lib/bundle';
import { CLOCK_TICKS_PER_SECOND, freePort, readStat, sleep } from './lib/procs';
import { benchTexts } from './lib/texts';
import { benchArgs } from './lib/cli';
import { workerdBinary } from './lib/workerd';

const ALL_OPS = ['featurize', 'ort_run', 'predict', 'predict_explain', 'app_health', 'app_single', 'app_single_explain', 'support_100', 'detect_10'] as const;
const CONFIG = 'worker/bench/in-workerd/wrangler.toml';

const flags = benchArgs(
  `
node --import tsx worker/bench/in-workerd.ts [--seconds 1] [--ops ${ALL_OPS.join(',')}]

What each piece of a prediction costs inside workerd (µs of workerd CPU per op), no HTTP.
Prints one JSON object on stdout.
`,
  { seconds: { type: 'string', default: '1' }, ops: { type: 'string', default: ALL_OPS.join(',') } },
);
const seconds = Number(flags.seconds);
if (!(seconds > 0 && seconds <= 30)) throw new Error(`--seconds ${flags.seconds} out of bounds (0, 30]`);
const OPS = flags.ops.split(',');

/** CPU seconds the process has used so far (all its threads). */
function cpuSeconds(pid: number): number {
  const stat = readStat(pid);
  if (!stat) throw new Error(`workerd (pid ${pid}) has exited`);
  return stat.cpuTicks / CLOCK_TICKS_PER_SECOND;
}

const outdir = await mkdtemp(join(tmpdir(), 'bench-in-workerd-'));
try {
  await buildBundle(outdir, CONFIG);
  const port = await freePort();
  const config = await writeWorkerdConfig({ outdir }, port, CONFIG);
  const workerd = spawn(workerdBinary(), ['serve', config], { stdio: 'ignore' });
  try {
    const { single, batch } = await benchTexts();
    const body = JSON.stringify({ text: single, batch });
    const url = (op: string, n: number) => `http://127.0.0.1:${port}/?op=${op}&n=${n}`;
    const run = async (op: string, n: number): Promise<number> => {
      const before = cpuSeconds(workerd.pid!);
      const response = await fetch(url(op, n), { method: 'POST', body });
      if (!response.ok) throw new Error(`${op}: HTTP ${response.status} ${await response.text()}`);
      return cpuSeconds(workerd.pid!) - before;
    };
    for (let attempt = 0; ; attempt++) {
      try {
        await run('predict', 1);
        break;
      } catch (error) {
        if (attempt > 100) throw error;
        await sleep(100);
      }
    }
    const result: Record<string, { us_per_op: number; runs_us: number[]; n: number }> = {};
    for (const op of OPS) {
      await run(op, 2000); // warm-up: JIT and ORT's wasm tiers
      const calibration = await run(op, 2000);
      const n = Math.max(1000, Math.round((2000 * seconds) / Math.max(calibration, 0.01)));
      const runs = [];
      for (let i = 0; i < 3; i++) runs.push(((await run(op, n)) / n) * 1e6);
      const sorted = [...runs].sort((a, b) => a - b);
      result[op] = { us_per_op: Math.round(sorted[1] * 10) / 10, runs_us: runs.map((r) => Math.round(r * 10) / 10), n };
      console.error(`   ${op}: ${result[op].us_per_op} µs (${result[op].runs_us.join(', ')})`);
    }
    console.log(JSON.stringify(result));
  } finally {
    workerd.kill('SIGKILL');
  }
} finally {
  await rm(outdir, { recursive: true, force: true });
}
