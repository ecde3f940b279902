/**
 * Counters on Node: kept in the capture buffer's SQLite file (CAPTURE_DB_PATH), so every process
 * of a cluster adds into the same rows and a restart keeps them; in memory when capture is off.
 * An unref'd timer flushes every METRICS_FLUSH_S; close() flushes what is left (SIGTERM).
 */
import { resolve } from 'node:path';
import type { Logger } from '../../logger';
import { MemoryMetricsStore } from '../../metrics/memory-metrics-store';
import { Metrics } from '../../metrics/metrics';
import { SqliteMetricsStore } from './sqlite-metrics-store';
import { ALERT_POLICY } from '../../metrics/alert-policy';
import { type MonitoringSettings } from '../../../shared/settings';

export interface NodeMetrics {
  metrics: Metrics;
  /** Flushes the last counts, then closes the file. */
  close(): Promise<void>;
}

export function startNodeMetrics({ path, settings, lowConfidenceThreshold, log }: { path: string | null; settings: MonitoringSettings; lowConfidenceThreshold: number; log: Logger }): NodeMetrics {
  const store = path ? new SqliteMetricsStore(resolve(path)) : new MemoryMetricsStore();
  const metrics = new Metrics({ store, policy: ALERT_POLICY, lowConfidenceThreshold, ...settings });
  const flush = () => metrics.flush().catch((error: Error) => log('error', { msg: 'metrics flush failed (counts kept for the next one)', error: error.message }));
  const timer = setInterval(() => {
    if (metrics.counters.pending) void flush();
  }, settings.flushIntervalMs);
  timer.unref();
  return {
    metrics,
    async close() {
      clearInterval(timer);
      await flush();
      if (store instanceof SqliteMetricsStore) store.close();
    },
  };
}
