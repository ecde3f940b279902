/**
 * GET /v1/metrics: the monitoring numbers the dashboard shows, as JSON, or in Prometheus' text
 * format with `?format=prometheus` or an Accept header that asks for text/plain or OpenMetrics
 * without JSON. Behind the admin key when configured (see adminAccess).
 */
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { captureStatusSchema } from '../api-schemas';
import type { AppEnv } from '../deps';
import { ApiError, errorResponses } from '../errors';
import { COUNTER_FIELDS } from '../metrics/counters';
import type { Metrics, MetricsSnapshot } from '../metrics/metrics';
import { PROMETHEUS_CONTENT_TYPE, toPrometheus } from '../metrics/prometheus';
import { adminAccess } from '../middleware/admin-access/index';

const share = z.number().min(0).max(1).nullable();
const counts = Object.fromEntries(COUNTER_FIELDS.map((f) => [f, z.number().int()])) as Record<(typeof COUNTER_FIELDS)[number], z.ZodNumber>;
const totals = z.object({ ...counts, low_confidence_share: share.openapi({ description: 'low_confidence / predictions' }), disagreement_share: share.openapi({ description: 'disagreements / feedback' }) });

export const metricsSchema = z
  .object({
    generated_at: z.string(),
    store: z.enum(['sqlite', 'd1', 'memory']).openapi({ description: '`memory`: no database, this process or isolate only (lost on restart)' }),
    low_confidence_threshold: z.number(),
    windows: z.object({ last_24h: totals, last_7d: totals }).openapi({ description: 'Sums over every process or isolate, by hour: the current hour and the 23 (or 167) before it' }),
    series: z.array(z.object({ start: z.string(), ...counts })).openapi({ description: 'Hourly, oldest first; the last is the current hour' }),
    by_model_version: z.array(totals.extend({ model_version: z.string() })),
    alerts: z.object({
      status: z.enum(['ok', 'alert', 'not_judged']),
      window_days: z.number(),
      checks: z.array(z.object({ name: z.enum(['low_confidence_share', 'correction_disagreement']), status: z.enum(['ok', 'alert', 'too_few_samples']), value: share, limit: z.number(), samples: z.number(), message: z.string() })),
    }),
    capture: captureStatusSchema.nullable(),
  })
  .openapi('Metrics');

const route = createRoute({
  method: 'get',
  path: '/metrics',
  summary: 'Traffic, feedback and alert numbers (JSON or Prometheus text)',
  description: [
    'Predictions and feedback counted per minute by every process or isolate and summed: requests, texts scored per label, the share below the low-confidence threshold, feedback and the share that disagrees with the model, per window and per hour over 7 days, per model version; the serving alert check (same rules as the weekly `trainer monitor`); the capture buffer.',
    'Counts of the other processes or isolates appear once they have flushed (every `METRICS_FLUSH_S` seconds, 30 by default).',
    '`?format=prometheus` (or `Accept: text/plain`) returns the same numbers as Prometheus gauges.',
    'Needs the admin key (`Authorization: Bearer <key>`) when `ADMIN_API_KEY` is set, unless `DASHBOARD_ACCESS=public`.',
  ].join('\n\n'),
  request: { query: z.object({ format: z.enum(['json', 'prometheus']).optional() }) },
  responses: {
    200: { description: 'The numbers', content: { 'application/json': { schema: metricsSchema }, 'text/plain': { schema: z.string() } } },
    ...errorResponses('unauthorized', 'not_found', 'internal_error'),
  },
});

/** Prometheus' scrapers ask for text/plain or OpenMetrics; a browser or a JSON client names JSON or nothing specific. */
export function wantsPrometheus(format: string | undefined, accept: string | undefined): boolean {
  if (format) return format === 'prometheus';
  const a = (accept ?? '').toLowerCase();
  return !a.includes('application/json') && !a.includes('text/html') && (a.includes('text/plain') || a.includes('application/openmetrics-text'));
}

/** The snapshot with the capture buffer's status; 404 when counting is off. */
export async function metricsSnapshot(metrics: Metrics | null, capture: AppEnv['Variables']['deps']['capture']): Promise<MetricsSnapshot> {
  if (!metrics) throw new ApiError('not_found', 'metrics are off on this server (METRICS=off)');
  return metrics.snapshot(capture ? await capture.scheduler.status() : null);
}

export function metricsRoutes(adminKey: string | undefined): OpenAPIHono<AppEnv> {
  const routes = new OpenAPIHono<AppEnv>();
  routes.use('/metrics', adminAccess({ key: adminKey }));
  routes.openapi(route, async (c) => {
    const { metrics, capture } = c.get('deps');
    const snapshot = await metricsSnapshot(metrics, capture);
    c.header('Cache-Control', 'no-store');
    // The typed route expects JSON; the text variant is declared in the route's responses.
    if (wantsPrometheus(c.req.query('format'), c.req.header('accept'))) return c.body(toPrometheus(snapshot), 200, { 'Content-Type': PROMETHEUS_CONTENT_TYPE }) as never;
    return c.json(snapshot as z.infer<typeof metricsSchema>, 200);
  });
  return routes;
}
