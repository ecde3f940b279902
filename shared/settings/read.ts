/**
 * Typed settings from the environment (Node, the trainer) or the worker's vars and secrets
 * (workerd): each reader validates its group of variables.ts once and throws one message naming
 * every bad variable, never its value. With nothing set, every reader gives the defaults.
 */
import { z } from 'zod';
import { parseSettings } from './schema';
import * as groups from './variables';
import { RENAMED } from './variables';

/** process.env, a worker's env, or any object of strings: only the variables of variables.ts are read. */
export type SettingsEnv = object;

/** `env` with each renamed variable's old value under its new name (when the new one is unset). */
function withRenamed(settings: SettingsEnv): Record<string, unknown> {
  const env = settings as Record<string, unknown>;
  const present = (v: unknown) => v !== undefined && !(typeof v === 'string' && v.trim() === '');
  const copy: Record<string, unknown> = { ...env };
  for (const [old, now] of Object.entries(RENAMED)) if (present(env[old]) && !present(env[now])) copy[now] = env[old];
  return copy;
}

const read = <S extends z.ZodType>(schema: S, env: SettingsEnv, what: string): z.output<S> => parseSettings(schema, withRenamed(env), what);

/** One line per old variable name that is set; names only, never values. Log each once at start-up. */
export function deprecationWarnings(settings: SettingsEnv): string[] {
  const env = settings as Record<string, unknown>;
  return Object.entries(RENAMED)
    .filter(([old]) => typeof env[old] === 'string' && (env[old] as string).trim() !== '')
    .map(([old, now]) => `${old} is deprecated: rename it ${now} (it is read for now)`);
}

export function servingConfigFromEnv(env: SettingsEnv) {
  const e = read(groups.serving, env, 'serving settings');
  return {
    maxTextChars: e.MAX_TEXT_CHARS,
    maxBatchTexts: e.MAX_BATCH_TEXTS,
    maxBodyBytes: e.MAX_BODY_BYTES,
    /** ['*'] or exact origins. */
    corsOrigins: (e.CORS_ORIGINS.includes('*') ? ['*'] : e.CORS_ORIGINS) as readonly string[],
    logRequests: e.LOG_REQUESTS,
    /** 0 = no limit. */
    scoringRatePerMinute: e.SCORING_RATE_LIMIT_PER_MINUTE,
    scoringRateBurst: e.SCORING_RATE_LIMIT_BURST ?? e.SCORING_RATE_LIMIT_PER_MINUTE,
    scoreDecimals: e.SCORE_DECIMALS,
  };
}
export type ServingConfig = ReturnType<typeof servingConfigFromEnv>;

export function intakeConfigFromEnv(env: SettingsEnv) {
  const e = read(groups.intake, env, 'feedback settings');
  return {
    /** Bearer keys accepted by POST /v1/feedback; empty = no key needed. */
    feedbackApiKeys: e.FEEDBACK_API_KEYS as readonly string[],
    feedbackRatePerMinute: e.FEEDBACK_RATE_LIMIT_PER_MINUTE,
    feedbackRateBurst: e.FEEDBACK_RATE_LIMIT_BURST ?? Math.max(1, e.FEEDBACK_RATE_LIMIT_PER_MINUTE),
    lowConfidenceLogging: e.LOW_CONFIDENCE_LOGGING,
    lowConfidenceThreshold: e.LOW_CONFIDENCE_THRESHOLD,
    lowConfidenceSampleRate: e.LOW_CONFIDENCE_SAMPLE_RATE,
    lowConfidenceMaxPerMinute: e.LOW_CONFIDENCE_MAX_PER_MINUTE,
    authFailuresPerMinute: e.AUTH_FAILURE_LIMIT_PER_MINUTE,
  };
}
export type IntakeConfig = ReturnType<typeof intakeConfigFromEnv>;

/** The Hub, as every Hub call takes it. */
export interface HubSettings {
  hubUrl: string;
  accessToken: string | undefined;
}

/** HF_ENDPOINT and HF_TOKEN; `hubUrlFlag` (a command's --hub-url) wins over HF_ENDPOINT. */
export function hubSettingsFromEnv(env: SettingsEnv, hubUrlFlag?: string): HubSettings {
  const e = read(groups.hub, hubUrlFlag ? { ...env, HF_ENDPOINT: hubUrlFlag } : env, 'Hub settings');
  return { hubUrl: e.HF_ENDPOINT, accessToken: e.HF_TOKEN };
}

const captureRules = groups.hub.extend(groups.capture.shape);

