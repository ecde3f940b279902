/**
 * Serving settings from environment variables (Node) or wrangler vars/bindings (workerd): strings,
 * validated once per process or isolate so a typo fails loudly. Every setting has a default, so
 * the API runs with no configuration at all.
 */
import { z } from 'zod';

/** Parses settings with `schema`; throws one message naming every bad variable, never a value (tokens are secrets). */
export function parseSettings<S extends z.ZodType>(schema: S, env: unknown, what: string): z.output<S> {
  const parsed = schema.safeParse(env);
  if (!parsed.success) throw new Error(`invalid ${what}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return parsed.data;
}

export const SERVING_DEFAULTS = {
  /** Characters (Unicode code points) per text. */
  maxTextChars: 5_000,
  /** Texts per POST /v1/sentiment/batch. */
  maxBatchTexts: 256,
  /** Bytes per request body (1 MiB). */
  maxBodyBytes: 1_048_576,
  /** Origins allowed by CORS: ['*'] or exact origins. */
  corsOrigins: ['*'] as readonly string[],
  /** One JSON line per request on stdout. */
  logRequests: true,
  /** Scoring requests (single or batch) per client per minute; 0 = no limit. */
  scoringRatePerMinute: 0,
  /** Scoring requests a client may send at once (bucket size); 0 = the per-minute rate. */
  scoringRateBurst: 0,
  /** Decimals of probabilities and explanation numbers in responses (a request may ask for full precision). */
  scoreDecimals: 4,
} as const;

export interface ServingConfig {
  maxTextChars: number;
  maxBatchTexts: number;
  maxBodyBytes: number;
  corsOrigins: readonly string[];
  logRequests: boolean;
  scoringRatePerMinute: number;
  scoringRateBurst: number;
  scoreDecimals: number;
}

const blankIsUnset = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const positiveInt = (fallback: number, max: number) =>
  z.preprocess(blankIsUnset, z.coerce.number({ error: 'must be a number' }).int('must be a whole number').min(1, 'must be at least 1').max(max, `must be at most ${max}`).default(fallback));
const nonNegativeInt = (fallback: number, max: number) =>
  z.preprocess(blankIsUnset, z.coerce.number({ error: 'must be a number' }).int('must be a whole number').min(0, 'must be at least 0').max(max, `must be at most ${max}`).default(fallback));
/** A bucket size; unset: the per-minute rate. */
const burstSize = (max: number) =>
  z.preprocess(blankIsUnset, z.coerce.number({ error: 'must be a number' }).int('must be a whole number').min(1, 'must be at least 1').max(max, `must be at most ${max}`).optional());

const originSchema = z.string().refine((origin) => origin === '*' || /^https?:\/\/[^/\s]+$/.test(origin), {
  error: (issue) => `${JSON.stringify(issue.input)} is not an origin like https://example.com (scheme and host, no path) or *`,
});

const envSchema = z.object({
  MAX_TEXT_CHARS: positiveInt(SERVING_DEFAULTS.maxTextChars, 1_000_000),
  MAX_BATCH_TEXTS: positiveInt(SERVING_DEFAULTS.maxBatchTexts, 100_000),
  MAX_BODY_BYTES: positiveInt(SERVING_DEFAULTS.maxBodyBytes, 100 * 1_048_576),
  /** Comma-separated; `*` allows any origin. */
  CORS_ORIGINS: z.preprocess(
    (v) => (typeof v === 'string' && v.trim() !== '' ? v.split(',').map((s) => s.trim()).filter(Boolean) : undefined),
    z.array(originSchema).default([...SERVING_DEFAULTS.corsOrigins]),
  ),
  LOG_REQUESTS: z.preprocess(
    (v) => (typeof v === 'string' && v.trim() !== '' ? v.trim().toLowerCase() : typeof v === 'boolean' ? String(v) : undefined),
    z.enum(['true', 'false', '1', '0', 'yes', 'no'], { error: 'must be true or false' }).default('true'),
  ),
  SCORING_RATE_LIMIT_PER_MINUTE: nonNegativeInt(SERVING_DEFAULTS.scoringRatePerMinute, 1_000_000),
  SCORING_RATE_LIMIT_BURST: burstSize(1_000_000),
  SCORE_DECIMALS: positiveInt(SERVING_DEFAULTS.scoreDecimals, 9),
});

export const SERVING_ENV_KEYS = Object.keys(envSchema.shape) as (keyof typeof envSchema.shape)[];

export function servingConfigFromEnv(env: Record<string, unknown>): ServingConfig {
  const e = parseSettings(envSchema, env, 'serving settings');
  return {
    maxTextChars: e.MAX_TEXT_CHARS,
    maxBatchTexts: e.MAX_BATCH_TEXTS,
    maxBodyBytes: e.MAX_BODY_BYTES,
    corsOrigins: e.CORS_ORIGINS.includes('*') ? ['*'] : e.CORS_ORIGINS,
    logRequests: ['true', '1', 'yes'].includes(e.LOG_REQUESTS),
    scoringRatePerMinute: e.SCORING_RATE_LIMIT_PER_MINUTE,
    scoringRateBurst: e.SCORING_RATE_LIMIT_BURST ?? e.SCORING_RATE_LIMIT_PER_MINUTE,
    scoreDecimals: e.SCORE_DECIMALS,
  };
}

