/**
 * Decides whether a flush may run now, runs at most one at a time, and remembers how it went.
 * Runtime-neutral and timer-free: the caller decides when to ask (a Cron Trigger or waitUntil
 * on workerd, setInterval on Node) and passes the clock. maybeFlush never throws, so it can be
 * handed to waitUntil as is.
 *
 * Limits, in order: backoff after failures (exponential, jittered, capped), at most
 * `maxCommitsPerHour` commits in any sliding hour (the Hub allows ~128/h per repo), nothing to
 * do, and a lease so two isolates sharing one D1 ledger never flush together.
 */
import { backoffDelay } from '../../shared/backoff';
import type { FlushResult } from './hub-flusher';
import { emptyFlushState, MemoryFlushLedger, type FlushLedger, type FlushState } from './flush-ledger';
import { describeError } from './redact';
import type { RecordBuffer } from './record-buffer';

export type FlushReason = 'schedule' | 'size';

export interface FlushSchedulerOptions {
  buffer: RecordBuffer;
  /** One flush, e.g. `() => flushOnce({ buffer, hub, maxRecords })`. */
  flush: () => Promise<FlushResult>;
  now?: () => number;
  /** Default 60. */
  maxCommitsPerHour?: number;
  /** First retry delay after a failure (default 10 s); doubles per consecutive failure. */
  backoffBaseMs?: number;
  /** Longest retry delay (default 15 min). */
  backoffCapMs?: number;
  /** A 'size' request only flushes once this many records wait (default 1: any). */
  sizeThreshold?: number;
  /** How long a flusher may hold the lease (default 5 min; must exceed the flush timeout). */
  leaseMs?: number;
  /** Shared state (D1FlushLedger on workerd). Default: this process's memory. */
  ledger?: FlushLedger;
  /** Strings never to show in errors (HF_TOKEN). hf_… tokens are redacted anyway. */
  secrets?: readonly string[];
  /** For tests: jitter source in [0, 1). */
  random?: () => number;
}

export type SkipCause = 'busy' | 'backoff' | 'rate_limited' | 'empty' | 'below_threshold' | 'leased';

export type FlushOutcome =
  | { status: 'flushed'; reason: FlushReason; records: number; commit: string | null; ms: number }
  | { status: 'skipped'; reason: FlushReason; cause: SkipCause; next_attempt_at: string | null }
  | { status: 'failed'; reason: FlushReason; error: string; next_attempt_at: string };

/** What /health shows about capture. Times are ISO strings. */
export interface CaptureStatus {
  /** Records waiting (the buffer's cheap estimate; null if the buffer could not be read). */
  depth: number | null;
  last_flush_at: string | null;
  last_flush_records: number | null;
  last_error: string | null;
  last_error_at: string | null;
  next_attempt_at: string | null;
  commits_last_hour: number;
  consecutive_failures: number;
  flushing: boolean;
}

const HOUR = 3_600_000;

export class FlushScheduler {
  private readonly now: () => number;
  private readonly ledger: FlushLedger;
  private readonly maxPerHour: number;
  private readonly holder = `flusher-${crypto.randomUUID()}`;
  private inFlight: Promise<FlushOutcome> | null = null;

  constructor(private readonly options: FlushSchedulerOptions) {
    this.now = options.now ?? Date.now;
    this.ledger = options.ledger ?? new MemoryFlushLedger();
    this.maxPerHour = options.maxCommitsPerHour ?? 60;
    if (!Number.isInteger(this.maxPerHour) || this.maxPerHour < 1) throw new RangeError('maxCommitsPerHour must be a positive integer');
  }

  /** Flush now if the limits allow; otherwise say why not. Concurrent calls get 'busy'. */
  maybeFlush(reason: FlushReason): Promise<FlushOutcome> {
    if (this.inFlight) return Promise.resolve({ status: 'skipped', reason, cause: 'busy', next_attempt_at: null });
    const run = this.attempt(reason).catch((err): FlushOutcome => {
      // Only the ledger or the buffer's depth estimate can get here (flush errors are handled inside).
      const error = describeError(err, this.options.secrets);
      return { status: 'failed', reason, error, next_attempt_at: new Date(this.now()).toISOString() };
    });
    this.inFlight = run.finally(() => {
      this.inFlight = null;
    });
    return this.inFlight;
  }

