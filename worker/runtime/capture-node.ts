/**
 * Capture on Node: the SQLite buffer file (fsynced before a 202) and a ledger in the same file,
 * so several processes (node:cluster) share one rate-limit window and one flusher; plus an
 * unref'd timer asking for a 'schedule' flush every FLUSH_INTERVAL_SECONDS.
 */
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { CaptureRecord } from '../../shared/feedback-record';
import { createCapture, type Capture } from '../capture/capture';
import type { CaptureConfig } from '../capture/config';
import { SqliteRecordBuffer } from '../capture/sqlite-buffer';
import { SqliteFlushLedger } from '../capture/sqlite-ledger';
import type { Logger } from '../logger';
import { logFlush } from './log-flush';

export const DEFAULT_CAPTURE_DB_PATH = '.data/capture.sqlite';
const GATHER_MS = 50;

export interface NodeCapture {
  capture: Capture;
  /** Stops the timer and closes the file (pending appends are written first). */
  close(): void;
}

export function startNodeCapture({ path = DEFAULT_CAPTURE_DB_PATH, config, log, fetch }: { path?: string; config: CaptureConfig; log: Logger; fetch?: typeof globalThis.fetch }): NodeCapture {
  const file = resolve(path);
  mkdirSync(dirname(file), { recursive: true });
  const buffer = new SqliteRecordBuffer(file);
  const ledger = new SqliteFlushLedger(file, config.hub?.repo.name ?? 'hub');
  const capture = createCapture({ buffer, ledger, config, fetch });
  // Low-confidence records: one append (one transaction, one fsync) per GATHER_MS instead of one
  // per event-loop turn, so logging costs the prediction path almost nothing under load.
  let gathered: { records: CaptureRecord[]; done: Promise<void> } | null = null;
  capture.acceptSoon = (records) => {
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