// ---- feedback and low-confidence capture ----------------------------------------------------

export const INTAKE_DEFAULTS = {
  /** Bearer keys accepted by POST /v1/feedback; empty = no key needed. */
  feedbackApiKeys: [] as readonly string[],
  /** Feedback requests per client per minute (token bucket refill); 0 = no limit. */
  feedbackRatePerMinute: 60,
  /** Requests a client may send at once before the per-minute rate applies (bucket size). */
  feedbackRateBurst: 60,
  /** Log predictions whose top probability is below lowConfidenceThreshold. */
  lowConfidenceLogging: true,
  lowConfidenceThreshold: 0.55,
  /** Fraction of low-confidence predictions recorded (0 disables, 1 records all). */
  lowConfidenceSampleRate: 1,
  /**
   * At most this many low-confidence records per minute per process (Node) or isolate (workerd),
   * in bursts of as many; 0 = no cap. Volume control: at 1,000 req/s with 28% under the
   * threshold, recording all of them would add 24 million records a day to the dataset.
   */
  lowConfidenceMaxPerMinute: 60,
  /**
   * Failed API-key checks a client may make at once, then one more per 60/N seconds (429 with
   * Retry-After meanwhile); 0 = no throttle. Only matters when FEEDBACK_API_KEYS is set.
   */
  authFailuresPerMinute: 10,
} as const;

export interface IntakeConfig {
  feedbackApiKeys: readonly string[];
  feedbackRatePerMinute: number;
  feedbackRateBurst: number;
  lowConfidenceLogging: boolean;
  lowConfidenceThreshold: number;
  lowConfidenceSampleRate: number;
  lowConfidenceMaxPerMinute: number;
  authFailuresPerMinute: number;
}

const fraction = (fallback: number) =>
  z.preprocess(blankIsUnset, z.coerce.number({ error: 'must be a number' }).min(0, 'must be between 0 and 1').max(1, 'must be between 0 and 1').default(fallback));
const flag = (fallback: boolean) =>
  z.preprocess(
    (v) => (typeof v === 'string' && v.trim() !== '' ? v.trim().toLowerCase() : typeof v === 'boolean' ? String(v) : undefined),
    z.enum(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off'], { error: 'must be true or false' }).default(String(fallback) as 'true' | 'false'),
  );

const intakeEnvSchema = z.object({
  /** Comma-separated secret; unset or blank = feedback needs no key. */
  FEEDBACK_API_KEYS: z.preprocess(
    (v) => (typeof v === 'string' ? v.split(',').map((s) => s.trim()).filter(Boolean) : undefined),
    z.array(z.string().min(16, 'each key must be at least 16 characters')).default([]),
  ),
  FEEDBACK_RATE_LIMIT_PER_MINUTE: nonNegativeInt(INTAKE_DEFAULTS.feedbackRatePerMinute, 1_000_000),
  /** Default: the per-minute rate. */
  FEEDBACK_RATE_LIMIT_BURST: burstSize(1_000_000),
  LOW_CONFIDENCE_LOGGING: flag(INTAKE_DEFAULTS.lowConfidenceLogging),
  LOW_CONFIDENCE_THRESHOLD: fraction(INTAKE_DEFAULTS.lowConfidenceThreshold),
  LOW_CONFIDENCE_SAMPLE_RATE: fraction(INTAKE_DEFAULTS.lowConfidenceSampleRate),
  LOW_CONFIDENCE_MAX_PER_MINUTE: nonNegativeInt(INTAKE_DEFAULTS.lowConfidenceMaxPerMinute, 1_000_000),
  AUTH_FAILURE_LIMIT_PER_MINUTE: nonNegativeInt(INTAKE_DEFAULTS.authFailuresPerMinute, 1_000_000),
});

export const INTAKE_ENV_KEYS = Object.keys(intakeEnvSchema.shape) as (keyof typeof intakeEnvSchema.shape)[];

/** Feedback and low-confidence settings. Error messages name the variable, never its value (API keys are secrets). */
export function intakeConfigFromEnv(env: Record<string, unknown>): IntakeConfig {
  const e = parseSettings(intakeEnvSchema, env, 'feedback settings');
  return {
    feedbackApiKeys: e.FEEDBACK_API_KEYS,
    feedbackRatePerMinute: e.FEEDBACK_RATE_LIMIT_PER_MINUTE,
    feedbackRateBurst: e.FEEDBACK_RATE_LIMIT_BURST ?? Math.max(1, e.FEEDBACK_RATE_LIMIT_PER_MINUTE),
    lowConfidenceLogging: ['true', '1', 'yes', 'on'].includes(e.LOW_CONFIDENCE_LOGGING),
    lowConfidenceThreshold: e.LOW_CONFIDENCE_THRESHOLD,
    lowConfidenceSampleRate: e.LOW_CONFIDENCE_SAMPLE_RATE,
    lowConfidenceMaxPerMinute: e.LOW_CONFIDENCE_MAX_PER_MINUTE,
    authFailuresPerMinute: e.AUTH_FAILURE_LIMIT_PER_MINUTE,
  };
}
