/**
 * Counters → store → snapshot, on SQLite files (the Node store) and in memory: additive merges
 * from several writers, rollup into hours, the alert rules of `trainer monitor`, and the routes
 * (/v1/metrics JSON and Prometheus, /dashboard, admin access, /health's alerts) on app.request.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { retrainConfigSchema } from '../../trainer/retrain/retrain-config';
import { createApp } from '../app';
import { fixtureModelProvider } from '../test/fixture-provider';
import { checkServingAlerts } from './alerts';
import { emptyCounts, MinuteCounters } from './counters';
import { MemoryMetricsStore } from './memory-metrics-store';
import { Metrics } from './metrics';
import type { MetricsStore } from './metrics-store';
import { SqliteMetricsStore } from '../adapter/node/sqlite-metrics-store';
import { ALERT_POLICY } from './alert-policy';
import { MONITORING_DEFAULTS, monitoringSettingsFromEnv } from '../../shared/settings';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const T0 = Date.UTC(2026, 11, 1, 12, 0, 0);
const pred = (label: 'negative' | 'neutral' | 'positive', confidence: number) => ({ label, confidence });

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'metrics-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

function metricsOn(store: MetricsStore, clock: { t: number }) {
  return new Metrics({ store, policy: ALERT_POLICY, lowConfidenceThreshold: 0.55, flushIntervalMs: 30_000, minuteRetentionMs: 48 * HOUR, hourRetentionMs: 90 * 24 * HOUR, now: () => clock.t });
}

describe('MinuteCounters', () => {
  it('counts per minute and model version, labels, low confidence and disagreements', () => {
    const c = new MinuteCounters();
    c.predictions('v1', [pred('positive', 0.9), pred('negative', 0.4)], 0.55, T0);
    c.predictions('v1', [pred('neutral', 0.5)], 0.55, T0 + 1000);
    c.predictions('v2', [pred('neutral', 0.9)], 0.55, T0 + 2000);
    c.feedback('v1', 'positive', 'negative', T0 + MINUTE);
    c.feedback('v1', 'neutral', 'neutral', T0 + MINUTE);
    const rows = c.drain();
    expect(rows).toEqual([
      { minute: T0 / MINUTE, model_version: 'v1', ...emptyCounts(), requests: 2, predictions: 3, negative: 1, neutral: 1, positive: 1, low_confidence: 2 },
      { minute: T0 / MINUTE, model_version: 'v2', ...emptyCounts(), requests: 1, predictions: 1, neutral: 1 },
      { minute: T0 / MINUTE + 1, model_version: 'v1', ...emptyCounts(), feedback: 2, disagreements: 1 },
    ]);
    expect(c.pending).toBe(false);
  });
});

describe('Metrics.flushDue', () => {
  it('counts the interval from the last flush, or from the first request when built while the clock read 0 (workerd\'s global scope)', () => {
    const clock = { t: 0 };
    const m = metricsOn(new MemoryMetricsStore(), clock);
    m.counters.predictions('v1', [pred('positive', 0.9)], 0.55, T0);
    clock.t = T0;
    expect(m.flushDue()).toBe(false); // the first request: not a flush
    clock.t = T0 + 29_000;
    expect(m.flushDue()).toBe(false);
    clock.t = T0 + 30_000;
    expect(m.flushDue()).toBe(true);
    const built = metricsOn(new MemoryMetricsStore(), { t: T0 });
    built.counters.predictions('v1', [pred('positive', 0.9)], 0.55, T0);
    expect(built.flushDue(T0 + 30_000)).toBe(true);
  });
});

describe('SqliteMetricsStore', () => {
  it('sums what several writers add, survives reopening, and rolls old minutes into hours', async () => {
    const path = join(dir, 'shared.sqlite');
    const clock = { t: T0 };
    const [a, b] = [metricsOn(new SqliteMetricsStore(path), clock), metricsOn(new SqliteMetricsStore(path), clock)];
    for (let i = 0; i < 5; i++) a.counters.predictions('v1', [pred('positive', 0.9)], 0.55, T0 - 50 * HOUR + i * MINUTE);
    for (let i = 0; i < 7; i++) b.counters.predictions('v1', [pred('negative', 0.3), pred('neutral', 0.8)], 0.55, T0 - 30 * MINUTE);
    b.counters.feedback('v1', 'negative', 'positive', T0 - 30 * MINUTE);
    await Promise.all([a.flush(), b.flush()]); // the first flush of each also rolls up

    const reopened = new SqliteMetricsStore(path);
    const snapshot = await metricsOn(reopened, clock).snapshot();
    expect(snapshot.store).toBe('sqlite');
    expect(snapshot.windows.last_24h).toMatchObject({ requests: 7, predictions: 14, negative: 7, neutral: 7, low_confidence: 7, feedback: 1, disagreements: 1, low_confidence_share: 0.5, disagreement_share: 1 });
    expect(snapshot.windows.last_7d).toMatchObject({ requests: 12, predictions: 19, positive: 5 });
    expect(snapshot.series).toHaveLength(168);
    expect(snapshot.series.reduce((n, p) => n + p.predictions, 0)).toBe(19);
    expect(snapshot.by_model_version).toEqual([expect.objectContaining({ model_version: 'v1', predictions: 19 })]);
    // The 50-hour-old minutes now live in metrics_hours, summed into one row.
    const { DatabaseSync } = await import('node:sqlite');
    const db = new DatabaseSync(path);
    expect(db.prepare('SELECT minute, requests FROM metrics_hours').all()).toEqual([{ minute: (T0 - 50 * HOUR) / MINUTE, requests: 5 }]);
    expect(db.prepare('SELECT count(*) AS n FROM metrics_minutes WHERE minute < ?').get((T0 - 48 * HOUR) / MINUTE)).toEqual({ n: 0 });
    db.close();
    reopened.close();
  });

  it('keeps counts whose write failed for the next flush', async () => {
    const store = new MemoryMetricsStore();
    let fail = true;
    const flaky: MetricsStore = { kind: 'memory', add: (rows) => (fail ? Promise.reject(new Error('down')) : store.add(rows)), rollup: (a, b) => store.rollup(a, b), series: (s, b) => store.series(s, b) };
    const clock = { t: T0 };
    const m = metricsOn(flaky, clock);
    m.counters.predictions('v1', [pred('positive', 0.9)], 0.55, T0);
    await expect(m.flush()).rejects.toThrow('down');
    m.counters.predictions('v1', [pred('positive', 0.9)], 0.55, T0);
    fail = false;
    expect((await m.snapshot()).windows.last_24h.predictions).toBe(2);
  });
});

describe('serving alerts', () => {
  it('uses trainer monitor’s policy from trainer/configs/retrain.json', async () => {
    const parsed = retrainConfigSchema.parse(JSON.parse(await readFile('trainer/configs/retrain.json', 'utf8')));
    expect(ALERT_POLICY).toEqual(parsed.alerts);
  });

  it('fires above the ceilings, not at them, and does not judge fewer than min_samples', () => {
    const policy = { ...ALERT_POLICY, min_samples: 20, max_low_confidence_share: 0.5, min_correction_accuracy: 0.5 };
    const at = (low: number, predictions: number, disagreements: number, feedback: number) => checkServingAlerts({ ...emptyCounts(), low_confidence: low, predictions, disagreements, feedback }, policy);
    expect(at(10, 20, 10, 20).status).toBe('ok');
    const firing = at(11, 20, 11, 20);
    expect(firing.status).toBe('alert');
    expect(firing.checks.map((c) => [c.name, c.status, c.value, c.limit])).toEqual([
      ['low_confidence_share', 'alert', 0.55, 0.5],
      ['correction_disagreement', 'alert', 0.55, 0.5],
    ]);
    expect(firing.checks[0].message).toMatch(/55\.0% of 20 predictions scored below 0\.55 confidence in the last 7 days, above the ceiling of 50\.0%/);
    expect(at(19, 19, 19, 19).status).toBe('not_judged');
  });
});

describe('monitoring settings', () => {
  it('needs the admin key by default once one is set, and can be made public', () => {
    expect(monitoringSettingsFromEnv({})).toMatchObject({ access: 'public', enabled: true, flushIntervalMs: 30_000 });
    expect(monitoringSettingsFromEnv({ ADMIN_API_KEY: 'k'.repeat(16) })).toMatchObject({ access: 'admin' });
    expect(monitoringSettingsFromEnv({ ADMIN_API_KEY: 'k'.repeat(16), DASHBOARD_ACCESS: 'public' })).toMatchObject({ access: 'public' });
    expect(() => monitoringSettingsFromEnv({ DASHBOARD_ACCESS: 'admin' })).toThrow('DASHBOARD_ACCESS=admin needs ADMIN_API_KEY');
    expect(() => monitoringSettingsFromEnv({ ADMIN_API_KEY: 'short' })).toThrow(/ADMIN_API_KEY: must be at least 16/);
  });
});

describe('the routes', () => {
  const KEY = 'admin-key-for-tests-0123';
  const build = (access: 'public' | 'admin') => {
    const metrics = new Metrics({ store: new MemoryMetricsStore(), policy: ALERT_POLICY, lowConfidenceThreshold: 0.55, ...MONITORING_DEFAULTS });
    return createApp({ runtime: 'node', models: fixtureModelProvider(), log: () => {}, metrics, monitoring: { ...MONITORING_DEFAULTS, adminApiKey: KEY, access } });
  };
  const post = (app: ReturnType<typeof build>, path: string, body: unknown) => app.request(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  it('counts served predictions and shows them as JSON, Prometheus text and HTML', async () => {
    const app = build('public');
    await post(app, '/v1/sentiment', { text: 'I love this' });
    await post(app, '/v1/sentiment/batch', { texts: ['great', 'awful', 'meh'] });
    const json = await (await app.request('/v1/metrics')).json();
    expect(json.windows.last_24h).toMatchObject({ requests: 2, predictions: 4 });
    expect(json.windows.last_24h.negative + json.windows.last_24h.neutral + json.windows.last_24h.positive).toBe(4);

    const prom = await app.request('/v1/metrics', { headers: { accept: 'text/plain;version=0.0.4;q=0.9,*/*;q=0.1' } });
    expect(prom.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await prom.text();
    expect(text).toContain('# TYPE edge_sentiment_predictions gauge');
    expect(text).toContain('edge_sentiment_predictions{window="24h"} 4');
    expect(text).toContain('edge_sentiment_alert{name="low_confidence_share"} NaN');
    expect(await (await app.request('/v1/metrics?format=prometheus')).text()).toContain('edge_sentiment_requests{window="7d"} 2');

    const page = await app.request('/dashboard');
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    const html = await page.text();
    expect(html).toContain('data-metric="windows.last_24h.predictions" data-value="4"');
    expect(html).toContain('<svg');

    const health = await (await app.request('/health')).json();
    expect(health.alerts).toEqual({ status: 'not_judged', window_days: 7, firing: [] });
  }, 30_000); // the first prediction loads ORT: seconds on a busy machine

  it('asks for the admin key when access is admin: Bearer or HTTP Basic', async () => {
    const app = build('admin');
    for (const path of ['/dashboard', '/v1/metrics']) {
      const denied = await app.request(path);
      expect(denied.status).toBe(401);
      expect(denied.headers.get('www-authenticate')).toMatch(/^Basic realm=/);
      expect((await denied.json()).error.code).toBe('unauthorized');
      expect((await app.request(path, { headers: { authorization: 'Bearer wrong-key-0123456789' } })).status).toBe(401);
      expect((await app.request(path, { headers: { authorization: `Bearer ${KEY}` } })).status).toBe(200);
      expect((await app.request(path, { headers: { authorization: `Basic ${btoa(`admin:${KEY}`)}` } })).status).toBe(200);
    }
    expect((await app.request('/health')).status).toBe(200);
  });

  it('answers 404 on /v1/metrics when counting is off, and the dashboard says so', async () => {
    const app = createApp({ runtime: 'node', models: fixtureModelProvider(), log: () => {} });
    expect((await app.request('/v1/metrics')).status).toBe(404);
    expect(await (await app.request('/dashboard')).text()).toContain('Counting is off');
  });
});
