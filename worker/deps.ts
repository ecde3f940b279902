/**
 * Types shared by every route. Runtime-specific services arrive as `AppDeps`, never through globals.
 */
import type { Context } from 'hono';
import type { Capture } from './capture/capture';
import type { Logger } from './logger';
import type { ModelHistorySource } from './dashboard/model-history';
import type { Metrics } from './metrics/metrics';
import type { ApiKeyVariables } from './middleware/api-key/index';
import type { RequestIdVariables } from './middleware/request-id/index';
import type { RequestLogVariables } from './middleware/request-log/index';
import type { ModelProvider } from './model-provider/model-provider';
import { type IntakeConfig, type MonitoringSettings, type ServingConfig } from '../shared/settings';

/**
 * What a handler receives: the bindings and vars of wrangler.toml as `wrangler types` generates them
 * (worker-configuration.d.ts, `npm run types`; any may be missing, as in a test's env), plus the
 * vars and secrets a deployment sets elsewhere. Settings are never read from it field by field:
 * shared/settings/ validates every variable it knows.
 */
export type Env = Partial<Cloudflare.Env> & { readonly [variable: string]: unknown };

export interface AppDeps {
  /** Which runtime serves the request: a label for /health and the dashboard, never a branch. */
  runtime: 'workerd' | 'node';
  /**
   * Keeps the runtime alive until `promise` (work after the response) settles. workerd: the
   * request's ExecutionContext.waitUntil. Default: nothing (a Node process outlives its requests).
   */
  waitUntil?: (c: Context, promise: Promise<unknown>) => void;
  models: ModelProvider;
  /** Default: SERVING_DEFAULTS (shared/settings). */
  config?: ServingConfig;
  /** Feedback and low-confidence settings. Default: INTAKE_DEFAULTS (shared/settings). */
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
