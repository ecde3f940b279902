/** MetricsStore on workerd: tables in the CAPTURE_DB D1 database, shared by every isolate. Created on first use. */
import { schemaOnce, type D1Like } from './d1-buffer';
import type { MinuteCounts } from '../../metrics/counters';
import { CREATE_METRICS_TABLES, ROLLUP, SERIES, toBucketCounts, UPSERT_MINUTE, upsertParams, type BucketCounts, type MetricsStore } from '../../metrics/metrics-store';

const createMetricsTables = schemaOnce(CREATE_METRICS_TABLES);

export class D1MetricsStore implements MetricsStore {
  readonly kind = 'd1';

  constructor(private readonly db: D1Like) {}

  async add(rows: readonly MinuteCounts[]): Promise<void> {
    if (rows.length === 0) return;
    await this.ready();
    // One statement per minute and version (usually one or two per flush), one transaction.
    await this.db.batch(rows.map((row) => this.db.prepare(UPSERT_MINUTE).bind(...upsertParams(row))));
  }

  async rollup(minutesBefore: number, hoursBefore: number): Promise<void> {
    await this.ready();
    const [move, drop, expire] = ROLLUP;
    await this.db.batch([this.db.prepare(move).bind(minutesBefore), this.db.prepare(drop).bind(minutesBefore), this.db.prepare(expire).bind(hoursBefore)]);
  }

  async series(sinceMinute: number, bucketMinutes: number): Promise<BucketCounts[]> {
    await this.ready();
    const { results } = await this.db.prepare(SERIES).bind(bucketMinutes, bucketMinutes, sinceMinute, sinceMinute).all();
    return results.map(toBucketCounts);
  }

  private ready(): Promise<void> {
    return createMetricsTables(this.db);
  }
}
