/**
 * GET /health: liveness for anyone (status, model version, buffer depth); with the admin key
 * (`Authorization: Bearer <ADMIN_API_KEY>`) also `details`: runtime, where the model comes from,
 * the Hub checks, the buffer's flushes and errors. Repo names, paths and error texts say more
 * about the deployment than a public probe needs. Never loads the model.
 */
import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import { healthSchema } from '../api-schemas';
import type { AppEnv } from '../deps';
import type { Metrics } from '../metrics/metrics';
import { carriesAdminKey } from '../middleware/admin-access/index';

const route = createRoute({
  method: 'get',
  path: '/health',
  summary: 'Liveness, the model version and the feedback buffer depth',
  description: [
    'Always 200 while the server runs. Never loads the model itself: workerd creates the bundled model session while it starts the isolate and the Node server before it listens, so `version` is set from the first answer (null while a model is still loading). `depth` is the number of feedback/low-confidence records waiting to be committed to the dataset repo. `alerts` is the serving alert check over the last 7 days (low-confidence share of served predictions, share of feedback disagreeing with the model; details on /dashboard and /v1/metrics).',
    'With the admin key (`Authorization: Bearer <ADMIN_API_KEY>`, or the password of HTTP Basic auth) the answer also has `details`: the runtime, the model state and source, the Hub version checks, the buffer\'s last flush and last error, and why feedback is unavailable if it is. Without the key (or with a wrong one) `details` is left out.',
  ].join('\n\n'),
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
    const { runtime, models, startedAt, capture, captureError, metrics, monitoring } = c.get('deps');
    const model = models.status();
    const status = model.state === 'failed' || captureError ? ('degraded' as const) : ('ok' as const);
    const alerts = metrics ? await servingAlerts(metrics) : null;
    if (!monitoring.adminApiKey || !(await carriesAdminKey(c.req.header('authorization'), monitoring.adminApiKey))) {
      // The buffer's cheap estimate only; never throws.
      const depth = capture ? await capture.buffer.depthEstimate().catch(() => null) : null;
      return c.json({ status, version: model.version, depth, alerts }, 200);
    }
    // Two cheap reads (ledger row, depth estimate); never throws.
    const captureStatus = capture ? await capture.scheduler.status() : null;
    return c.json(
      {
        status,
        version: model.version,
        depth: captureStatus?.depth ?? null,
        alerts,
        details: {
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
          capture: captureStatus,
          capture_error: captureError,
        },
      },
      200,
    );
  });
  return routes;
}
