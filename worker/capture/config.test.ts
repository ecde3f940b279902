import { describe, expect, it } from 'vitest';
import { createCapture } from './capture';
import { captureConfigFromEnv } from './config';
import { SqliteRecordBuffer } from '../adapter/node/sqlite-buffer';
import { makeRecords } from './records.test-helpers';

describe('captureConfigFromEnv', () => {
  it('has defaults and needs both HF_TOKEN and HF_DATASET_REPO to flush', () => {
    const config = captureConfigFromEnv({});
    expect(config).toMatchObject({ hub: null, maxRecords: 1000, maxCommitsPerHour: 60, sizeThreshold: 500, intervalMs: 60_000, backoffCapMs: 900_000 });
    expect(captureConfigFromEnv({ HF_TOKEN: 'hf_x' }).hub).toBeNull();
    expect(captureConfigFromEnv({ HF_TOKEN: 'hf_x', HF_DATASET_REPO: 'acme/fb', HF_ENDPOINT: 'http://127.0.0.1:7861', FLUSH_MAX_RECORDS: '250', FLUSH_SIZE_THRESHOLD: '' })).toMatchObject({
      hub: { hubUrl: 'http://127.0.0.1:7861', accessToken: 'hf_x', repo: { type: 'dataset', name: 'acme/fb' } },
      maxRecords: 250,
      sizeThreshold: 500,
    });
  });

  it('refuses bad values without echoing the token', () => {
    expect(() => captureConfigFromEnv({ FLUSH_MAX_COMMITS_PER_HOUR: '500' })).toThrow(/FLUSH_MAX_COMMITS_PER_HOUR/);
    expect(() => captureConfigFromEnv({ HF_DATASET_REPO: 'no-owner' })).toThrow(/HF_DATASET_REPO/);
    let message = '';
    try {
      captureConfigFromEnv({ HF_TOKEN: 'secret-without-prefix' });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(/HF_TOKEN/);
    expect(message).not.toContain('secret-without-prefix');
  });
});

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
