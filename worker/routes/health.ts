/** GET /health: liveness, the runtime, and this isolate's model state (never loads the model). */
import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import { healthSchema } from '../api-schemas';
import type { AppEnv } from '../env';

const route = createRoute({
  method: 'get',
  path: '/health',
  summary: 'Liveness and the model this process serves',
  description: 'Always 200 while the server runs. Never loads the model itself: workerd creates the bundled model session while it starts the isolate and the Node server before it listens, so `model.state` is `ready` from the first answer. `capture` shows the feedback buffer: records waiting, the last successful flush to the dataset repo and the last error.',
  responses: { 200: { description: 'The server is up', content: { 'application/json': { schema: healthSchema } } } },
});

export function healthRoutes(): OpenAPIHono<AppEnv> {
  const routes = new OpenAPIHono<AppEnv>();
  routes.openapi(route, async (c) => {
    const { runtime, models, startedAt, capture } = c.get('deps');
    const model = models.status();
    return c.json(
      {
        status: model.state === 'failed' ? ('degraded' as const) : ('ok' as const),
        runtime,
        model: {
          state: model.state,
          version: model.version,
          source: model.source,
          loaded_at: model.loadedAt,
          error: model.error,
          // Providers that follow the Hub add their version check, JSON-ready.
          ...('hub' in model && model.hub ? { hub: { ...model.hub } as Record<string, unknown> } : {}),
        },
        uptime_s: Math.max(0, Math.round((Date.now() - startedAt) / 100) / 10),
        // Two cheap reads (ledger row, depth estimate); never throws.
        capture: capture ? await capture.scheduler.status() : null,
      },
      200,
    );
  });
  return routes;
}
