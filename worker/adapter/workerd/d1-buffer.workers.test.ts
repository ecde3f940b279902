/**
 * The RecordBuffer contract and the D1 ledger inside workerd, against the CAPTURE_DB binding.
 * Needs in wrangler.toml:  [[d1_databases]] binding = "CAPTURE_DB" (database_name/id: any for local).
 * Skipped, not failed, while the binding is absent.
 */
import * as workers from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { describeBufferContract } from '../../capture/buffer-contract.test-helpers';
import { D1RecordBuffer, type D1Like } from './d1-buffer';
import { D1FlushLedger } from './d1-ledger';
import { FlushScheduler } from '../../capture/flush-scheduler';
import { describeLedgerContract } from '../../capture/ledger-contract.test-helpers';
import { makeRecords } from '../../capture/records.test-helpers';

// worker/test/cloudflare-modules.d.ts declares only `exports`; read `env` without redeclaring the module.
const db = (workers as unknown as { env: { CAPTURE_DB?: D1Like } }).env.CAPTURE_DB;

describe.skipIf(!db)('capture on D1 inside workerd', () => {
  describeBufferContract('D1RecordBuffer (workerd)', async () => {
    const buffer = new D1RecordBuffer(db!);
    await buffer.depth();
    await db!.prepare('DELETE FROM capture_buffer').run();
    return buffer;
  });

  describeLedgerContract('D1FlushLedger (workerd)', async (name) => new D1FlushLedger(db!, name));

  it('schedules flushes with the state shared through D1 by two isolates', async () => {
    const buffer = new D1RecordBuffer(db!);
    await db!.prepare('DELETE FROM capture_buffer').run();
    await buffer.append(makeRecords(30));
    let t = Date.parse('2026-11-27T00:00:00Z');
    const flush = async () => {
      const records = await buffer.oldest(10);
      await buffer.remove(records.map((r) => r.id));
      return { records: records.length, shards: [], commit: 'c', createdRepo: false, ms: 0 };
    };
    // Two schedulers = two isolates: they share the ledger row, so the hourly limit is global.
    const options = { buffer, flush, now: () => t, maxCommitsPerHour: 2 };
    const a = new FlushScheduler({ ...options, ledger: new D1FlushLedger(db!, 'workerd-test') });
    const b = new FlushScheduler({ ...options, ledger: new D1FlushLedger(db!, 'workerd-test') });
    expect((await a.maybeFlush('schedule')).status).toBe('flushed');
    t += 1000;
    expect((await b.maybeFlush('schedule')).status).toBe('flushed');
    t += 1000;
    expect(await a.maybeFlush('schedule')).toMatchObject({ status: 'skipped', cause: 'rate_limited' });
    expect(await b.status()).toMatchObject({ depth: 10, commits_last_hour: 2, last_flush_records: 10 });
  });
});
