/** GET /health: liveness, the runtime, and this isolate's model state (never loads the model). */
import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import { healthSchema } from '../api-schemas';
import type { AppEnv } from '../env';
import type { Metrics } from '../metrics/metrics';

const route = createRoute({
  method: 'get',
  path: '/health',
  summary: 'Liveness and the model this process serves',
  description: 'Always 200 while the server runs. Never loads the model itself: on workerd `model.state` stays `idle` until a request needs the model; the Node server starts loading it at startup. `capture` shows the feedback buffer: records waiting, the last successful flush to the dataset repo and the last error. `alerts` is the serving alert check over the last 7 days (low-confidence share of served predictions, share of feedback disagreeing with the model; details on /dashboard and /v1/metrics).',
  responses: { 200: { description: 'The server is up', content: { 'application/json': { schema: healthSchema } } } },
});

/** The serving alert check (recomputed at most once a minute); a store that cannot be read says so instead of failing /health. */
async function servingAlerts(metrics: Metrics) {
  try {
    const { status, window_days, checks } = await metrics.alertSummary();
    return { status, window_days, firing: checks.filter((check) => check.status === 'alert').map((check) => check.name) };
  } catch {
    return { status: 'unknown' as const, window_days: null, firing: [] };
  }
}

export function healthRoutes(): OpenAPIHono<AppEnv> {
  const routes = new OpenAPIHono<AppEnv>();
  routes.openapi(route, async (c) => {
    const { runtime, models, startedAt, capture, metrics } = c.get('deps');
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
        alerts: metrics ? await servingAlerts(metrics) : null,
      },
      200,
    );
  });
  return routes;
}
