/**
 * The Hub model provider's settings, from environment variables (Node) or wrangler vars and
 * secrets (workerd): strings, validated once, every one optional. With no HF_MODEL_REPO the
 * provider serves the bundled model and never talks to the Hub.
 */
import { z } from 'zod';
import { PUBLIC_HUB_URL } from '../../shared/hub-endpoint';
import { parseSettings } from '../config';

export { PUBLIC_HUB_URL };

export const HUB_MODEL_DEFAULTS = {
  checkIntervalS: 60,
  maxBackoffS: 900,
  releaseGraceS: 0,
  hubTimeoutS: 20,
  coldStartTimeoutS: 10,
} as const;

export interface HubModelSettings {
  /** owner/name of the model repo; undefined = bundled model only. */
  repo: string | undefined;
  /** Commit sha (or branch/tag) to serve instead of the latest; never checks for newer. */
  revision: string | undefined;
  hubUrl: string;
  accessToken: string | undefined;
  checkIntervalMs: number;
  maxBackoffMs: number;
  releaseGraceMs: number;
  requestTimeoutMs: number;
  /** The whole Hub load at cold start (the first request waits for it); then the bundled model serves. */
  coldStartTimeoutMs: number;
}

const blankIsUnset = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : typeof v === 'string' ? v.trim() : v);
const seconds = (fallback: number, max: number, min: 'positive' | 'nonnegative' = 'positive') =>
  z.preprocess(
    blankIsUnset,
    (min === 'positive' ? z.coerce.number().positive('must be more than 0') : z.coerce.number().nonnegative('must be 0 or more')).max(max, `must be at most ${max}`).default(fallback),
  );

const envSchema = z
  .object({
    HF_MODEL_REPO: z.preprocess(blankIsUnset, z.string().regex(/^[\w.-]+\/[\w.-]+$/, 'must look like owner/name').optional()),
    MODEL_REVISION: z.preprocess(blankIsUnset, z.string().regex(/^[\w.-]+$/, 'must be a commit sha (or a branch or tag name)').optional()),
    HF_ENDPOINT: z.preprocess(blankIsUnset, z.url({ protocol: /^https?$/ }).default(PUBLIC_HUB_URL)),
    HF_TOKEN: z.preprocess(blankIsUnset, z.string().startsWith('hf_', 'must start with hf_').optional()),
    MODEL_CHECK_INTERVAL_S: seconds(HUB_MODEL_DEFAULTS.checkIntervalS, 86_400),
    MODEL_CHECK_MAX_BACKOFF_S: seconds(HUB_MODEL_DEFAULTS.maxBackoffS, 86_400),
    // 0: a replaced session is released as soon as the predictions started on it finish.
    MODEL_RELEASE_GRACE_S: seconds(HUB_MODEL_DEFAULTS.releaseGraceS, 3_600, 'nonnegative'),
    MODEL_HUB_TIMEOUT_S: seconds(HUB_MODEL_DEFAULTS.hubTimeoutS, 600),
    MODEL_COLD_START_TIMEOUT_S: seconds(HUB_MODEL_DEFAULTS.coldStartTimeoutS, 600),
  })
  .refine((e) => !e.MODEL_REVISION || e.HF_MODEL_REPO, { message: 'MODEL_REVISION needs HF_MODEL_REPO', path: ['MODEL_REVISION'] });

export const HUB_MODEL_ENV_KEYS = [
  'HF_MODEL_REPO',
  'MODEL_REVISION',
  'HF_ENDPOINT',
  'HF_TOKEN',
  'MODEL_CHECK_INTERVAL_S',
  'MODEL_CHECK_MAX_BACKOFF_S',
  'MODEL_RELEASE_GRACE_S',
  'MODEL_HUB_TIMEOUT_S',
  'MODEL_COLD_START_TIMEOUT_S',
] as const;

/** Throws one message naming every bad variable (never echoing the token). */
export function hubModelSettingsFromEnv(env: Record<string, unknown>): HubModelSettings {
  const e = parseSettings(envSchema, env, 'model settings');
  return {
    repo: e.HF_MODEL_REPO,
    revision: e.MODEL_REVISION,
    hubUrl: e.HF_ENDPOINT.replace(/\/+$/, ''),
    accessToken: e.HF_TOKEN,
    checkIntervalMs: e.MODEL_CHECK_INTERVAL_S * 1000,
    maxBackoffMs: e.MODEL_CHECK_MAX_BACKOFF_S * 1000,
    releaseGraceMs: e.MODEL_RELEASE_GRACE_S * 1000,
    requestTimeoutMs: e.MODEL_HUB_TIMEOUT_S * 1000,
    coldStartTimeoutMs: e.MODEL_COLD_START_TIMEOUT_S * 1000,
  };
}
