import { describe, expect, it } from 'vitest';
import { hubModelSettingsFromEnv } from './hub-settings';

describe('hubModelSettingsFromEnv', () => {
  it('has a default for everything: no repo means the bundled model', () => {
    expect(hubModelSettingsFromEnv({})).toEqual({
      repo: undefined,
      revision: undefined,
      hubUrl: 'https://huggingface.co',
      accessToken: undefined,
      checkIntervalMs: 60_000,
      maxBackoffMs: 900_000,
      releaseGraceMs: 0,
      requestTimeoutMs: 20_000,
      coldStartTimeoutMs: 10_000,
    });
  });

  it('reads every variable; blank counts as unset', () => {
    expect(
      hubModelSettingsFromEnv({
        HF_MODEL_REPO: 'acme/sentiment',
        MODEL_REVISION: ' 0123abcd ',
        HF_ENDPOINT: 'http://127.0.0.1:7861/',
        HF_TOKEN: 'hf_secret',
        MODEL_CHECK_INTERVAL_S: '0.5',
        MODEL_CHECK_MAX_BACKOFF_S: '120',
        MODEL_RELEASE_GRACE_S: '',
        MODEL_HUB_TIMEOUT_S: '5',
        MODEL_COLD_START_TIMEOUT_S: '3',
      }),
    ).toEqual({
      repo: 'acme/sentiment',
      revision: '0123abcd',
      hubUrl: 'http://127.0.0.1:7861',
      accessToken: 'hf_secret',
      checkIntervalMs: 500,
      maxBackoffMs: 120_000,
      releaseGraceMs: 0,
      requestTimeoutMs: 5_000,
      coldStartTimeoutMs: 3_000,
    });
  });

  it('names every bad variable and never echoes the token', () => {
    let message = '';
    try {
      hubModelSettingsFromEnv({ HF_MODEL_REPO: 'no-owner', HF_TOKEN: 'ghp_supersecret', MODEL_CHECK_INTERVAL_S: '0', HF_ENDPOINT: 'ftp://x' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/HF_MODEL_REPO: must look like owner\/name/);
    expect(message).toMatch(/HF_TOKEN: must start with hf_/);
    expect(message).toMatch(/MODEL_CHECK_INTERVAL_S: must be more than 0/);
    expect(message).toMatch(/HF_ENDPOINT/);
    expect(message).not.toContain('supersecret');
  });

  it('refuses a pinned revision without a repo', () => {
    expect(() => hubModelSettingsFromEnv({ MODEL_REVISION: 'abc' })).toThrow(/MODEL_REVISION needs HF_MODEL_REPO/);
  });
});
