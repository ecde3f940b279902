import { describe, expect, it } from 'vitest';
import { SERVING_DEFAULTS, SERVING_ENV_KEYS, servingConfigFromEnv } from './config';

describe('servingConfigFromEnv', () => {
  it('uses the defaults for missing or blank variables: 5,000 characters, 256 texts, 1 MiB, any origin, logs on', () => {
    expect(servingConfigFromEnv({})).toEqual({ maxTextChars: 5000, maxBatchTexts: 256, maxBodyBytes: 1_048_576, corsOrigins: ['*'], logRequests: true, scoringRatePerMinute: 0, scoringRateBurst: 0, scoreDecimals: 4 });
    expect(servingConfigFromEnv(Object.fromEntries(SERVING_ENV_KEYS.map((k) => [k, '  '])))).toEqual(SERVING_DEFAULTS);
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
