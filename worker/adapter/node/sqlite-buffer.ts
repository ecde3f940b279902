/**
 * RecordBuffer on Node: one SQLite file through the built-in node:sqlite (no native addon).
 * WAL + synchronous=FULL: a transaction is fsynced before append() resolves, so a kill -9 (or a
 * power cut) right after a 202 keeps the record. Calls are synchronous underneath; the Promise
 * API matches D1's so callers do not care which runtime they are on.
 *
 * Group commit: appends made in the same event-loop turn (a burst of requests, a batch endpoint)
 * share one transaction and so one fsync, which is most of an append's cost and blocks the loop.
 */
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import type { CaptureRecord } from '../../../shared/feedback-record';
import { immediateTransaction } from './sqlite-transaction';
import { BUFFER_TABLE, checkLimit, CREATE_BUFFER_TABLE, ESTIMATE_DEPTH, toRow, type RecordBuffer, type StoredRecord } from '../../capture/record-buffer';

/** SQLite's default SQLITE_MAX_VARIABLE_NUMBER is 32766; stay well below. */
const IDS_PER_DELETE = 500;

interface PendingAppend {
  rows: Array<{ id: string; kind: string; body: string }>;
  resolve(): void;
  reject(err: unknown): void;
}

const ESTIMATE_TTL_MS = 1_000;

export class SqliteRecordBuffer implements RecordBuffer {
  private readonly db: DatabaseSync;
  private pending: PendingAppend[] = [];
  /**
   * /health and the size check after responses ask for the depth on every request, and each read
   * transaction costs more than the rest of a `GET /health`: the answer is kept ESTIMATE_TTL_MS,
   * or until this process writes (other processes' writes show within that time).
   */
  private estimate: StatementSync | undefined;
  private estimated: { n: number; at: number } | undefined;

  /**
   * `path` is a file (created if missing) or ':memory:' for tests. `synchronous: 'NORMAL'` skips
   * the fsync per commit: still safe against a killed process (the WAL is in the OS page cache),
   * not against a power cut or kernel crash.
   */
  constructor(path: string, options: { synchronous?: 'FULL' | 'NORMAL' } = {}) {
    this.db = new DatabaseSync(path);
    // Another process (a second server on the same file, a test reopening it) waits instead of failing.
    this.db.exec('PRAGMA busy_timeout = 5000');
    this.db.exec('PRAGMA journal_mode = WAL');
    this.db.exec(`PRAGMA synchronous = ${options.synchronous === 'NORMAL' ? 'NORMAL' : 'FULL'}`);
    this.db.exec(CREATE_BUFFER_TABLE);
  }

  append(records: readonly CaptureRecord[]): Promise<void> {
    if (records.length === 0) return Promise.resolve();
    let rows: PendingAppend['rows'];
    try {
      rows = records.map(toRow); // an invalid record fails only its own call
    } catch (err) {
      return Promise.reject(err);
    }
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ rows, resolve, reject });
      if (this.pending.length === 1) setImmediate(() => this.writePending());
    });
  }

  async oldest(limit: number): Promise<StoredRecord[]> {
    const rows = this.db.prepare(`SELECT body FROM ${BUFFER_TABLE} ORDER BY seq LIMIT ?`).all(checkLimit(limit));
    return rows.map((row) => JSON.parse(row.body as string) as StoredRecord);
  }

  async remove(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    this.transaction(() => {
      for (let i = 0; i < ids.length; i += IDS_PER_DELETE) {
        const chunk = ids.slice(i, i + IDS_PER_DELETE);
        this.db.prepare(`DELETE FROM ${BUFFER_TABLE} WHERE id IN (${chunk.map(() => '?').join(',')})`).run(...chunk);
      }
    });
  }

  async depth(): Promise<number> {
    const row = this.db.prepare(`SELECT count(*) AS n FROM ${BUFFER_TABLE}`).get();
    return Number(row?.n ?? 0);
  }

  async depthEstimate(): Promise<number> {
    const now = performance.now();
    if (this.estimated && now - this.estimated.at < ESTIMATE_TTL_MS) return this.estimated.n;
    this.estimate ??= this.db.prepare(ESTIMATE_DEPTH);
    const n = Number(this.estimate.get()?.n ?? 0);
    this.estimated = { n, at: now };
    return n;
  }

  close(): void {
    this.writePending();
    if (this.db.isOpen) this.db.close();
  }

  /** One transaction for every append queued since the last write; each caller learns the outcome. */
  private writePending(): void {
    const batch = this.pending;
    if (batch.length === 0) return;
    this.pending = [];
    try {
      const insert = this.db.prepare(`INSERT OR IGNORE INTO ${BUFFER_TABLE} (id, kind, body) VALUES (?, ?, ?)`);
      this.transaction(() => {
        for (const { rows } of batch) for (const row of rows) insert.run(row.id, row.kind, row.body);
      });
    } catch (err) {
      for (const p of batch) p.reject(err);
      return;
    }
    for (const p of batch) p.resolve();
  }

  private transaction(body: () => void): void {
    this.estimated = undefined;
    immediateTransaction(this.db, body);
  }
}
