/**
 * Counters on workerd: one set per isolate, flushed into the CAPTURE_DB D1 database (shared by
 * every isolate) after a response once METRICS_FLUSH_S has passed, and on the per-minute Cron
 * Trigger; without the binding they stay in this isolate's memory. An isolate that is evicted
 * loses what it counted since its last flush (at most METRICS_FLUSH_S of its traffic).
 */
import type { D1Like } from './d1-buffer';
import type { Logger } from '../../logger';
import { D1MetricsStore } from './d1-metrics-store';
import { MemoryMetricsStore } from '../../metrics/memory-metrics-store';
import { Metrics } from '../../metrics/metrics';
import { ALERT_POLICY } from '../../metrics/alert-policy';
import { type MonitoringSettings } from '../../../shared/settings';

let isolate: Metrics | null | undefined;

export function workerdMetrics(db: D1Like | undefined, settings: MonitoringSettings, lowConfidenceThreshold: number): Metrics | null {
  isolate ??= settings.enabled ? new Metrics({ store: db ? new D1MetricsStore(db) : new MemoryMetricsStore(), policy: ALERT_POLICY, lowConfidenceThreshold, ...settings }) : null;
  return isolate;
}

/** This isolate's counters, once an app has been built (null before, or with METRICS=off). */
export const isolateMetrics = (): Metrics | null => isolate ?? null;

/** For waitUntil: a flush if one is due, its failure only logged (the counts are kept for the next). */
export function flushWorkerdMetrics(metrics: Metrics, log: Logger): Promise<void> {
  return metrics.flush().catch((error: Error) => log('error', { msg: 'metrics flush failed (counts kept for the next one)', error: error.message }));
}
