/**
 * Capture on workerd: the CAPTURE_DB D1 binding holds the buffer and the flush ledger, so every
 * isolate shares one rate-limit window, one backoff and one flusher at a time. Flushes run from
 * the Cron Trigger (scheduled() in index.ts) and, on size, after responses (waitUntil).
 */
import { createCapture, type Capture } from '../../capture/capture';
import { D1RecordBuffer, type D1Like } from './d1-buffer';
import { D1FlushLedger } from './d1-ledger';
import { type CaptureConfig } from '../../../shared/settings';

/** null without the binding: feedback then answers 503 and low-confidence logging is off. */
export function workerdCapture(db: D1Like | undefined, config: CaptureConfig): Capture | null {
  if (!db) return null;
  return createCapture({ buffer: new D1RecordBuffer(db), ledger: new D1FlushLedger(db, config.hub?.repo.name ?? 'hub'), config });
}
