/**
 * FlushLedger in D1, so that every isolate of the worker shares one rate-limit window, one
 * backoff and one lease (D1 serialises writes, so the conditional upsert below is atomic).
 */
import { schemaOnce, type D1Like } from './d1-buffer';
import { ACQUIRE_LEASE, CREATE_LEDGER_TABLE as CREATE, LEDGER_TABLE as TABLE, parseFlushState, RELEASE_LEASE, SAVE_STATE, type FlushLedger, type FlushState } from '../../capture/flush-ledger';

const createLedgerTable = schemaOnce([CREATE]);

export class D1FlushLedger implements FlushLedger {
  /** `name` separates ledgers sharing a database (one per dataset repo). */
  constructor(
    private readonly db: D1Like,
    private readonly name = 'hub',
  ) {}

  async load(): Promise<FlushState> {
    await this.ready();
    const row = await this.db.prepare(`SELECT state FROM ${TABLE} WHERE name = ?`).bind(this.name).first<{ state: string | null }>();
    return parseFlushState(row?.state);
  }

  async save(state: FlushState): Promise<void> {
    await this.ready();
    await this.db.prepare(SAVE_STATE).bind(this.name, JSON.stringify(state)).run();
  }

  async acquire(holder: string, now: number, ttlMs: number): Promise<boolean> {
    await this.ready();
    // Take the lease if it is free, expired or already ours; then read who holds it. One batch = one transaction.
    const [, read] = await this.db.batch([
      this.db.prepare(ACQUIRE_LEASE).bind(this.name, holder, now + ttlMs, now),
      this.db.prepare(`SELECT holder FROM ${TABLE} WHERE name = ?`).bind(this.name),
    ]);
    return (read as { results: Array<{ holder: string | null }> }).results[0]?.holder === holder;
  }

  async release(holder: string): Promise<void> {
    await this.ready();
    await this.db.prepare(RELEASE_LEASE).bind(this.name, holder).run();
  }

  private ready(): Promise<void> {
    return createLedgerTable(this.db);
  }
}
