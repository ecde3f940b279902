/**
 * RecordBuffer on workerd: a D1 database binding (locally emulated by wrangler/miniflare and
 * persisted under .wrangler/). D1 resolves a write once the primary has committed it, so a
 * resolved append() is durable. The table is created on first use.
 */
import type { CaptureRecord } from '../../../shared/feedback-record';
import { BUFFER_TABLE, checkLimit, CREATE_BUFFER_TABLE, ESTIMATE_DEPTH, toRow, type RecordBuffer, type StoredRecord } from '../../capture/record-buffer';

/**
 * The part of D1's API used here. Structural, so this module type-checks without
 * @cloudflare/workers-types' globals (they clash with the DOM and Node types of the root tsconfig);
 * a real `D1Database` satisfies it.
 */
export interface D1StatementLike {
  bind(...values: unknown[]): D1StatementLike;
  all<T = Record<string, unknown>>(): Promise<{ results: T[] }>;
  first<T = Record<string, unknown>>(): Promise<T | null>;
  run(): Promise<unknown>;
}
export interface D1Like {
  prepare(query: string): D1StatementLike;
  /** Runs the statements as one transaction. */
  batch(statements: D1StatementLike[]): Promise<unknown[]>;
}

/**
 * Runs a schema's CREATE statements once per database per isolate, even if callers build a store
 * per request. A failed run (D1 briefly unavailable) is not cached: the next call retries it.
 */
export function schemaOnce(statements: readonly string[]): (db: D1Like) => Promise<void> {
  const ready = new WeakMap<D1Like, Promise<void>>();
  return (db) => {
    let created = ready.get(db);
    if (!created) {
      created = db.batch(statements.map((sql) => db.prepare(sql))).then(() => undefined);
      created.catch(() => ready.delete(db));
      ready.set(db, created);
    }
    return created;
  };
}

/** D1 allows at most 100 bound parameters per statement. */
const MAX_PARAMS = 100;
const ROWS_PER_INSERT = Math.floor(MAX_PARAMS / 3);

const createBufferTable = schemaOnce([CREATE_BUFFER_TABLE]);

export class D1RecordBuffer implements RecordBuffer {
  constructor(private readonly db: D1Like) {}

  async append(records: readonly CaptureRecord[]): Promise<void> {
    if (records.length === 0) return;
    const rows = records.map(toRow);
    await this.ready();
    // Multi-row inserts keep a batch of many records to few statements (D1 counts statements
    // against the per-invocation query limit); batch() makes them one transaction.
    const statements: D1StatementLike[] = [];
    for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) {
      const chunk = rows.slice(i, i + ROWS_PER_INSERT);
      const sql = `INSERT OR IGNORE INTO ${BUFFER_TABLE} (id, kind, body) VALUES ${chunk.map(() => '(?, ?, ?)').join(', ')}`;
      statements.push(this.db.prepare(sql).bind(...chunk.flatMap((r) => [r.id, r.kind, r.body])));
    }
    await this.db.batch(statements);
  }

  async oldest(limit: number): Promise<StoredRecord[]> {
    await this.ready();
    const { results } = await this.db.prepare(`SELECT body FROM ${BUFFER_TABLE} ORDER BY seq LIMIT ?`).bind(checkLimit(limit)).all<{ body: string }>();
    return results.map((row) => JSON.parse(row.body) as StoredRecord);
  }

  async remove(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.ready();
    const statements: D1StatementLike[] = [];
    for (let i = 0; i < ids.length; i += MAX_PARAMS) {
      const chunk = ids.slice(i, i + MAX_PARAMS);
      statements.push(this.db.prepare(`DELETE FROM ${BUFFER_TABLE} WHERE id IN (${chunk.map(() => '?').join(', ')})`).bind(...chunk));
    }
    await this.db.batch(statements);
  }

  async depth(): Promise<number> {
    await this.ready();
    const row = await this.db.prepare(`SELECT count(*) AS n FROM ${BUFFER_TABLE}`).first<{ n: number }>();
    return Number(row?.n ?? 0);
  }

  async depthEstimate(): Promise<number> {
    await this.ready();
    const row = await this.db.prepare(ESTIMATE_DEPTH).first<{ n: number }>();
    return Number(row?.n ?? 0);
  }

  private ready(): Promise<void> {
    return createBufferTable(this.db);
  }
}
