/**
 * FlushLedger in the SQLite buffer's file, for several Node processes (node:cluster) sharing it:
 * one rate-limit window, one backoff, one flusher at a time across all of them.
 */
import { DatabaseSync } from 'node:sqlite';
import { ACQUIRE_LEASE, CREATE_LEDGER_TABLE, LEDGER_TABLE, parseFlushState, RELEASE_LEASE, SAVE_STATE, type FlushLedger, type FlushState } from '../../capture/flush-ledger';

export class SqliteFlushLedger implements FlushLedger {
  private readonly db: DatabaseSync;

  /** `path`: the same file as the SqliteRecordBuffer (or any other); `name` separates ledgers in it. */
  constructor(
    path: string,
    private readonly name = 'hub',
  ) {
    this.db = new DatabaseSync(path);
    this.db.exec('PRAGMA busy_timeout = 5000');
    this.db.exec('PRAGMA journal_mode = WAL');
    this.db.exec(CREATE_LEDGER_TABLE);
  }

  async load(): Promise<FlushState> {
    const row = this.db.prepare(`SELECT state FROM ${LEDGER_TABLE} WHERE name = ?`).get(this.name);
    return parseFlushState(row?.state as string | null | undefined);
  }

  async save(state: FlushState): Promise<void> {
    this.db.prepare(SAVE_STATE).run(this.name, JSON.stringify(state));
  }

  async acquire(holder: string, now: number, ttlMs: number): Promise<boolean> {
    // IMMEDIATE: the write lock is taken before the read, so two processes cannot both see themselves as holder.
    this.db.exec('BEGIN IMMEDIATE');
    try {
      this.db.prepare(ACQUIRE_LEASE).run(this.name, holder, now + ttlMs, now);
      const row = this.db.prepare(`SELECT holder FROM ${LEDGER_TABLE} WHERE name = ?`).get(this.name);
      this.db.exec('COMMIT');
      return row?.holder === holder;
    } catch (err) {
      this.db.exec('ROLLBACK');
      throw err;
    }
  }

  async release(holder: string): Promise<void> {
    this.db.prepare(RELEASE_LEASE).run(this.name, holder);
  }

  close(): void {
    if (this.db.isOpen) this.db.close();
  }
}
