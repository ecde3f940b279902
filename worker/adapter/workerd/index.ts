/**
 * workerd entry: ORT from the precompiled wasm module, the model from the bundle, settings from
 * the worker's vars, captured records in the CAPTURE_DB D1 binding. ORT's initialisation and the
 * bundled model's session are created while workerd runs the global scope (a top-level await of
 * work that does no I/O settles there), so no request pays for them; so is the app, from the
 * deployment's env (`cloudflare:workers`), and the model is warmed up. The model is shared by the
 * whole isolate. With HF_MODEL_REPO the bundled model serves until the
 * Hub's version, loaded after a response like any hot swap, replaces it. The Cron Trigger
 * (wrangler.toml) runs scheduled(), which flushes the buffer to the dataset repo.
 */
import { env as workersEnv } from 'cloudflare:workers';
import { createApp, type App } from '../../app';
import { warmUpApp } from '../../warm-up-app';
import type { Capture } from '../../capture/capture';
import type { AppDeps, Env } from '../../deps';
import { errorBody } from '../../errors';
import { consoleLogger } from '../../logger';
import manifest from '../../model/manifest.json';
import modelBytes from '../../model/model.onnx';
import { createHubModelProvider, type HubModelProvider } from '../../model-provider/hub-model-provider';
import { cacheApiModelFileCache, type CacheLike } from './cache-api-file-cache';
import { loadVerifiedModel } from '../../model-provider/load-verified-model';
import { createStaticModelProvider, type LoadedModel, type ModelProvider } from '../../model-provider/model-provider';
import { warmUpModel } from '../../model-provider/warm-up';
import { workerdCapture } from './capture';
import { logFlush } from '../../capture/log-flush';
import { ortWorkerd } from './ort';
import { modelHistoryFor } from '../../dashboard/model-history';
import { flushWorkerdMetrics, isolateMetrics, workerdMetrics } from './metrics';
import { captureConfigFromEnv, deprecationWarnings, hubModelSettingsFromEnv, intakeConfigFromEnv, monitoringSettingsFromEnv, servingConfigFromEnv } from '../../../shared/settings';

// Nothing in the global scope may read a body, build a Response or draw a random number, so the
// app itself cannot serve a warm-up request there; its router and the model can be warmed.
const WARM_UP_ROUTES = [
  ['GET', '/health'],
  ['POST', '/v1/sentiment'],
  ['POST', '/v1/sentiment/batch'],
] as const;

const bundled = async () => ({ bytes: new Uint8Array(modelBytes), manifest });

// The global scope's one expensive step (ORT's wasm + the first session: 0.3–0.5 s of CPU locally;
// the platform allows 1 s). A bundled model that fails to load fails the deploy, not a request.
const initial: LoadedModel = { ...(await loadVerifiedModel(ortWorkerd, await bundled())), source: 'bundled', loadedAt: new Date() };
await warmUpModel(initial.model);

/** One per isolate. With HF_MODEL_REPO the Hub is asked for newer versions (after responses, via waitUntil). */
let models: { provider: ModelProvider; hub: HubModelProvider | null } | undefined;

function modelsFor(env: Env): NonNullable<typeof models> {
  if (!models) {
    const settings = hubModelSettingsFromEnv(env);
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
    capture = workerdCapture(env.CAPTURE_DB, captureConfigFromEnv(env));
    captures.set(env, capture);
  }
  return capture;
}

/** The vars (not the bindings) of an env, comparable. */
const varsOf = (env: Env) =>
  JSON.stringify(
    Object.entries(env)
      .filter(([, value]) => typeof value === 'string')
      .sort(([a], [b]) => (a < b ? -1 : 1)),
  );
/** The deployment's env, as the global scope sees it. */
const deploymentEnv = workersEnv as Env;
const deploymentVars = varsOf(deploymentEnv);
const canonical = new WeakMap<Env, Env>();

/**
 * A handler's env is a new object with the deployment's vars and bindings: map it to the env the
 * global scope saw, so the app built there serves it (tests pass envs of their own).
 */
function canonicalEnv(env: Env): Env {
  let same = canonical.get(env);
  if (!same) {
    same = varsOf(env) === deploymentVars ? deploymentEnv : env;
    canonical.set(env, same);
  }
  return same;
}

let deprecationsLogged = false;

/** The app's dependencies for an env; throws on invalid vars. */
function depsFor(env: Env): AppDeps {
  if (!deprecationsLogged) {
    deprecationsLogged = true;
    for (const msg of deprecationWarnings(env)) consoleLogger('warn', { msg });
  }
  const intake = intakeConfigFromEnv(env);
  const monitoring = monitoringSettingsFromEnv(env);
  return {
    runtime: 'workerd',
    models: modelsFor(env).provider,
    config: servingConfigFromEnv(env),
    intake,
    capture: captureFor(env),
    // Cloudflare's edge sets it and replaces any value a client sent (wrangler dev does the same).
    clientAddress: (c) => c.req.header('cf-connecting-ip'),
    waitUntil: (c, promise) => c.executionCtx.waitUntil(promise),
    metrics: workerdMetrics(env.CAPTURE_DB, monitoring, intake.lowConfidenceThreshold),
    monitoring,
    history: modelHistoryFor(hubModelSettingsFromEnv(env)),
  };
}

function appFor(env: Env): App {
  let app = apps.get(env);
  if (!app) {
    app = createApp(depsFor(env));
    apps.set(env, app);
  }
  return app;
}

// The deployment's app, built while the global scope runs (its routes and schemas cost a few ms),
// and a copy of it warmed up with real requests (warm-up-app.ts). Invalid vars throw again, and
// are reported, on every request.
let warmUp: Promise<void> | undefined;
try {
  const app = appFor(deploymentEnv);
  for (const [method, path] of WARM_UP_ROUTES) app.router.match(method, path); // Hono builds its matcher on first use
  warmUp = warmUpApp(depsFor(deploymentEnv));
} catch {
  // reported by fetch()
}
// A failed warm-up costs the first requests some milliseconds, not the deployment.
await warmUp?.catch((error: Error) => consoleLogger('warn', { msg: 'warm-up failed', error: error.message }));

export default {
  fetch(request: Request, env: Env, ctx: unknown): Response | Promise<Response> {
    // workerd's clock reads 0 while the global scope runs: say when the model began serving instead.
    if (initial.loadedAt.getTime() === 0) initial.loadedAt = new Date();
    let app: App;
    env = canonicalEnv(env);
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
      capture = captureFor(canonicalEnv(env));
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
