/** `npm start`'s hand-over of settings to wrangler dev: every documented one, through a private file, never the command line. */
import { readFileSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseEnv } from 'node:util';
import { describe, expect, it } from 'vitest';
import { dotenv, WORKER_SETTINGS, workerSettings, writePrivateEnvFile } from './dev-settings';

describe('npm start settings', () => {
  it('forwards every documented setting that is set, and nothing else from the environment', () => {
    const env = { HF_MODEL_REPO: 'me/sentiment', MODEL_REVISION: 'abc123', MAX_BATCH_TEXTS: '64', HF_TOKEN: 'hf_secret', ADMIN_API_KEY: 'k'.repeat(16), FEEDBACK_API_KEYS: 'x'.repeat(16), FLUSH_INTERVAL_SECONDS: '5', CORS_ORIGINS: ' ', PATH: '/usr/bin', HOME: '/root' };
    expect(workerSettings(env, { HF_ENDPOINT: 'http://127.0.0.1:7861' })).toEqual({
      HF_MODEL_REPO: 'me/sentiment',
      MODEL_REVISION: 'abc123',
      MAX_BATCH_TEXTS: '64',
      HF_TOKEN: 'hf_secret',
      ADMIN_API_KEY: 'k'.repeat(16),
      FEEDBACK_API_KEYS: 'x'.repeat(16),
      FLUSH_INTERVAL_SECONDS: '5',
      HF_ENDPOINT: 'http://127.0.0.1:7861',
    });
    for (const key of ['MAX_TEXT_CHARS', 'LOW_CONFIDENCE_THRESHOLD', 'HF_DATASET_REPO', 'FLUSH_MAX_RECORDS', 'MODEL_CHECK_INTERVAL_S', 'DASHBOARD_ACCESS', 'METRICS']) expect(WORKER_SETTINGS).toContain(key);
  });

  it('writes them to a file only its owner can read, which parses back to the same values', () => {
    const settings = { HF_TOKEN: 'hf_a#b c$d"e', CORS_ORIGINS: 'https://a.example,https://b.example', HF_MODEL_REPO: 'me/sentiment' };
    const file = writePrivateEnvFile(settings);
    try {
      expect(statSync(file.path).mode & 0o777).toBe(0o600);
      expect(statSync(dirname(file.path)).mode & 0o777).toBe(0o700);
      expect(parseEnv(readFileSync(file.path, 'utf8'))).toEqual(settings);
    } finally {
      file.remove();
    }
    expect(() => statSync(file.path)).toThrow();
  });

  it('refuses a value a .env file cannot carry instead of mangling it', () => {
    expect(() => dotenv({ HF_TOKEN: "hf_it's" })).toThrow(/HF_TOKEN contains a quote/);
  });

  it('never puts a setting on wrangler’s command line, where ps shows it', () => {
    const start = readFileSync(new URL('./start.ts', import.meta.url), 'utf8');
    expect(start).not.toMatch(/['"]--var['"]/);
    expect(start).toMatch(/'--env-file', envFile\.path/);
  });
});
