/** MetricsStore on Node: tables in the capture buffer's SQLite file, shared by every process using it. */
import { DatabaseSync } from 'node:sqlite';
import { immediateTransaction } from './sqlite-transaction';
import type { MinuteCounts } from '../../metrics/counters';
import { CREATE_METRICS_TABLES, ROLLUP, SERIES, toBucketCounts, UPSERT_MINUTE, upsertParams, type BucketCounts, type MetricsStore } from '../../metrics/metrics-store';

export class SqliteMetricsStore implements MetricsStore {
  readonly kind = 'sqlite';
  private readonly db: DatabaseSync;

  constructor(path: string) {
    this.db = new DatabaseSync(path);
    this.db.exec('PRAGMA busy_timeout = 5000');
    this.db.exec('PRAGMA journal_mode = WAL');
    for (const sql of CREATE_METRICS_TABLES) this.db.exec(sql);
  }

  async add(rows: readonly MinuteCounts[]): Promise<void> {
    if (rows.length === 0) return;
    const upsert = this.db.prepare(UPSERT_MINUTE);
    immediateTransaction(this.db, () => {
      for (const row of rows) upsert.run(...upsertParams(row));
    });
  }

  async rollup(minutesBefore: number, hoursBefore: number): Promise<void> {
    const [move, drop, expire] = ROLLUP.map((sql) => this.db.prepare(sql));
    immediateTransaction(this.db, () => {
      move.run(minutesBefore);
      drop.run(minutesBefore);
      expire.run(hoursBefore);
    });
  }

  async series(sinceMinute: number, bucketMinutes: number): Promise<BucketCounts[]> {
    return this.db.prepare(SERIES).all(bucketMinutes, bucketMinutes, sinceMinute, sinceMinute).map(toBucketCounts);
  }

  /** Writes are synchronous: whatever add() was given is on disk when this is called. */
  close(): void {
    if (this.db.isOpen) this.db.close();
  }
}
