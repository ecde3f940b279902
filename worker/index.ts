/**
 * workerd entry: ORT from the precompiled wasm module, the model from the bundle, settings from
 * the worker's vars, captured records in the CAPTURE_DB D1 binding. The model is shared by the
 * whole isolate; the app is built on the first request, when the vars are known (they are the
 * same for every request of an isolate). The Cron Trigger (wrangler.toml) runs scheduled(),
 * which flushes the buffer to the dataset repo.
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
import { createStaticModelProvider, type ModelProvider } from './model-provider/model-provider';
import { workerdCapture } from './runtime/capture-workerd';
import { logFlush } from './runtime/log-flush';
import { ortWorkerd } from './runtime/ort-workerd';
import { modelHistoryFor } from './dashboard/model-history';
import { monitoringSettingsFromEnv } from './metrics/settings';
import { flushWorkerdMetrics, isolateMetrics, workerdMetrics } from './runtime/metrics-workerd';

const bundled = async () => ({ bytes: new Uint8Array(modelBytes), manifest });

/** One per isolate. With HF_MODEL_REPO the Hub is asked for newer versions (after responses, via waitUntil). */
let models: { provider: ModelProvider; hub: HubModelProvider | null } | undefined;

function modelsFor(env: Env): NonNullable<typeof models> {
  if (!models) {
    const settings = hubModelSettingsFromEnv(env as Record<string, unknown>);
    const hub = settings.repo
      ? createHubModelProvider({
          ...settings,
          ort: ortWorkerd,
          bundled,
          // Re-opened per call: no cache object is carried from one request to another.
          cache: cacheApiModelFileCache(() => caches.open('hub-models') as Promise<CacheLike>),
          log: consoleLogger,
        })
      : null;
    models = { hub, provider: hub ?? createStaticModelProvider({ ort: ortWorkerd, source: 'bundled', files: bundled }) };
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
    const intake = intakeConfigFromEnv(vars);
    const monitoring = monitoringSettingsFromEnv(vars);
    app = createApp({
      runtime: 'workerd',
      models: modelsFor(env).provider,
      config: servingConfigFromEnv(vars),
      intake,
      capture: captureFor(env),
      // Cloudflare's edge sets it and replaces any value a client sent (wrangler dev does the same).
      clientAddress: (c) => c.req.header('cf-connecting-ip'),
      metrics: workerdMetrics(env.CAPTURE_DB, monitoring, intake.lowConfidenceThreshold),
      monitoring,
      history: modelHistoryFor(hubModelSettingsFromEnv(vars)),
    });
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
    const metrics = isolateMetrics();
    if (metrics?.flushDue()) (ctx as ExecutionContextLike).waitUntil(flushWorkerdMetrics(metrics, consoleLogger));
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
    // This isolate's counts too (they live in the same D1 database as the buffer).
    const metrics = isolateMetrics();
    ctx.waitUntil(
      Promise.all([capture.scheduler.maybeFlush('schedule').then((outcome) => logFlush(consoleLogger, outcome)), metrics?.counters.pending ? flushWorkerdMetrics(metrics, consoleLogger) : undefined]),
    );
  },
};
