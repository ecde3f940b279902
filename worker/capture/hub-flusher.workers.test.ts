/**
 * The whole capture path inside workerd: D1 buffer and ledger, scheduler, and the real
 * @huggingface/hub client committing to the local Hub (started on Node by
 * local-hub.global-setup.ts). Skips without the CAPTURE_DB binding or that global setup.
 */
import * as workers from 'cloudflare:workers';
import { describe, expect, inject, it } from 'vitest';
import { D1RecordBuffer, type D1Like } from '../adapter/workerd/d1-buffer';
import { D1FlushLedger } from '../adapter/workerd/d1-ledger';
import { FlushScheduler } from './flush-scheduler';
import { flushOnce, type HubTarget } from './hub-flusher';
import { readShards } from './hub.test-helpers';
import { makeRecords } from './records.test-helpers';

const db = (workers as unknown as { env: { CAPTURE_DB?: D1Like } }).env.CAPTURE_DB;
const hubUrl = inject('captureHubUrl') as string | undefined;

describe.skipIf(!db || !hubUrl)('capture flush from workerd', () => {
  it('delivers 1,000 concurrently accepted records in one commit per flush', async () => {
    const buffer = new D1RecordBuffer(db!);
    await buffer.depth();
    await db!.prepare('DELETE FROM capture_buffer').run();
    const target: HubTarget = { hubUrl, accessToken: 'hf_workerd_test', repo: { type: 'dataset', name: `acme/workerd-${Date.now()}` } };
    const records = makeRecords(1000);
    const appendStart = Date.now(); // workerd's clock advances across I/O, which is what this measures
    await Promise.all(records.map((r) => buffer.append([r])));
    const appendMs = Date.now() - appendStart;

    const scheduler = new FlushScheduler({
      buffer,
      ledger: new D1FlushLedger(db!, target.repo.name),
      flush: () => flushOnce({ buffer, hub: target, maxRecords: 400 }),
    });
    const started = Date.now();
    const outcomes = [];
    while ((await buffer.depth()) > 0 && outcomes.length < 10) outcomes.push(await scheduler.maybeFlush('schedule'));
    console.log(`workerd: 1000 single-record D1 appends ${appendMs} ms; 3 flushes ${Date.now() - started} ms`);
    expect(outcomes.map((o) => (o.status === 'flushed' ? o.records : o.status))).toEqual([400, 400, 200]);
    expect(await scheduler.status()).toMatchObject({ depth: 0, commits_last_hour: 3, last_flush_records: 200, last_error: null });

    const { paths, records: stored } = await readShards(target);
    expect(paths).toHaveLength(6);
    expect(stored).toHaveLength(1000);
    expect(new Set(stored.map((r) => r.id))).toEqual(new Set(records.map((r) => r.id)));
  });
});
