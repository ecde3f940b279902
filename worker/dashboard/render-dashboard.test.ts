/** The page's pieces that the browser run does not reach: a firing alert, per-slice holdout rows, text from the Hub escaped. */
import { describe, expect, it } from 'vitest';
import { checkServingAlerts } from '../metrics/alerts';
import { emptyCounts } from '../metrics/counters';
import type { MetricsSnapshot } from '../metrics/metrics';
import { holdoutSlices, renderDashboard } from './render-dashboard';
import { ALERT_POLICY } from '../metrics/alert-policy';

const totals = { ...emptyCounts(), requests: 40, predictions: 40, low_confidence: 30, feedback: 20, disagreements: 15, low_confidence_share: 0.75, disagreement_share: 0.75 };
const snapshot: MetricsSnapshot = {
  generated_at: '2026-12-02T03:00:00.000Z',
  store: 'memory',
  low_confidence_threshold: 0.55,
  windows: { last_24h: totals, last_7d: totals },
  series: [],
  by_model_version: [{ model_version: 'v3', ...totals }],
  alerts: checkServingAlerts(totals, ALERT_POLICY),
  capture: null,
};
const model = { state: 'ready' as const, source: 'bundled', version: 'v3', loadedAt: '2026-12-02T02:00:00.000Z', error: null };

describe('renderDashboard', () => {
  it('shows a firing alert with each failing check, and marks its tiles', () => {
    const html = renderDashboard({ runtime: 'node', snapshot, model, manifest: null, history: null, refreshS: 60 });
    expect(html).toContain('data-alert-status="alert"');
    expect(html).toContain('<li data-alert="low_confidence_share">75.0% of 40 predictions scored below 0.55 confidence');
    expect(html).toContain('<li data-alert="correction_disagreement">75.0% of 20 feedback records disagreed with the model');
    expect(html).toContain('<title>⚠ edge-sentiment');
    expect(html).toContain('No model repo is configured');
  });

  it('escapes what comes from the model repo', () => {
    const history = { repo: 'a/b', fetched_at: null, error: null, entries: [{ version: null, promoted: false, recorded_at: '2026-12-01T00:00:00Z', parent_version: 'v1', rows: 1, macro_recall: 0.5, production_macro_recall: 0.6, reason: '<script>alert(1)</script>' }] };
    const html = renderDashboard({ runtime: 'workerd', snapshot, model, manifest: null, history, refreshS: 60 });
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });
});

describe('holdoutSlices', () => {
  const m = (macro_recall: number) => ({ n: 10, accuracy: 0.5, macro_recall, macro_f1: 0.4, per_class: { negative: { recall: 0.1 } } });
  it('gives the overall row, then one per slice, from an object or an array', () => {
    expect(holdoutSlices({ ...m(0.7), slices: { base: m(0.6), feedback: { metrics: m(0.8) } } }).map((r) => [r.name, r.macro_recall])).toEqual([['all', 0.7], ['base', 0.6], ['feedback', 0.8]]);
    expect(holdoutSlices({ ...m(0.7), slices: [{ name: 'app:x', ...m(0.5) }] }).map((r) => [r.name, r.macro_recall, r.recall.negative])).toEqual([['all', 0.7, 0.1], ['app:x', 0.5, 0.1]]);
    expect(holdoutSlices(null)).toEqual([]);
  });
});
