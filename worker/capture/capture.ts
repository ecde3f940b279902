/**
 * Wires the parts for a runtime: the caller brings a buffer (SQLite on Node, D1 on workerd) and,
 * on workerd, a D1 ledger; gets back what routes and timers need. Routes call `accept` (durable
 * before it resolves, then answer 202) and hand `maybeFlush('size')` to waitUntil; the Node
 * entry runs `maybeFlush('schedule')` every `config.intervalMs`, workerd's scheduled() handler
 * does the same on its cron.
 *
 * Ledger: pass a D1FlushLedger on workerd and a SqliteFlushLedger (same file as the buffer) on
 * Node whenever more than one process uses the file (node:cluster). Without a shared ledger each
 * process flushes the same oldest records: measured with 3 processes, 2,720 lines for 1,000 records.
 */
import type { CaptureRecord } from '../../shared/feedback-record';
import type { FlushLedger } from './flush-ledger';
import { FlushScheduler } from './flush-scheduler';
import { FlushError, flushOnce, type FlushOptions, type FlushResult } from './hub-flusher';
import type { RecordBuffer } from './record-buffer';
import { type CaptureConfig } from '../../shared/settings';

export interface Capture {
  buffer: RecordBuffer;
  scheduler: FlushScheduler;
  /** Store records durably; resolves once they would survive a crash. */
  accept(records: readonly CaptureRecord[]): Promise<void>;
  /** For records nobody waits on (low-confidence logging); `accept` unless the runtime gathers them. */
  acceptSoon(records: readonly CaptureRecord[]): Promise<void>;
}

export interface CaptureOptions {
  buffer: RecordBuffer;
  config: CaptureConfig;
  ledger?: FlushLedger;
  /**
   * How the runtime stores records nobody waits on: it may gather them for a few milliseconds and
   * append them together (one fsync for many requests on Node). Default: append at once.
   */
  acceptSoon?: (records: readonly CaptureRecord[]) => Promise<void>;
  /** Passed on to `flush` (Hub calls). */
  fetch?: typeof fetch;
  now?: () => number;
  /** What one flush does; default flushOnce (a commit to the dataset repo). Tests and runtimes may bring their own. */
  flush?: (options: FlushOptions) => Promise<FlushResult>;
}

export function createCapture(options: CaptureOptions): Capture {
  const { buffer, config, flush = flushOnce } = options;
  const hub = config.hub;
  const scheduler = new FlushScheduler({
    buffer,
    ledger: options.ledger,
    now: options.now,
    maxCommitsPerHour: config.maxCommitsPerHour,
    sizeThreshold: config.sizeThreshold,
    backoffBaseMs: config.backoffBaseMs,
    backoffCapMs: config.backoffCapMs,
    leaseMs: config.timeoutMs + 60_000,
    secrets: hub ? [hub.accessToken] : [],
    flush: hub
      ? () => flush({ buffer, hub, maxRecords: config.maxRecords, fetch: options.fetch, now: options.now, timeoutMs: config.timeoutMs })
      : async () => {
          throw new FlushError('capture is not configured: set HF_TOKEN and HF_DATASET_REPO (records are kept until then)', false);
        },
  });
  const accept = (records: readonly CaptureRecord[]) => buffer.append(records);
  return { buffer, scheduler, accept, acceptSoon: options.acceptSoon ?? accept };
}
