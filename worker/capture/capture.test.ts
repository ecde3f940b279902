import { describe, expect, it } from 'vitest';
import { captureConfigFromEnv } from '../../shared/settings';
import { createCapture } from './capture';
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
});
