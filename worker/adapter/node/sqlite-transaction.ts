/** One write transaction on a node:sqlite database, rolled back if `body` throws. */
import type { DatabaseSync } from 'node:sqlite';

export function immediateTransaction(db: DatabaseSync, body: () => void): void {
  // IMMEDIATE takes the write lock up front, so a concurrent writer waits (busy_timeout) instead of deadlocking.
  db.exec('BEGIN IMMEDIATE');
  try {
    body();
    db.exec('COMMIT');
  } catch (err) {
    db.exec('ROLLBACK');
    throw err;
  }
}
