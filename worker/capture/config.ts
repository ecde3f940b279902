/**
 * Capture settings from environment variables / wrangler vars (strings), validated once at
 * startup so a typo fails loudly instead of silently never flushing.
 */
import { z } from 'zod';
import { parseSettings } from '../config';
import type { HubTarget } from './hub-flusher';

const seconds = (fallback: number) => z.coerce.number().positive().default(fallback);
const count = (fallback: number, max: number) => z.coerce.number().int().min(1).max(max).default(fallback);
const blankIsUnset = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);

const envSchema = z.object({
  HF_ENDPOINT: z.preprocess(blankIsUnset, z.url().optional()),
  HF_TOKEN: z.preprocess(blankIsUnset, z.string().startsWith('hf_', 'HF_TOKEN must start with hf_').optional()),
  HF_DATASET_REPO: z.preprocess(blankIsUnset, z.string().regex(/^[\w.-]+\/[\w.-]+$/, 'HF_DATASET_REPO looks like owner/name').optional()),
  /** Records per commit (two shards at most: feedback + low_confidence). */
  FLUSH_MAX_RECORDS: z.preprocess(blankIsUnset, count(1000, 20_000)),
  /** The Hub allows ~128 commits/hour/repo; leave room for the trainer and people. */
  FLUSH_MAX_COMMITS_PER_HOUR: z.preprocess(blankIsUnset, count(60, 120)),
  /** A 'size' flush starts once this many records wait. */
  FLUSH_SIZE_THRESHOLD: z.preprocess(blankIsUnset, count(500, 1_000_000)),
  /** How often the Node runtime asks for a 'schedule' flush (workerd: the cron in wrangler.toml). */
  FLUSH_INTERVAL_SECONDS: z.preprocess(blankIsUnset, seconds(60)),
  FLUSH_BACKOFF_BASE_SECONDS: z.preprocess(blankIsUnset, seconds(10)),
  FLUSH_BACKOFF_CAP_SECONDS: z.preprocess(blankIsUnset, seconds(900)),
  FLUSH_TIMEOUT_SECONDS: z.preprocess(blankIsUnset, seconds(120)),
});

export const CAPTURE_ENV_KEYS = Object.keys(envSchema.shape) as (keyof typeof envSchema.shape)[];

export interface CaptureConfig {
  /** null when HF_TOKEN or HF_DATASET_REPO is missing: records are buffered, flushes fail visibly. */
  hub: HubTarget | null;
  maxRecords: number;
  maxCommitsPerHour: number;
  sizeThreshold: number;
  intervalMs: number;
  backoffBaseMs: number;
  backoffCapMs: number;
  timeoutMs: number;
}

export function captureConfigFromEnv(env: Record<string, unknown>): CaptureConfig {
  const e = parseSettings(envSchema, env, 'capture settings');
  return {
    hub: e.HF_TOKEN && e.HF_DATASET_REPO ? { hubUrl: e.HF_ENDPOINT, accessToken: e.HF_TOKEN, repo: { type: 'dataset', name: e.HF_DATASET_REPO } } : null,
    maxRecords: e.FLUSH_MAX_RECORDS,
    maxCommitsPerHour: e.FLUSH_MAX_COMMITS_PER_HOUR,
    sizeThreshold: e.FLUSH_SIZE_THRESHOLD,
    intervalMs: e.FLUSH_INTERVAL_SECONDS * 1000,
    backoffBaseMs: e.FLUSH_BACKOFF_BASE_SECONDS * 1000,
    backoffCapMs: e.FLUSH_BACKOFF_CAP_SECONDS * 1000,
    timeoutMs: e.FLUSH_TIMEOUT_SECONDS * 1000,
  };
}
