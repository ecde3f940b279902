/**
 * Where the per-minute counters live: the SQL both stores run (SQLite on Node, D1 on workerd) and
 * the interface metrics.ts uses. Two tables of the same shape: `metrics_minutes` (one row per
 * minute and model version, kept for `minuteRetention`) and `metrics_hours` (older minutes summed
 * per hour, kept for `hourRetention`). Writes are additive upserts, so concurrent writers merge.
 */
import { COUNTER_FIELDS, type Counts, type MinuteCounts } from './counters';

export const MINUTES_TABLE = 'metrics_minutes';
export const HOURS_TABLE = 'metrics_hours';

const columns = COUNTER_FIELDS.map((f) => `${f} INTEGER NOT NULL DEFAULT 0`).join(', ');
const create = (table: string) => `CREATE TABLE IF NOT EXISTS ${table} (minute INTEGER NOT NULL, model_version TEXT NOT NULL, ${columns}, PRIMARY KEY (minute, model_version))`;
export const CREATE_METRICS_TABLES = [create(MINUTES_TABLE), create(HOURS_TABLE)];

const addOnConflict = `ON CONFLICT (minute, model_version) DO UPDATE SET ${COUNTER_FIELDS.map((f) => `${f} = ${f} + excluded.${f}`).join(', ')}`;
const fieldList = COUNTER_FIELDS.join(', ');

/** One row: bind minute, model_version, then the counters in COUNTER_FIELDS order. */
export const UPSERT_MINUTE = `INSERT INTO ${MINUTES_TABLE} (minute, model_version, ${fieldList}) VALUES (?, ?, ${COUNTER_FIELDS.map(() => '?').join(', ')}) ${addOnConflict}`;
export const upsertParams = (row: MinuteCounts) => [row.minute, row.model_version, ...COUNTER_FIELDS.map((f) => row[f])];

/**
 * Rollup, as one transaction: minutes before the first cutoff (an hour boundary; bound to the
 * first two statements) are added to their hour and deleted; hours before the second are dropped.
 * (`WHERE` before `ON CONFLICT` is what SQLite needs to parse an upsert from a SELECT.)
 */
export const ROLLUP = [
  `INSERT INTO ${HOURS_TABLE} (minute, model_version, ${fieldList}) SELECT (minute / 60) * 60, model_version, ${COUNTER_FIELDS.map((f) => `SUM(${f})`).join(', ')} FROM ${MINUTES_TABLE} WHERE minute < ? GROUP BY (minute / 60) * 60, model_version ${addOnConflict}`,
  `DELETE FROM ${MINUTES_TABLE} WHERE minute < ?`,
  `DELETE FROM ${HOURS_TABLE} WHERE minute < ?`,
];

/** Sums per bucket of `bucketMinutes` and model version since a minute: bind bucket, bucket, since, since. */
// CAST: a bound JS number may arrive as REAL, which would make the division fractional.
export const SERIES = `SELECT (minute / CAST(? AS INTEGER)) * CAST(? AS INTEGER) AS bucket, model_version, ${COUNTER_FIELDS.map((f) => `SUM(${f}) AS ${f}`).join(', ')} FROM (SELECT * FROM ${MINUTES_TABLE} WHERE minute >= ? UNION ALL SELECT * FROM ${HOURS_TABLE} WHERE minute >= ?) GROUP BY bucket, model_version ORDER BY bucket`;

export interface BucketCounts extends Counts {
  /** First minute of the bucket (minutes since the epoch). */
  bucket: number;
  model_version: string;
}

export interface MetricsStore {
  /** 'sqlite' | 'd1' | 'memory', for /v1/metrics. */
  readonly kind: string;
  add(rows: readonly MinuteCounts[]): Promise<void>;
  /** Minutes before `minutesBefore` go into hours; hours before `hoursBefore` are dropped (both in minutes since the epoch). */
  rollup(minutesBefore: number, hoursBefore: number): Promise<void>;
  series(sinceMinute: number, bucketMinutes: number): Promise<BucketCounts[]>;
}

export function toBucketCounts(row: Record<string, unknown>): BucketCounts {
  const out = { bucket: Number(row.bucket), model_version: String(row.model_version) } as BucketCounts;
  for (const f of COUNTER_FIELDS) out[f] = Number(row[f] ?? 0);
  return out;
}
