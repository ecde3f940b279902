/**
 * What the scheduler must remember between flushes: commit times (rate limit), failures
 * (backoff), the last outcome (/health) and who is flushing right now. In one Node process
 * memory is enough. Several processes (node:cluster on one SQLite file) or workerd isolates
 * (each with its own memory, evicted at any time) share it through the database instead
 * (sqlite-ledger.ts, d1-ledger.ts), so the limits and the one-flusher rule hold for all of them.
 */

export interface FlushState {
  /** Commit times (ms) of the last hour, oldest first. */
  commits: number[];
  /** Consecutive failed flushes. */
  failures: number;
  /** Backoff: no attempt before this (ms), or null. */
  retry_at: number | null;
  last_flush_at: number | null;
  last_flush_records: number | null;
  last_error: string | null;
  last_error_at: number | null;
}

export interface FlushLedger {
  load(): Promise<FlushState>;
  save(state: FlushState): Promise<void>;
  /** Become the only flusher until `now + ttlMs`; false if someone else holds a live lease. */
  acquire(holder: string, now: number, ttlMs: number): Promise<boolean>;
  release(holder: string): Promise<void>;
}

export function emptyFlushState(): FlushState {
  return { commits: [], failures: 0, retry_at: null, last_flush_at: null, last_flush_records: null, last_error: null, last_error_at: null };
}

export class MemoryFlushLedger implements FlushLedger {
  private state = emptyFlushState();
  private lease: { holder: string; until: number } | null = null;

  async load(): Promise<FlushState> {
    return structuredClone(this.state);
  }

  async save(state: FlushState): Promise<void> {
    this.state = structuredClone(state);
  }

  async acquire(holder: string, now: number, ttlMs: number): Promise<boolean> {
    if (this.lease && this.lease.holder !== holder && this.lease.until > now) return false;
    this.lease = { holder, until: now + ttlMs };
    return true;
  }

  async release(holder: string): Promise<void> {
    if (this.lease?.holder === holder) this.lease = null;
  }
}

// ---- the SQL both database ledgers use (SQLite dialect: node:sqlite and D1) ----------------

export const LEDGER_TABLE = 'capture_flush_ledger';

export const CREATE_LEDGER_TABLE = `CREATE TABLE IF NOT EXISTS ${LEDGER_TABLE} (
  name TEXT PRIMARY KEY,
  holder TEXT,
  lease_until INTEGER NOT NULL DEFAULT 0,
  state TEXT
)`;

/** Params: name, state JSON. */
export const SAVE_STATE = `INSERT INTO ${LEDGER_TABLE} (name, state) VALUES (?1, ?2) ON CONFLICT(name) DO UPDATE SET state = excluded.state`;

/** Params: name, holder, lease end, now. Takes the lease if free, expired or already the holder's; read `holder` afterwards to learn who has it. */
export const ACQUIRE_LEASE = `INSERT INTO ${LEDGER_TABLE} (name, holder, lease_until) VALUES (?1, ?2, ?3)
  ON CONFLICT(name) DO UPDATE SET holder = excluded.holder, lease_until = excluded.lease_until
  WHERE ${LEDGER_TABLE}.holder IS NULL OR ${LEDGER_TABLE}.holder = excluded.holder OR ${LEDGER_TABLE}.lease_until <= ?4`;

/** Params: name, holder. */
export const RELEASE_LEASE = `UPDATE ${LEDGER_TABLE} SET holder = NULL, lease_until = 0 WHERE name = ?1 AND holder = ?2`;

export function parseFlushState(json: string | null | undefined): FlushState {
  return json ? { ...emptyFlushState(), ...(JSON.parse(json) as Partial<FlushState>) } : emptyFlushState();
}
