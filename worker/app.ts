/**
 * The Hono app, built from injected dependencies so the same code serves on workerd and on Node
 * (and in tests, with fakes). Entry points only choose the dependencies.
 */
import { OpenAPIHono } from '@hono/zod-openapi';
import type { AppDeps, AppEnv } from './env';
import { ModelUnavailableError } from './model-provider/model-provider';
import { healthRoutes } from './routes/health';
import { sentimentRoutes } from './routes/sentiment';

export function createApp(deps: AppDeps): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>();
  app.use(async (c, next) => {
    c.set('deps', deps);
    await next();
  });
  app.route('/', healthRoutes());
  app.route('/v1', sentimentRoutes());
  // Phase 2 replaces this with the API's error format; until then never leak a stack trace.
  app.onError((error, c) => {
    if (error instanceof ModelUnavailableError) {
      console.error(error.message); // the cause is expected (bad files); one line is enough
      return c.json({ error: 'model unavailable' }, 503);
    }
    console.error(error);
    return c.json({ error: 'internal error' }, 500);
  });
  return app;
}
