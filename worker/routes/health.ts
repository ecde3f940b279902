/** GET /health: liveness, the runtime, and this isolate's model state (never loads the model). */
import { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../env';

export function healthRoutes(): OpenAPIHono<AppEnv> {
  const routes = new OpenAPIHono<AppEnv>();
  routes.get('/health', (c) => {
    const { runtime, models } = c.var.deps;
    const model = models.status();
    return c.json({
      status: 'ok',
      runtime,
      model: { state: model.state, version: model.version, source: model.source, loaded_at: model.loadedAt },
    });
  });
  return routes;
}
