import { describe, expect, it } from 'vitest';
import { captureConfigFromEnv } from '../../shared/settings';
import { createCapture } from './capture';
import type { FlushOptions } from './hub-flusher';
import { SqliteRecordBuffer } from '../adapter/node/sqlite-buffer';
import { makeRecords } from './records.test-helpers';

describe('createCapture', () => {
  it('buffers without a Hub and says why nothing is flushed', async () => {
    const buffer = new SqliteRecordBuffer(':memory:');
    const capture = createCapture({ buffer, config: captureConfigFromEnv({}) });
    await capture.accept(makeRecords(3));
    expect(await capture.scheduler.maybeFlush('schedule')).toMatchObject({ status: 'failed', error: expect.stringMatching(/HF_TOKEN and HF_DATASET_REPO/) });
    expect(await capture.scheduler.status()).toMatchObject({ depth: 3, consecutive_failures: 1 });
    buffer.close();
  });

  it('runs the flush it is given with the configured Hub, limits and fetch', async () => {
    const buffer = new SqliteRecordBuffer(':memory:');
    const fetchFn: typeof fetch = () => Promise.reject(new Error('no network in this test'));
    const calls: FlushOptions[] = [];
    const config = captureConfigFromEnv({ HF_TOKEN: 'hf_x', HF_DATASET_REPO: 'acme/fb', FLUSH_MAX_RECORDS: '2' });
    const capture = createCapture({
      buffer,
      config,
      fetch: fetchFn,
      flush: async (options) => {
        calls.push(options);
        const records = await options.buffer.oldest(options.maxRecords);
        await options.buffer.remove(records.map((r) => r.id));
        return { records: records.length, shards: [], commit: 'c0ffee', createdRepo: false, ms: 0 };
      },
    });
    await capture.accept(makeRecords(3));
    expect(await capture.scheduler.maybeFlush('schedule')).toMatchObject({ status: 'flushed', records: 2, commit: 'c0ffee' });
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ hub: config.hub, maxRecords: 2, fetch: fetchFn });
    expect(await capture.scheduler.status()).toMatchObject({ depth: 1 });
    buffer.close();
  });
});
