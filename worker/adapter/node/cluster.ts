/**
 * Several Node processes behind one port (node:cluster): the primary forks `workers` processes,
 * each runs the whole server with its own model (ORT runs on the calling thread, so one process
 * uses one core), and the primary hands connections out round-robin. A worker that dies is
 * replaced, unless the server is shutting down or workers keep dying right after start.
 */
import cluster from 'node:cluster';
import type { Logger } from '../../logger';

export interface ClusterOptions {
  workers: number;
  log: Logger;
}

const CRASH_WINDOW_MS = 10_000;

/** A worker exits with this when its settings are invalid: retrying cannot help. */
export const EXIT_INVALID_SETTINGS = 78; // EX_CONFIG

/** The primary: forks the workers and replaces those that die. Loads none of the app itself. */
export function runClusterPrimary({ workers, log }: ClusterOptions): void {
  let stopping = false;
  const recentCrashes: number[] = [];
  const fork = () => cluster.fork();
  for (let i = 0; i < workers; i++) fork();

  cluster.on('exit', (worker, code, signal) => {
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
      return;
    }
    if (code === EXIT_INVALID_SETTINGS) {
      stopping = true; // the worker has said why; the others would only say it again
      for (const other of Object.values(cluster.workers ?? {})) other?.process.kill('SIGTERM');
      process.exit(EXIT_INVALID_SETTINGS);
    }
    const now = Date.now();
    recentCrashes.push(now);
    while (recentCrashes[0] < now - CRASH_WINDOW_MS) recentCrashes.shift();
    log('error', { msg: 'worker process exited', pid: worker.process.pid, code, signal });
    if (recentCrashes.length > workers * 2) {
      log('error', { msg: `worker processes keep exiting (${recentCrashes.length} in ${CRASH_WINDOW_MS / 1000} s); giving up` });
      process.exit(1);
    }
    fork();
  });

  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    log('info', { msg: `${signal}: stopping ${workers} worker processes` });
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill(signal);
    setTimeout(() => process.exit(0), 10_000).unref();
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}
