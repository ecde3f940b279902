/**
 * The durable buffer between accepting a record (202 to the caller) and committing it to the
 * dataset repo. Both runtimes implement it: SQLite on Node, D1 on workerd. A record stays until
 * the flusher removes it after a successful commit, so a crash or a Hub outage loses nothing.
 */
import { captureRecordSchema, type CaptureRecord } from '../../shared/feedback-record';

/** A record as the buffer hands it back: exactly what was appended. */
export type StoredRecord = CaptureRecord;

export interface RecordBuffer {
  /**
   * Store records; resolves only once they are durable (a process kill afterwards keeps them).
   * Idempotent per id: appending an id already in the buffer stores it once (the first copy wins).
   * All-or-nothing: if it rejects, none of the records were stored.
   */
  append(records: readonly CaptureRecord[]): Promise<void>;
  /** Up to `limit` records in the order they were first appended, without removing them. */
  oldest(limit: number): Promise<StoredRecord[]>;
  /** Forget these ids (unknown ids are ignored). */
  remove(ids: readonly string[]): Promise<void>;
  /** How many records are waiting (exact; a full count, so it costs one row read per record on D1). */
  depth(): Promise<number>;
  /**
   * Cheap upper bound of depth() (newest seq − oldest seq + 1: two index lookups). Exact when
   * removals take the oldest records first, which is what the flusher does. For hot paths:
   * a 'size' check on every request, /health.
   */
  depthEstimate(): Promise<number>;
}

/** Shared by the implementations: the table both SQL buffers use, so the two stay identical. */
export const BUFFER_TABLE = 'capture_buffer';

/** Rows are stored as the record's JSON; `seq` gives the append order (ids are only ms-ordered across isolates). */
export const CREATE_BUFFER_TABLE = `CREATE TABLE IF NOT EXISTS ${BUFFER_TABLE} (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL,
  body TEXT NOT NULL
)`;

/** Two subqueries: SQLite answers a lone MIN or MAX of the rowid from the b-tree, but not both in one SELECT. */
export const ESTIMATE_DEPTH = `SELECT COALESCE((SELECT MAX(seq) FROM ${BUFFER_TABLE}) - (SELECT MIN(seq) FROM ${BUFFER_TABLE}) + 1, 0) AS n`;

export function checkLimit(limit: number): number {
  if (!Number.isInteger(limit) || limit < 0) throw new RangeError(`limit must be a non-negative integer, got ${limit}`);
  return limit;
}

/** Validate before storing (a bad record must fail the request, not poison a flush later) and serialise. */
export function toRow(record: CaptureRecord): { id: string; kind: string; body: string } {
  const valid = captureRecordSchema.parse(record);
  return { id: valid.id, kind: valid.kind, body: JSON.stringify(valid) };
}
