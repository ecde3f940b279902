/**
 * When the Hub model provider looks for a new version, and what its checks did: a check is due
 * `intervalMs` after a successful one (or one that refused a version for its content), and after
 * a failure to reach or read the Hub it backs off like the capture flush (shared/backoff.ts).
 * It also keeps the provider to one load or check at a time: a job that runs longer than
 * `abandonAfterMs` is forgotten, and its result, should it ever arrive, is discarded.
 * Timer-free: the caller asks (maybeCheck) and passes the clock.
 */
import { backoffDelay } from '../../shared/backoff';

export interface CheckSchedulerOptions {
  intervalMs: number;
  maxBackoffMs: number;
  /** 0..1 share of a backoff delay taken off at random. */
  jitter: number;
  abandonAfterMs: number;
  now: () => number;
  random: () => number;
}

export class CheckScheduler {
  checks = 0;
  lastCheckAt: number | null = null;
  /** Why the last check failed or refused a version; null after a successful one. */
  lastError: string | null = null;
  failures = 0;
  private nextCheckAt = 0;
  private generation = 0;
  private jobStartedAt = 0;

  constructor(private readonly options: CheckSchedulerOptions) {}

  /** Milliseconds until the next check is due (0: due now). */
  msUntilDue(): number {
    return Math.max(0, this.nextCheckAt - this.options.now());
  }

  /** A Hub check starts now. */
  started(): void {
    this.lastCheckAt = this.options.now();
    this.checks += 1;
  }

  succeeded(): void {
    this.settle(null);
  }

  /** The Hub answered, but with a version refused for its content: no backoff, the next check in one interval. */
  refused(reason: string): void {
    this.settle(reason);
  }

  /** The Hub could not be reached or read: the next check waits intervalMs x 2^(failures - 1), capped, jittered. Returns that wait. */
  failed(reason: string): number {
    this.failures += 1;
    this.lastError = reason;
    const { intervalMs, maxBackoffMs, jitter, random, now } = this.options;
    const wait = backoffDelay(this.failures, { baseMs: intervalMs, capMs: maxBackoffMs, jitter }, random);
    this.nextCheckAt = now() + wait;
    return wait;
  }

  /** A load or check starts; the function returned says whether a newer one (or abandonment) has since made it stale. */
  beginJob(): () => boolean {
    const generation = ++this.generation;
    this.jobStartedAt = this.options.now();
    return () => generation !== this.generation;
  }

  /** If a job is `running` for longer than abandonAfterMs, makes it stale and returns when it started. */
  abandonStaleJob(running: boolean): Date | null {
    if (!running || this.options.now() - this.jobStartedAt <= this.options.abandonAfterMs) return null;
    this.generation += 1;
    return new Date(this.jobStartedAt);
  }

  private settle(error: string | null): void {
    this.failures = 0;
    this.lastError = error;
    this.nextCheckAt = this.options.now() + this.options.intervalMs;
  }
}
