/** Every reader of shared/settings/ against the variables it documents, and the README's copy of the table. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  captureConfigFromEnv,
  deprecationWarnings,
  hubModelSettingsFromEnv,
  hubSettingsFromEnv,
  INTAKE_DEFAULTS,
  intakeConfigFromEnv,
  MONITORING_DEFAULTS,
  monitoringSettingsFromEnv,
  SERVING_DEFAULTS,
  servingConfigFromEnv,
} from './read';
import { settingsTables, withSettingsTables } from './readme-table';
import { GROUPS, serving } from './variables';

describe('servingConfigFromEnv', () => {
  it('uses the defaults for missing or blank variables: 5,000 characters, 256 texts, 1 MiB, any origin, logs on', () => {
    expect(servingConfigFromEnv({})).toEqual({ maxTextChars: 5000, maxBatchTexts: 256, maxBodyBytes: 1_048_576, corsOrigins: ['*'], logRequests: true, scoringRatePerMinute: 0, scoringRateBurst: 0, scoreDecimals: 4 });
    expect(servingConfigFromEnv(Object.fromEntries(Object.keys(serving.shape).map((k) => [k, '  '])))).toEqual(SERVING_DEFAULTS);
  });

  it('reads every variable', () => {
    expect(
      servingConfigFromEnv({
        MAX_TEXT_CHARS: '280',
        MAX_BATCH_TEXTS: ' 32 ',
        MAX_BODY_BYTES: '65536',
        CORS_ORIGINS: 'https://a.example, http://localhost:5173',
        LOG_REQUESTS: 'false',
        SCORING_RATE_LIMIT_PER_MINUTE: '120',
        SCORING_RATE_LIMIT_BURST: '20',
        SCORE_DECIMALS: '6',
        UNRELATED: 'ignored',
      }),
    ).toEqual({ maxTextChars: 280, maxBatchTexts: 32, maxBodyBytes: 65536, corsOrigins: ['https://a.example', 'http://localhost:5173'], logRequests: false, scoringRatePerMinute: 120, scoringRateBurst: 20, scoreDecimals: 6 });
    expect(servingConfigFromEnv({ SCORING_RATE_LIMIT_PER_MINUTE: '30' })).toMatchObject({ scoringRatePerMinute: 30, scoringRateBurst: 30 });
    expect(servingConfigFromEnv({ CORS_ORIGINS: 'https://a.example,*' }).corsOrigins).toEqual(['*']);
    expect(servingConfigFromEnv({ LOG_REQUESTS: '0' }).logRequests).toBe(false);
    expect(servingConfigFromEnv({ LOG_REQUESTS: 'YES' }).logRequests).toBe(true);
  });

  it('names each bad variable and why', () => {
    expect(() => servingConfigFromEnv({ MAX_TEXT_CHARS: 'lots' })).toThrow('invalid serving settings: MAX_TEXT_CHARS: must be a number');
    expect(() => servingConfigFromEnv({ MAX_BATCH_TEXTS: '0' })).toThrow(/MAX_BATCH_TEXTS: must be at least 1/);
    expect(() => servingConfigFromEnv({ MAX_BODY_BYTES: '1.5' })).toThrow(/MAX_BODY_BYTES: must be a whole number/);
    expect(() => servingConfigFromEnv({ CORS_ORIGINS: 'https://a.example/path' })).toThrow(/CORS_ORIGINS\.0: "https:\/\/a.example\/path" is not an origin/);
    expect(() => servingConfigFromEnv({ LOG_REQUESTS: 'maybe' })).toThrow(/LOG_REQUESTS: must be true or false/);
    expect(() => servingConfigFromEnv({ SCORING_RATE_LIMIT_PER_MINUTE: '-1' })).toThrow(/SCORING_RATE_LIMIT_PER_MINUTE: must be at least 0/);
    expect(() => servingConfigFromEnv({ SCORING_RATE_LIMIT_BURST: '0' })).toThrow(/SCORING_RATE_LIMIT_BURST: must be at least 1/);
  });
});

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

describe('one vocabulary, one unit, old names', () => {
  it('reads every switch the same way: true/false, on/off, yes/no, 1/0, any case', () => {
    for (const [word, value] of [['true', true], ['ON', true], ['yes', true], ['1', true], ['false', false], ['off', false], ['No', false], ['0', false]] as const) {
      expect(servingConfigFromEnv({ LOG_REQUESTS: word }).logRequests, word).toBe(value);
      expect(intakeConfigFromEnv({ LOW_CONFIDENCE_LOGGING: word }).lowConfidenceLogging, word).toBe(value);
      expect(monitoringSettingsFromEnv({ METRICS: word }).enabled, word).toBe(value);
    }
    expect(() => monitoringSettingsFromEnv({ METRICS: 'maybe' })).toThrow(/METRICS: must be true or false/);
  });

  it('every duration is in seconds and named _S; the old _SECONDS names are read when the new one is unset, and warned about by name only', () => {
    const durations = GROUPS.flatMap((g) => Object.keys(g.schema.shape)).filter((name) => /SECOND|_S$/.test(name));
    expect(durations.every((name) => name.endsWith('_S'))).toBe(true);
    const old = { FLUSH_INTERVAL_SECONDS: '5', FLUSH_BACKOFF_BASE_SECONDS: '0.5', FLUSH_BACKOFF_CAP_SECONDS: '30', FLUSH_TIMEOUT_SECONDS: '7' };
    expect(captureConfigFromEnv(old)).toMatchObject({ intervalMs: 5_000, backoffBaseMs: 500, backoffCapMs: 30_000, timeoutMs: 7_000 });
    expect(captureConfigFromEnv({ ...old, FLUSH_INTERVAL_S: '9' }).intervalMs).toBe(9_000);
    expect(() => captureConfigFromEnv({ FLUSH_TIMEOUT_SECONDS: 'soon' })).toThrow(/FLUSH_TIMEOUT_S: must be a number/);
    const warnings = deprecationWarnings({ ...old, FLUSH_TIMEOUT_SECONDS: ' ', HF_TOKEN: 'hf_secret' });
    expect(warnings).toEqual([
      'FLUSH_INTERVAL_SECONDS is deprecated: rename it FLUSH_INTERVAL_S (it is read for now)',
      'FLUSH_BACKOFF_BASE_SECONDS is deprecated: rename it FLUSH_BACKOFF_BASE_S (it is read for now)',
      'FLUSH_BACKOFF_CAP_SECONDS is deprecated: rename it FLUSH_BACKOFF_CAP_S (it is read for now)',
    ]);
    expect(deprecationWarnings({})).toEqual([]);
  });

  it('HF_ENDPOINT has one rule for the service and the trainer: an http(s) URL, trailing slashes dropped, the public Hub by default', () => {
    for (const read of [(env: Record<string, string>) => hubSettingsFromEnv(env).hubUrl, (env: Record<string, string>) => hubModelSettingsFromEnv(env).hubUrl, (env: Record<string, string>) => captureConfigFromEnv({ ...env, HF_TOKEN: 'hf_x', HF_DATASET_REPO: 'a/b' }).hub!.hubUrl]) {
      expect(read({})).toBe('https://huggingface.co');
      expect(read({ HF_ENDPOINT: ' ' })).toBe('https://huggingface.co');
      expect(read({ HF_ENDPOINT: 'http://127.0.0.1:7861//' })).toBe('http://127.0.0.1:7861');
      expect(() => read({ HF_ENDPOINT: 'ftp://x' })).toThrow(/HF_ENDPOINT: must be an http\(s\) URL/);
    }
    expect(hubSettingsFromEnv({ HF_ENDPOINT: 'https://a.example', HF_TOKEN: 'hf_t' }, 'http://127.0.0.1:9/')).toEqual({ hubUrl: 'http://127.0.0.1:9', accessToken: 'hf_t' });
  });

  it('the defaults are what the readers give with nothing set, and every variable is documented', () => {
    expect(SERVING_DEFAULTS).toEqual(servingConfigFromEnv({}));
    expect(INTAKE_DEFAULTS).toMatchObject({ feedbackApiKeys: [], feedbackRatePerMinute: 60, feedbackRateBurst: 60, lowConfidenceThreshold: 0.55, lowConfidenceMaxPerMinute: 60, authFailuresPerMinute: 10 });
    expect(MONITORING_DEFAULTS).toMatchObject({ access: 'public', enabled: true, flushIntervalMs: 30_000 });
    expect(settingsTables()).toContain('| `LOW_CONFIDENCE_MAX_PER_MINUTE` | `60` |');
  });
});

describe('the README', () => {
  it("has the settings tables written from variables.ts (npm run settings:readme rewrites them)", () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    expect(readme).toBe(withSettingsTables(readme));
  });
});
