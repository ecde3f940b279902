/**
 * The monitoring counters of one process (Node) or isolate (workerd): routes increment them in
 * memory; flush() adds what was counted to the store (at most every `flushIntervalMs`, on a timer
 * on Node and after responses on workerd), and rolls old minutes up into hours about once an hour.
 * snapshot() flushes this process's own counts first, then reads the store: numbers from other
 * processes or isolates appear once they have flushed.
 */
import type { CaptureStatus } from '../capture/flush-scheduler';
import { checkServingAlerts, type AlertSummary } from './alerts';
import { addCounts, emptyCounts, MinuteCounters, minuteOf, type Counts } from './counters';
import type { BucketCounts, MetricsStore } from './metrics-store';
import { type AlertPolicy } from './alert-policy';

const HOUR_MINUTES = 60;
const ROLLUP_EVERY_MS = 3_600_000;
const ALERTS_MAX_AGE_MS = 60_000;

export interface WindowTotals extends Counts {
  /** low_confidence / predictions; null without predictions. */
  low_confidence_share: number | null;
  /** disagreements / feedback; null without feedback. */
  disagreement_share: number | null;
}

export interface MetricsSnapshot {
  generated_at: string;
  /** Where the counters are kept: sqlite (Node), d1 (workerd), memory (no database: this process only). */
  store: string;
  low_confidence_threshold: number;
  windows: { last_24h: WindowTotals; last_7d: WindowTotals };
  /** Hourly, oldest first, the current (partial) hour last; hours without traffic are zeros. */
  series: Array<{ start: string } & Counts>;
  /** Per model version over the last 7 days, newest version first. */
  by_model_version: Array<{ model_version: string } & WindowTotals>;
  alerts: AlertSummary;
  capture: CaptureStatus | null;
}

export interface MetricsOptions {
  store: MetricsStore;
  policy: AlertPolicy;
  /** Predictions under this top probability count as low-confidence (LOW_CONFIDENCE_THRESHOLD). */
  lowConfidenceThreshold: number;
  flushIntervalMs: number;
  minuteRetentionMs: number;
  hourRetentionMs: number;
  now?: () => number;
}

export class Metrics {
  readonly counters = new MinuteCounters();
  private lastFlush: number;
  private lastRollup = 0;
  private flushing: Promise<void> | null = null;
  private alerts: { at: number; summary: AlertSummary } | null = null;
  private readonly now: () => number;

  constructor(private readonly options: MetricsOptions) {
    this.now = options.now ?? Date.now;
    this.lastFlush = this.now();
  }

  get store(): MetricsStore {
    return this.options.store;
  }

  get lowConfidenceThreshold(): number {
    return this.options.lowConfidenceThreshold;
  }

  /** Cheap and synchronous: whether counts wait and the interval has passed. */
  flushDue(now = this.now()): boolean {
    // workerd's clock reads 0 in the global scope, where the isolate's Metrics is built: the
    // interval then starts at the first request (instead of a flush in that request).
    if (this.lastFlush === 0) this.lastFlush = now;
    return this.counters.pending && now - this.lastFlush >= this.options.flushIntervalMs;
  }

  /** Adds the counts gathered so far to the store (one at a time); on failure they are kept for the next flush. */
  flush(): Promise<void> {
    const run = (this.flushing ?? Promise.resolve()).then(async () => {
      const now = this.now();
      this.lastFlush = now;
      const rows = this.counters.drain();
      try {
        await this.options.store.add(rows);
      } catch (error) {
        this.counters.restore(rows);
        throw error;
      }
      if (now - this.lastRollup >= ROLLUP_EVERY_MS) {
        this.lastRollup = now;
        const { minuteRetentionMs, hourRetentionMs } = this.options;
        // Cut at an hour boundary, so an hour is never split between the two tables by a rollup.
        await this.options.store.rollup(Math.floor(minuteOf(now - minuteRetentionMs) / HOUR_MINUTES) * HOUR_MINUTES, minuteOf(now - hourRetentionMs));
      }
    });
    this.flushing = run.catch(() => undefined);
    return run;
  }

  /** The alert check over the policy's window, recomputed at most once a minute (for /health). */
  async alertSummary(): Promise<AlertSummary> {
    const now = this.now();
    if (this.alerts && now - this.alerts.at < ALERTS_MAX_AGE_MS) return this.alerts.summary;
    return (await this.snapshot()).alerts;
  }

  async snapshot(capture: CaptureStatus | null = null): Promise<MetricsSnapshot> {
    await this.flush();
    const now = this.now();
    const currentHour = Math.floor(minuteOf(now) / HOUR_MINUTES) * HOUR_MINUTES;
    const hours = Math.max(7 * 24, Math.ceil(this.options.policy.window_days * 24));
    const since = currentHour - (hours - 1) * HOUR_MINUTES;
    const rows = await this.options.store.series(since, HOUR_MINUTES);

    const series = Array.from({ length: hours }, (_, i) => ({ start: new Date((since + i * HOUR_MINUTES) * 60_000).toISOString(), ...emptyCounts() }));
    for (const row of rows) {
      const i = (row.bucket - since) / HOUR_MINUTES;
      if (i >= 0 && i < hours) addCounts(series[i], row);
    }
    const within = (h: number) => rows.filter((row) => row.bucket > currentHour - h * HOUR_MINUTES);
    const alertWindow = totals(within(this.options.policy.window_days * 24));
    const summary = checkServingAlerts(alertWindow, this.options.policy, this.options.lowConfidenceThreshold);
    this.alerts = { at: now, summary };

    const last7d = within(7 * 24);
    const versions = [...new Set(last7d.map((row) => row.model_version))].sort(byVersionDesc);
    return {
      generated_at: new Date(now).toISOString(),
      store: this.options.store.kind,
      low_confidence_threshold: this.options.lowConfidenceThreshold,
      windows: { last_24h: totals(within(24)), last_7d: totals(last7d) },
      series: series.slice(-7 * 24),
      by_model_version: versions.map((model_version) => ({ model_version, ...totals(last7d.filter((row) => row.model_version === model_version)) })),
      alerts: summary,
      capture,
    };
  }
}

function totals(rows: readonly BucketCounts[]): WindowTotals {
  const sum = emptyCounts();
  for (const row of rows) addCounts(sum, row);
  return {
    ...sum,
    low_confidence_share: sum.predictions > 0 ? sum.low_confidence / sum.predictions : null,
    disagreement_share: sum.feedback > 0 ? sum.disagreements / sum.feedback : null,
  };
}

/** v10 before v9 before v1; anything else after, by name. */
function byVersionDesc(a: string, b: string): number {
  const n = (v: string) => (/^v\d+$/.test(v) ? Number(v.slice(1)) : -1);
  return n(b) - n(a) || a.localeCompare(b);
}
