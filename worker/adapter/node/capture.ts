/**
 * Capture on Node: the SQLite buffer file (fsynced before a 202) and a ledger in the same file,
 * so several processes (node:cluster) share one rate-limit window and one flusher; plus an
 * unref'd timer asking for a 'schedule' flush every FLUSH_INTERVAL_S.
 */
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { CaptureRecord } from '../../../shared/feedback-record';
import { createCapture, type Capture } from '../../capture/capture';
import { SqliteRecordBuffer } from './sqlite-buffer';
import { SqliteFlushLedger } from './sqlite-ledger';
import type { Logger } from '../../logger';
import { logFlush } from '../../capture/log-flush';
import { type CaptureConfig } from '../../../shared/settings';

export const DEFAULT_CAPTURE_DB_PATH = '.data/capture.sqlite';
const GATHER_MS = 50;

export interface NodeCapture {
  capture: Capture;
  /** Stops the timer and closes the file (pending appends are written first). */
  close(): void;
}

export interface NodeCaptureOptions {
  path?: string;
  config: CaptureConfig;
  log: Logger;
  fetch?: typeof globalThis.fetch;
}

/**
 * startNodeCapture, or why the buffer cannot be used (a folder, a file that is not SQLite, a
 * folder nobody may write to): the server then serves predictions and answers feedback with 503.
 */
export function openNodeCapture(options: NodeCaptureOptions): { capture: NodeCapture; error: null } | { capture: null; error: string } {
  const file = resolve(options.path ?? DEFAULT_CAPTURE_DB_PATH);
  try {
    return { capture: startNodeCapture(options), error: null };
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException;
    const isFolder = code !== 'ENOENT' && existsSync(file) && statSync(file).isDirectory();
    const why = isFolder ? 'it is a folder; CAPTURE_DB_PATH names the SQLite file' : code === 'EACCES' ? `${message} (the server runs as uid ${process.getuid?.()})` : message;
    return { capture: null, error: `the feedback buffer ${file} cannot be used: ${why}` };
  }
}

export function startNodeCapture({ path = DEFAULT_CAPTURE_DB_PATH, config, log, fetch }: NodeCaptureOptions): NodeCapture {
  const file = resolve(path);
  makeFolders(dirname(file));
  const buffer = new SqliteRecordBuffer(file);
  let ledger: SqliteFlushLedger;
  try {
    ledger = new SqliteFlushLedger(file, config.hub?.repo.name ?? 'hub');
  } catch (error) {
    buffer.close();
    throw error;
  }
  // Low-confidence records: one append (one transaction, one fsync) per GATHER_MS instead of one
  // per event-loop turn, so logging costs the prediction path almost nothing under load.
  let gathered: { records: CaptureRecord[]; done: Promise<void> } | null = null;
  const acceptSoon = (records: readonly CaptureRecord[]): Promise<void> => {
    if (!gathered) {
      const batch: { records: CaptureRecord[]; done: Promise<void> } = { records: [], done: Promise.resolve() };
      batch.done = new Promise<void>((resolve) => setTimeout(resolve, GATHER_MS)).then(() => {
        if (gathered !== batch) return; // close() wrote it
        gathered = null;
        return buffer.append(batch.records);
      });
      gathered = batch;
    }
    gathered.records.push(...records);
    return gathered.done;
  };
  const capture = createCapture({ buffer, ledger, config, acceptSoon, fetch });
  const timer = setInterval(() => {
    capture.scheduler.maybeFlush('schedule').then((outcome) => logFlush(log, outcome));
  }, config.intervalMs);
  timer.unref();
  return {
    capture,
    close() {
      clearInterval(timer);
      if (gathered) void buffer.append(gathered.records).catch(() => undefined); // written by close() below
      gathered = null;
      buffer.close();
      ledger.close();
    },
  };
}

/**
 * mkdir -p without `recursive: true`: Node's recursive mkdir never returns for a folder under
 * /proc (mkdir says ENOENT, so it creates the parent, which exists, and tries again).
 */
function makeFolders(folder: string): void {
  const missing: string[] = [];
  for (let dir = folder; !existsSync(dir); dir = dirname(dir)) {
    missing.unshift(dir);
    if (dirname(dir) === dir) break;
  }
  for (const dir of missing) mkdirSync(dir);
}
