/**
 * Types shared by every route. `Env` holds the bindings and vars declared in wrangler.toml; on
 * Node the entry point reads the same names from process.env. Runtime-specific services arrive
 * as `AppDeps`, never through globals.
 */
import type { ServingConfig } from './config';
import type { Logger } from './logger';
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
}

export interface AppDeps {
  /** Which runtime serves the request, for /health. */
  runtime: 'workerd' | 'node';
  models: ModelProvider;
  /** Default: the defaults of config.ts. */
  config?: ServingConfig;
  /** Default: JSON lines on the console. */
  log?: Logger;
  /** When this process or isolate started serving (ms since the epoch), for /health's uptime. Default: when the app is built. */
  startedAt?: number;
}

/** Hono's generic for this app: typed c.env and c.var. */
export interface AppEnv {
  Bindings: Env;
  Variables: { deps: Required<AppDeps> } & RequestIdVariables & RequestLogVariables;
}
