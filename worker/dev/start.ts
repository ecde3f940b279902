/**
 * `npm start` (workerd, wrangler dev) and `npm run dev:node` (the Node server): the service plus,
 * when no HF_ENDPOINT is set, the local Hub stand-in on 127.0.0.1:7861 (repos in .data/local-hub),
 * so feedback and low-confidence records reach a dataset repo (local/sentiment-feedback) with no
 * network and no account. Ctrl-C stops both.
 *
 *   npm start                       # wrangler dev on :8787 + local Hub
 *   npm start -- --port 8788        # extra arguments go to wrangler dev
 *   npm run dev:node                # the Node server on :7860 + local Hub
 *   HF_ENDPOINT=https://huggingface.co HF_TOKEN=hf_… HF_DATASET_REPO=me/feedback npm start   # the real Hub
 *   HF_MODEL_REPO=local/sentiment MAX_BATCH_TEXTS=64 npm start   # any documented setting is passed on
 *
 * Settings reach wrangler through a 0600 .env file (dev-settings.ts), never its command line, where
 * `ps` would show HF_TOKEN to every user; a .dev.vars file of yours is read first.
 *
 * wrangler dev does not fire Cron Triggers by itself: with --test-scheduled this launcher calls
 * /__scheduled every FLUSH_INTERVAL_S (60), which is what the cron does when deployed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { startLocalHub, type LocalHub } from '../../trainer/local-hub/server';
import { captureConfigFromEnv } from '../../shared/settings';
import { workerSettings, writePrivateEnvFile } from './dev-settings';

const HUB_PORT = 7861;
const LOCAL_HUB = {
  HF_ENDPOINT: `http://127.0.0.1:${HUB_PORT}`,
  HF_TOKEN: 'hf_local_dev_token',
  HF_DATASET_REPO: 'local/sentiment-feedback',
};

const log = (msg: string) => console.error(`[start] ${msg}`);

async function localHub(): Promise<{ hub: LocalHub | null; vars: Record<string, string> }> {
  if (process.env.HF_ENDPOINT) {
    log(`using the Hub at ${process.env.HF_ENDPOINT} (HF_ENDPOINT is set)`);
    return { hub: null, vars: {} };
  }
  try {
    const hub = await startLocalHub({ dir: '.data/local-hub', port: HUB_PORT, host: '127.0.0.1' });
    log(`local Hub stand-in on ${hub.url} (repos in .data/local-hub); feedback goes to the dataset ${LOCAL_HUB.HF_DATASET_REPO}`);
    return { hub, vars: LOCAL_HUB };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    log(`port ${HUB_PORT} is taken: assuming a local Hub already runs there (npm run hub:local)`);
    return { hub: null, vars: LOCAL_HUB };
  }
}

const USAGE = `usage: npm start [-- <wrangler dev flags>]     the API on workerd (wrangler dev, :8787)
       npm run dev:node                        the API on Node (:7860)

Both start the local Hub stand-in on 127.0.0.1:${HUB_PORT} unless HF_ENDPOINT is set, so feedback reaches a
dataset repo with no network and no account. Every documented setting in the environment is passed on
(see the README's Configuration). Ctrl-C stops both.`;

async function main(): Promise<void> {
  if (process.argv.includes('--help') || process.argv.includes('-h')) {
    console.log(USAGE);
    return;
  }
  const node = process.argv.includes('--node');
  const passThrough = process.argv.slice(2).filter((a) => a !== '--node');
  const { hub, vars } = await localHub();
  const quiet = { CLOUDFLARE_CF_FETCH_ENABLED: 'false', WRANGLER_SEND_METRICS: 'false' };

  let child: ChildProcess;
  let poke: NodeJS.Timeout | undefined;
  let envFile: { path: string; remove(): void } | undefined;
  if (node) {
    child = spawn(process.execPath, ['--import', 'tsx', 'worker/adapter/node/main.ts', ...passThrough], { stdio: 'inherit', env: { ...process.env, ...vars } });
  } else {
    const port = portArg(passThrough) ?? 8787;
    envFile = writePrivateEnvFile(workerSettings(process.env, vars));
    const ownVars = existsSync('.dev.vars') ? ['--env-file', '.dev.vars'] : []; // later files win
    const args = ['dev', '--test-scheduled', ...(portArg(passThrough) ? [] : ['--port', String(port)]), ...ownVars, '--env-file', envFile.path, ...passThrough];
    child = spawn(process.execPath, ['node_modules/wrangler/bin/wrangler.js', ...args], { stdio: 'inherit', env: { ...process.env, ...quiet } });
    const every = captureConfigFromEnv(process.env).intervalMs;
    poke = setInterval(() => {
      fetch(`http://127.0.0.1:${port}/__scheduled?cron=*+*+*+*+*`).catch(() => undefined);
    }, every);
  }

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    clearInterval(poke);
    if (child.exitCode === null) child.kill(signal);
    setTimeout(() => process.exit(1), 10_000).unref();
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  child.on('exit', async (code, signal) => {
    clearInterval(poke);
    envFile?.remove();
    await hub?.close();
    process.exit(code ?? (signal ? 0 : 1));
  });
}

function portArg(args: string[]): number | undefined {
  const i = args.findIndex((a) => a === '--port' || a.startsWith('--port='));
  if (i < 0) return undefined;
  return Number(args[i].includes('=') ? args[i].split('=')[1] : args[i + 1]);
}

await main();