  async status(): Promise<CaptureStatus> {
    const [state, depth] = await Promise.all([this.ledger.load().catch(() => emptyFlushState()), this.options.buffer.depthEstimate().catch(() => null)]);
    const now = this.now();
    const commits = recent(state.commits, now);
    const next = this.nextAllowed(state, commits, now);
    const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString());
    return {
      depth,
      last_flush_at: iso(state.last_flush_at),
      last_flush_records: state.last_flush_records,
      last_error: state.last_error,
      last_error_at: iso(state.last_error_at),
      next_attempt_at: iso(next),
      commits_last_hour: commits.length,
      consecutive_failures: state.failures,
      flushing: this.inFlight !== null,
    };
  }

  private async attempt(reason: FlushReason): Promise<FlushOutcome> {
    const skip = (cause: SkipCause, next: number | null = null): FlushOutcome => ({
      status: 'skipped',
      reason,
      cause,
      next_attempt_at: next === null ? null : new Date(next).toISOString(),
    });

    // Cheap checks first: a 'size' request may come with every append.
    const blocked = this.blocked(await this.ledger.load(), this.now());
    if (blocked) return skip(blocked.cause, blocked.until);
    const depth = await this.options.buffer.depthEstimate(); // cheap: this may run on every request
    if (depth === 0) return skip('empty');
    if (reason === 'size' && depth < (this.options.sizeThreshold ?? 1)) return skip('below_threshold');

    if (!(await this.ledger.acquire(this.holder, this.now(), this.options.leaseMs ?? 5 * 60_000))) return skip('leased');
    try {
      // Re-read under the lease: another isolate may have just flushed or failed.
      const state = await this.ledger.load();
      const again = this.blocked(state, this.now());
      if (again) return skip(again.cause, again.until);
      return await this.flushAndRecord(reason, state);
    } finally {
      await this.ledger.release(this.holder).catch(() => undefined); // expires anyway
    }
  }

  private async flushAndRecord(reason: FlushReason, state: FlushState): Promise<FlushOutcome> {
    const started = this.now();
    let result: FlushResult;
    try {
      result = await this.options.flush();
    } catch (err) {
      const end = this.now();
      const failures = state.failures + 1;
      const retryAt = end + this.backoff(failures);
      // A commit that landed before the failure (remove() failed) still used a rate-limit slot.
      const committed = typeof err === 'object' && err !== null && (err as { committed?: unknown }).committed === true;
      const error = describeError(err, this.options.secrets);
      await this.ledger.save({
        ...state,
        commits: committed ? [...recent(state.commits, end), end] : recent(state.commits, end),
        failures,
        retry_at: retryAt,
        last_error: error,
        last_error_at: end,
      });
      return { status: 'failed', reason, error, next_attempt_at: new Date(retryAt).toISOString() };
    }
    // Outside the try above: if saving fails now, the flush still happened and must not count as a failure.
    const end = this.now();
    const flushed = result.records > 0;
    await this.ledger.save({
      ...state,
      commits: flushed ? [...recent(state.commits, end), end] : recent(state.commits, end),
      failures: 0,
      retry_at: null,
      last_flush_at: flushed ? end : state.last_flush_at,
      last_flush_records: flushed ? result.records : state.last_flush_records,
    });
    if (!flushed) return { status: 'skipped', reason, cause: 'empty', next_attempt_at: null };
    return { status: 'flushed', reason, records: result.records, commit: result.commit, ms: end - started };
  }

  /** Why no flush may start at `now`, and until when. */
  private blocked(state: FlushState, now: number): { cause: SkipCause; until: number } | null {
    if (state.retry_at !== null && state.retry_at > now) return { cause: 'backoff', until: state.retry_at };
    const commits = recent(state.commits, now);
    if (commits.length >= this.maxPerHour) return { cause: 'rate_limited', until: commits[commits.length - this.maxPerHour] + HOUR };
    return null;
  }

  /** The earliest time a flush would be allowed (null: now). */
  private nextAllowed(state: FlushState, commits: number[], now: number): number | null {
    const times: number[] = [];
    if (state.retry_at !== null && state.retry_at > now) times.push(state.retry_at);
    if (commits.length >= this.maxPerHour) times.push(commits[commits.length - this.maxPerHour] + HOUR);
    return times.length ? Math.max(...times) : null;
  }

  /** "Equal jitter": half the exponential delay fixed, half random, so retries spread but never bunch at 0. */
  private backoff(failures: number): number {
    const policy = { baseMs: this.options.backoffBaseMs ?? 10_000, capMs: this.options.backoffCapMs ?? 15 * 60_000, jitter: 0.5 };
    return backoffDelay(failures, policy, this.options.random);
  }
}

/** Commit times still inside the sliding hour. */
function recent(commits: readonly number[], now: number): number[] {
  return commits.filter((t) => t > now - HOUR);
}
