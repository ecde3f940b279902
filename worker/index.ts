/**
 * workerd entry: ORT from the precompiled wasm module, the model from the bundle, settings from
 * the worker's vars. The model is shared by the whole isolate; the app is built on the first
 * request, when the vars are known (they are the same for every request of an isolate).
 */
import { createApp, type App } from './app';
import { servingConfigFromEnv } from './config';
import type { Env } from './env';
import { errorBody } from './errors';
import { consoleLogger } from './logger';
import manifest from './model/manifest.json';
import modelBytes from './model/model.onnx';
import { createStaticModelProvider } from './model-provider/model-provider';
import { ortWorkerd } from './runtime/ort-workerd';

const models = createStaticModelProvider({
  ort: ortWorkerd,
  source: 'bundled',
  files: async () => ({ bytes: new Uint8Array(modelBytes), manifest }),
});

const apps = new WeakMap<Env, App>();

function appFor(env: Env): App {
  let app = apps.get(env);
  if (!app) {
    app = createApp({ runtime: 'workerd', models, config: servingConfigFromEnv(env as Record<string, unknown>) });
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
    return app.fetch(request, env, ctx as Parameters<App['fetch']>[2]);
  },
};
