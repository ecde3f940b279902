/** MetricsStore without a database (capture off, or workerd without CAPTURE_DB): this process or isolate only, lost on restart. */
import { addCounts, type Counts, type MinuteCounts } from './counters';
import type { BucketCounts, MetricsStore } from './metrics-store';

export class MemoryMetricsStore implements MetricsStore {
  readonly kind = 'memory';
  private readonly minutes = new Map<string, MinuteCounts>();
  private readonly hours = new Map<string, MinuteCounts>();

  async add(rows: readonly MinuteCounts[]): Promise<void> {
    for (const row of rows) merge(this.minutes, row.minute, row);
  }

  async rollup(minutesBefore: number, hoursBefore: number): Promise<void> {
    for (const [key, row] of this.minutes) {
      if (row.minute >= minutesBefore) continue;
      merge(this.hours, Math.floor(row.minute / 60) * 60, row);
      this.minutes.delete(key);
    }
    for (const [key, row] of this.hours) if (row.minute < hoursBefore) this.hours.delete(key);
  }

  async series(sinceMinute: number, bucketMinutes: number): Promise<BucketCounts[]> {
    const buckets = new Map<string, MinuteCounts>();
    for (const table of [this.minutes, this.hours]) {
      for (const row of table.values()) if (row.minute >= sinceMinute) merge(buckets, Math.floor(row.minute / bucketMinutes) * bucketMinutes, row);
    }
    return [...buckets.values()].map(({ minute, ...rest }) => ({ bucket: minute, ...rest })).sort((a, b) => a.bucket - b.bucket);
  }
}

function merge(table: Map<string, MinuteCounts>, minute: number, row: MinuteCounts & Counts): void {
  const key = `${minute}|${row.model_version}`;
  const into = table.get(key);
  if (into) addCounts(into, row);
  else table.set(key, { ...row, minute });
}
