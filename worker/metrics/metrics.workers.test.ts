/**
 * The counters inside workerd: the D1 store on the CAPTURE_DB binding sums what several isolates
 * add and rolls old minutes up; the real worker (worker/adapter/workerd/index.ts) counts predictions and serves
 * /v1/metrics and /dashboard from it.
 */
import * as workers from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import type { D1Like } from '../adapter/workerd/d1-buffer';
import type { Env } from '../deps';
import worker from '../adapter/workerd/index';
import { D1MetricsStore } from '../adapter/workerd/d1-metrics-store';
import { Metrics } from './metrics';
import { ALERT_POLICY } from './alert-policy';
import { MONITORING_DEFAULTS } from '../../shared/settings';

const env = (workers as unknown as { env: Env }).env;
const db = env.CAPTURE_DB as D1Like | undefined;
const BASE = 'http://worker.test';
const HOUR = 3_600_000;

function executionContext() {
  const pending: Promise<unknown>[] = [];
  return { pending, ctx: { waitUntil: (p: Promise<unknown>) => void pending.push(p), passThroughOnException: () => {}, props: {} } };
}

describe.skipIf(!db)('metrics in workerd', () => {
  it('D1: two isolates add into the same rows; minutes older than the retention move into hours', async () => {
    const version = `t${Date.now()}`; // rows of this test only
    const now = Date.now();
    const isolate = (t: { now: number }) => new Metrics({ store: new D1MetricsStore(db!), policy: ALERT_POLICY, lowConfidenceThreshold: 0.55, ...MONITORING_DEFAULTS, now: () => t.now });
    const clock = { now };
    const [a, b] = [isolate(clock), isolate(clock)];
    a.counters.predictions(version, [{ label: 'positive', confidence: 0.9 }], 0.55, now);
    b.counters.predictions(version, [{ label: 'negative', confidence: 0.4 }, { label: 'neutral', confidence: 0.7 }], 0.55, now);
    b.counters.feedback(version, 'negative', 'positive', now);
    a.counters.predictions(version, [{ label: 'positive', confidence: 0.9 }], 0.55, now - 72 * HOUR);
    await Promise.all([a.flush(), b.flush()]);
    const snapshot = await isolate(clock).snapshot();
    expect(snapshot.store).toBe('d1');
    expect(snapshot.by_model_version.find((v) => v.model_version === version)).toMatchObject({ requests: 3, predictions: 4, negative: 1, neutral: 1, positive: 2, low_confidence: 1, feedback: 1, disagreements: 1 });
    const hours = await db!.prepare('SELECT requests FROM metrics_hours WHERE model_version = ?').bind(version).all<{ requests: number }>();
    expect(hours.results).toEqual([{ requests: 1 }]);
  });

  it('the worker counts predictions and serves /v1/metrics, /dashboard and the alert check in /health', async () => {
    const get = async (path: string) => worker.fetch(new Request(`${BASE}${path}`), env, executionContext().ctx);
    const before = ((await (await get('/v1/metrics')).json()) as { windows: { last_24h: { predictions: number; requests: number } } }).windows.last_24h;
    for (const text of ['I love it', 'meh', 'terrible']) {
      const { ctx, pending } = executionContext();
      const response = await worker.fetch(new Request(`${BASE}/v1/sentiment`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text }) }), env, ctx);
      expect(response.status).toBe(200);
      await Promise.all(pending);
    }
    const after = ((await (await get('/v1/metrics')).json()) as { store: string; windows: { last_24h: { predictions: number; requests: number } } });
    expect(after.store).toBe('d1');
    expect(after.windows.last_24h.requests - before.requests).toBe(3);
    expect(after.windows.last_24h.predictions - before.predictions).toBe(3);

    const prom = await (await get('/v1/metrics?format=prometheus')).text();
    expect(prom).toMatch(/^edge_sentiment_predictions\{window="24h"\} \d+$/m);
    const page = await get('/dashboard');
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await page.text()).toContain(`data-metric="windows.last_24h.predictions"`);
    const health = (await (await get('/health')).json()) as { alerts: { status: string } };
    expect(['ok', 'alert', 'not_judged']).toContain(health.alerts.status);
  });
});
