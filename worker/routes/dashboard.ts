/**
 * GET /dashboard: the monitoring page (render-dashboard.ts), from the same numbers as /v1/metrics
 * plus the serving model and the model repo's history. Never loads a model: on an isolate that
 * has not served a prediction yet it says so.
 */
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { renderDashboard } from '../dashboard/render-dashboard';
import type { AppEnv } from '../deps';
import { errorResponses } from '../errors';
import { adminAccess } from '../middleware/admin-access/index';
import { metricsSnapshot } from './metrics';

const REFRESH_S = 60;

const route = createRoute({
  method: 'get',
  path: '/dashboard',
  summary: 'Monitoring dashboard (HTML)',
  description:
    'Traffic over 24 hours and 7 days (texts per label, low-confidence share, feedback and the share of corrections that disagree with the model), the capture buffer, the serving alert check, the serving model with its holdout metrics, and the model repo history (every trained candidate, promoted or not, with the reason). Same numbers as GET /v1/metrics. Needs the admin key (Bearer, or the password of HTTP Basic auth) when `ADMIN_API_KEY` is set, unless `DASHBOARD_ACCESS=public`.',
  responses: {
    200: { description: 'The page', content: { 'text/html': { schema: z.string() } } },
    ...errorResponses('unauthorized', 'internal_error'),
  },
});

export function dashboardRoutes(adminKey: string | undefined): OpenAPIHono<AppEnv> {
  const routes = new OpenAPIHono<AppEnv>();
  routes.use('/dashboard', adminAccess({ key: adminKey }));
  routes.openapi(route, async (c) => {
    const { metrics, capture, models, history, runtime } = c.get('deps');
    const model = models.status();
    const [snapshot, loaded, modelHistory] = await Promise.all([
      metrics ? metricsSnapshot(metrics, capture) : null,
      model.state === 'ready' ? models.current().catch(() => null) : null,
      history ? history.get() : null,
    ]);
    c.header('Cache-Control', 'no-store');
    c.header('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'");
    return c.html(renderDashboard({ runtime, snapshot, model: models.status(), manifest: loaded?.manifest ?? null, history: modelHistory, refreshS: REFRESH_S }), 200);
  });
  return routes;
}