export function captureConfigFromEnv(env: SettingsEnv) {
  const e = read(captureRules, env, 'capture settings');
  return {
    /** null when HF_TOKEN or HF_DATASET_REPO is missing: records are buffered, flushes fail visibly. */
    hub: e.HF_TOKEN && e.HF_DATASET_REPO ? { hubUrl: e.HF_ENDPOINT, accessToken: e.HF_TOKEN, repo: { type: 'dataset' as const, name: e.HF_DATASET_REPO } } : null,
    maxRecords: e.FLUSH_MAX_RECORDS,
    maxCommitsPerHour: e.FLUSH_MAX_COMMITS_PER_HOUR,
    sizeThreshold: e.FLUSH_SIZE_THRESHOLD,
    intervalMs: e.FLUSH_INTERVAL_S * 1000,
    backoffBaseMs: e.FLUSH_BACKOFF_BASE_S * 1000,
    backoffCapMs: e.FLUSH_BACKOFF_CAP_S * 1000,
    timeoutMs: e.FLUSH_TIMEOUT_S * 1000,
  };
}
export type CaptureConfig = ReturnType<typeof captureConfigFromEnv>;

const hubModelRules = groups.hub.extend(groups.hubModel.shape).refine((e) => !e.MODEL_REVISION || e.HF_MODEL_REPO, { message: 'MODEL_REVISION needs HF_MODEL_REPO', path: ['MODEL_REVISION'] });

export function hubModelSettingsFromEnv(env: SettingsEnv) {
  const e = read(hubModelRules, env, 'model settings');
  return {
    /** owner/name of the model repo; undefined = the bundled model only. */
    repo: e.HF_MODEL_REPO,
    /** Commit sha (or branch/tag) to serve instead of the latest; never checks for newer. */
    revision: e.MODEL_REVISION,
    hubUrl: e.HF_ENDPOINT,
    accessToken: e.HF_TOKEN,
    checkIntervalMs: e.MODEL_CHECK_INTERVAL_S * 1000,
    maxBackoffMs: e.MODEL_CHECK_MAX_BACKOFF_S * 1000,
    releaseGraceMs: e.MODEL_RELEASE_GRACE_S * 1000,
    requestTimeoutMs: e.MODEL_HUB_TIMEOUT_S * 1000,
    /** The whole Hub load at cold start (the first request waits for it); then the bundled model serves. */
    coldStartTimeoutMs: e.MODEL_COLD_START_TIMEOUT_S * 1000,
  };
}
export type HubModelSettings = ReturnType<typeof hubModelSettingsFromEnv>;

const HOUR_MS = 3_600_000;
const monitoringRules = groups.monitoring.refine((e) => e.DASHBOARD_ACCESS !== 'admin' || e.ADMIN_API_KEY, { message: 'DASHBOARD_ACCESS=admin needs ADMIN_API_KEY', path: ['DASHBOARD_ACCESS'] });

/** Default access: behind the admin key when one is set, public otherwise. */
export function monitoringSettingsFromEnv(env: SettingsEnv) {
  const e = read(monitoringRules, env, 'monitoring settings');
  return {
    /** Asked for by the dashboard and /v1/metrics when access is 'admin'; undefined = none. */
    adminApiKey: e.ADMIN_API_KEY,
    access: e.DASHBOARD_ACCESS ?? (e.ADMIN_API_KEY ? ('admin' as const) : ('public' as const)),
    enabled: e.METRICS,
    flushIntervalMs: e.METRICS_FLUSH_S * 1000,
    minuteRetentionMs: e.METRICS_MINUTE_RETENTION_H * HOUR_MS,
    hourRetentionMs: e.METRICS_HOUR_RETENTION_D * 24 * HOUR_MS,
  };
}
export type MonitoringSettings = ReturnType<typeof monitoringSettingsFromEnv>;

/** The Node server's own variables (the rest are the groups above). */
export function nodeProcessSettingsFromEnv(env: SettingsEnv) {
  const e = read(groups.node, env, 'settings');
  return {
    port: e.PORT,
    hostname: e.HOST,
    workers: e.WEB_CONCURRENCY,
    /** undefined: the shipped model. */
    modelDir: e.MODEL_DIR,
    /** null: CAPTURE_DB_PATH=off. */
    captureDbPath: e.CAPTURE_DB_PATH === 'off' ? null : e.CAPTURE_DB_PATH,
    trustProxyHops: e.TRUST_PROXY_HOPS,
  };
}

// The defaults: what each reader gives with nothing set.
export const SERVING_DEFAULTS: ServingConfig = servingConfigFromEnv({});
export const INTAKE_DEFAULTS: IntakeConfig = intakeConfigFromEnv({});
export const HUB_MODEL_DEFAULTS: HubModelSettings = hubModelSettingsFromEnv({});
export const MONITORING_DEFAULTS: MonitoringSettings = monitoringSettingsFromEnv({});
