/**
 * Types shared by every route. `Env` holds the bindings and vars declared in wrangler.toml; on
 * Node the entry point reads the same names from process.env. Runtime-specific services arrive
 * as `AppDeps`, never through globals.
 */
import type { Context } from 'hono';
import type { Capture } from './capture/capture';
import type { D1Like } from './adapter/workerd/d1-buffer';
import type { IntakeConfig, ServingConfig } from './config';
import type { Logger } from './logger';
import type { ModelHistorySource } from './dashboard/model-history';
import type { Metrics } from './metrics/metrics';
import type { MonitoringSettings } from './metrics/settings';
import type { ApiKeyVariables } from './middleware/api-key/index';
import type { RequestIdVariables } from './middleware/request-id/index';
import type { RequestLogVariables } from './middleware/request-log/index';
import type { ModelProvider } from './model-provider/model-provider';

/** Vars (strings) read by servingConfigFromEnv; all optional, see config.ts for defaults. */
export interface Env {
  MAX_TEXT_CHARS?: string;
  MAX_BATCH_TEXTS?: string;
  MAX_BODY_BYTES?: string;
  CORS_ORIGINS?: string;
  LOG_REQUESTS?: string;
  SCORING_RATE_LIMIT_PER_MINUTE?: string;
  SCORING_RATE_LIMIT_BURST?: string;
  /** Feedback and low-confidence settings (config.ts, intakeConfigFromEnv). FEEDBACK_API_KEYS is a secret. */
  FEEDBACK_API_KEYS?: string;
  FEEDBACK_RATE_LIMIT_PER_MINUTE?: string;
  FEEDBACK_RATE_LIMIT_BURST?: string;
  LOW_CONFIDENCE_LOGGING?: string;
  LOW_CONFIDENCE_THRESHOLD?: string;
  LOW_CONFIDENCE_SAMPLE_RATE?: string;
  AUTH_FAILURE_LIMIT_PER_MINUTE?: string;
  /** Capture (capture/config.ts): where and how often records are committed. HF_TOKEN is a secret. */
  HF_ENDPOINT?: string;
  HF_TOKEN?: string;
  HF_DATASET_REPO?: string;
  FLUSH_MAX_RECORDS?: string;
  FLUSH_MAX_COMMITS_PER_HOUR?: string;
  FLUSH_SIZE_THRESHOLD?: string;
  FLUSH_BACKOFF_BASE_SECONDS?: string;
  FLUSH_BACKOFF_CAP_SECONDS?: string;
  FLUSH_TIMEOUT_SECONDS?: string;
  /** The Hub model repo to follow (model-provider/hub-settings.ts); unset = the bundled model only. */
  HF_MODEL_REPO?: string;
  MODEL_REVISION?: string;
  MODEL_CHECK_INTERVAL_S?: string;
  MODEL_CHECK_MAX_BACKOFF_S?: string;
  MODEL_RELEASE_GRACE_S?: string;
  MODEL_HUB_TIMEOUT_S?: string;
  MODEL_COLD_START_TIMEOUT_S?: string;
  /** Monitoring (metrics/settings.ts). ADMIN_API_KEY is a secret. */
  ADMIN_API_KEY?: string;
  DASHBOARD_ACCESS?: string;
  METRICS?: string;
  METRICS_FLUSH_S?: string;
  METRICS_MINUTE_RETENTION_H?: string;
  METRICS_HOUR_RETENTION_D?: string;
  /** D1 database buffering captured records until they are committed (wrangler.toml [[d1_databases]]). */
  CAPTURE_DB?: D1Like;
}

export interface AppDeps {
  /** Which runtime serves the request, for /health. */
  runtime: 'workerd' | 'node';
  models: ModelProvider;
  /** Default: the defaults of config.ts. */
  config?: ServingConfig;
  /** Feedback and low-confidence settings. Default: INTAKE_DEFAULTS of config.ts. */
  intake?: IntakeConfig;
  /** Durable buffer + Hub flusher for feedback and low-confidence records. null (default): feedback answers 503, nothing is logged. */
  capture?: Capture | null;
  /** Why capture is null although it was asked for (the buffer could not be opened): feedback answers 503 saying so, /health is degraded. */
  captureError?: string | null;
  /**
   * The caller's address, for per-client limits. Default: unknown (every caller shares one bucket).
   * workerd passes the CF-Connecting-IP header (Cloudflare sets it; wrangler dev too); Node the
   * socket's peer, or X-Forwarded-For behind trusted proxies. Never a header a client controls.
   */
  clientAddress?: (c: Context) => string | undefined;
  /** Per-minute counters for /v1/metrics and the dashboard; null (default): not counted. */
  metrics?: Metrics | null;
  /** Admin key and dashboard access. Default: MONITORING_DEFAULTS (public, no key). */
  monitoring?: MonitoringSettings;
  /** The model repo's metrics/history.jsonl for the dashboard; null (default): no model repo. */
  history?: ModelHistorySource | null;
  /** Default: JSON lines on the console. */
  log?: Logger;
  /** When this process or isolate started serving (ms since the epoch), for /health's uptime. Default: when the app is built. */
  startedAt?: number;
}

/** Hono's generic for this app: typed c.env and c.var. */
export interface AppEnv {
  Bindings: Env;
  Variables: { deps: Required<AppDeps> } & RequestIdVariables & RequestLogVariables & ApiKeyVariables;
}
