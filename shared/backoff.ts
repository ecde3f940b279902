/**
 * Exponential backoff with jitter, for retries against the Hub: the model version check
 * (worker/model-provider/check-scheduler.ts) and the capture flush (worker/capture/flush-scheduler.ts).
 * Jitter keeps isolates and processes that failed together from retrying in step.
 */
export interface BackoffPolicy {
  /** Delay after the first failure; doubles per consecutive failure. */
  baseMs: number;
  /** Longest delay. */
  capMs: number;
  /** 0..1: share of the delay that is random (0.5: "equal jitter", half fixed, half random). */
  jitter: number;
}

/** Milliseconds to wait after `failures` (≥ 1) consecutive failures: d = min(cap, base·2^(failures−1)), waited in [(1 − jitter)·d, d]. */
export function backoffDelay(failures: number, { baseMs, capMs, jitter }: BackoffPolicy, random: () => number = Math.random): number {
  const delay = Math.min(capMs, baseMs * 2 ** Math.min(Math.max(failures, 1) - 1, 30));
  return Math.round(delay * (1 - jitter + jitter * random()));
}
