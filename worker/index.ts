/**
 * workerd entry: ORT from the precompiled wasm module, the model from the bundle, settings from
 * the worker's vars, captured records in the CAPTURE_DB D1 binding. ORT's initialisation and the
 * bundled model's session are created while workerd runs the global scope (a top-level await of
 * work that does no I/O settles there), so no request pays for them. The model is shared by the
 * whole isolate; the app is built on the first request, when the vars are known (they are the
 * same for every request of an isolate). With HF_MODEL_REPO the bundled model serves until the
 * Hub's version, loaded after a response like any hot swap, replaces it. The Cron Trigger
 * (wrangler.toml) runs scheduled(), which flushes the buffer to the dataset repo.
 */
import { createApp, type App } from './app';
import type { Capture } from './capture/capture';
import { captureConfigFromEnv } from './capture/config';
import { intakeConfigFromEnv, servingConfigFromEnv } from './config';
import type { Env } from './env';
import { errorBody } from './errors';
import { consoleLogger } from './logger';
import manifest from './model/manifest.json';
import modelBytes from './model/model.onnx';
import { createHubModelProvider, type HubModelProvider } from './model-provider/hub-model-provider';
import { hubModelSettingsFromEnv } from './model-provider/hub-settings';
import { cacheApiModelFileCache, type CacheLike } from './model-provider/model-file-cache';
import { loadVerifiedModel } from './model-provider/load-verified-model';
import { createStaticModelProvider, type LoadedModel, type ModelProvider } from './model-provider/model-provider';
import { workerdCapture } from './runtime/capture-workerd';
import { logFlush } from './runtime/log-flush';
import { ortWorkerd } from './runtime/ort-workerd';

const bundled = async () => ({ bytes: new Uint8Array(modelBytes), manifest });

// The global scope's one expensive step (ORT's wasm + the first session: 0.3–0.5 s of CPU locally;
// the platform allows 1 s). A bundled model that fails to load fails the deploy, not a request.
const initial: LoadedModel = { ...(await loadVerifiedModel(ortWorkerd, await bundled())), source: 'bundled', loadedAt: new Date() };

/** One per isolate. With HF_MODEL_REPO the Hub is asked for newer versions (after responses, via waitUntil). */
let models: { provider: ModelProvider; hub: HubModelProvider | null } | undefined;

function modelsFor(env: Env): NonNullable<typeof models> {
  if (!models) {
    // workerd's clock reads 0 while the global scope runs: say when the model began serving instead.
    if (initial.loadedAt.getTime() === 0) initial.loadedAt = new Date();
    const settings = hubModelSettingsFromEnv(env as Record<string, unknown>);
    const hub = settings.repo
      ? createHubModelProvider({
          ...settings,
          ort: ortWorkerd,
          bundled,
          // Re-opened per call: no cache object is carried from one request to another.
          cache: cacheApiModelFileCache(() => caches.open('hub-models') as Promise<CacheLike>),
          log: consoleLogger,
          initial,
        })
      : null;
    models = { hub, provider: hub ?? createStaticModelProvider({ ort: ortWorkerd, source: 'bundled', files: bundled, initial }) };
  }
  return models;
}

interface ExecutionContextLike {
  waitUntil(promise: Promise<unknown>): void;
}

const apps = new WeakMap<Env, App>();
const captures = new WeakMap<Env, Capture | null>();

function captureFor(env: Env): Capture | null {
  let capture = captures.get(env);
  if (capture === undefined) {
    capture = workerdCapture(env.CAPTURE_DB, captureConfigFromEnv(env as Record<string, unknown>));
    captures.set(env, capture);
  }
  return capture;
}

function appFor(env: Env): App {
  let app = apps.get(env);
  if (!app) {
    const vars = env as Record<string, unknown>;
    app = createApp({ runtime: 'workerd', models: modelsFor(env).provider, config: servingConfigFromEnv(vars), intake: intakeConfigFromEnv(vars), capture: captureFor(env) });
    apps.set(env, app);
  }
  return app;
}

export default {
  fetch(request: Request, env: Env, ctx: unknown): Response | Promise<Response> {
    let app: App;
    try {
      app = appFor(env);
    } catch (error) {
      // Invalid vars: say so in the logs on every request rather than serve with wrong limits.
      consoleLogger('error', { msg: (error as Error).message });
      return Response.json(errorBody('internal_error', 'the server is misconfigured; see its logs'), { status: 500 });
    }
    const response = app.fetch(request, env, ctx as Parameters<App['fetch']>[2]);
    const hub = modelsFor(env).hub;
    if (hub) (ctx as ExecutionContextLike).waitUntil(hub.maybeCheck()); // cheap unless a check is due
    return response;
  },

  /** Cron Trigger: commit what the buffer holds (the scheduler applies backoff and the hourly limit). */
  scheduled(_controller: unknown, env: Env, ctx: ExecutionContextLike): void {
    let capture: Capture | null;
    try {
      capture = captureFor(env);
    } catch (error) {
      consoleLogger('error', { msg: (error as Error).message });
      return;
    }
    if (!capture) return;
    ctx.waitUntil(capture.scheduler.maybeFlush('schedule').then((outcome) => logFlush(consoleLogger, outcome)));
  },
};
