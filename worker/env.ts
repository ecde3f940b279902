/**
 * Types shared by every route. `Env` holds the bindings declared in wrangler.toml (none yet:
 * phase 2 adds the feedback buffer and Hub settings); on Node the entry point fills it from
 * process.env. Runtime-specific services arrive as `AppDeps`, never through globals.
 */
import type { ModelProvider } from './model-provider/model-provider';

// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- bindings are added here as they appear
export interface Env {}

export interface AppDeps {
  /** Which runtime serves the request, for /health. */
  runtime: 'workerd' | 'node';
  models: ModelProvider;
}

/** Hono's generic for this app: typed c.env and c.var. */
export interface AppEnv {
  Bindings: Env;
  Variables: { deps: AppDeps };
}
