/**
 * /v1/metrics in Prometheus' text exposition format (format=prometheus, or a scraper's Accept).
 * The numbers are windowed sums over every process or isolate (the store), so they are gauges,
 * not per-process counters: a scraper behind a load balancer would otherwise see whichever
 * process it reached. Graph them as they are; rate() does not apply.
 */
import { COUNTER_FIELDS } from './counters';
import type { MetricsSnapshot } from './metrics';

export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

const HELP: Record<(typeof COUNTER_FIELDS)[number], string> = {
  requests: 'Prediction requests (single or batch) in the window',
  predictions: 'Texts scored in the window',
  negative: 'Texts labelled negative in the window',
  neutral: 'Texts labelled neutral in the window',
  positive: 'Texts labelled positive in the window',
  low_confidence: 'Texts scored below the low-confidence threshold in the window',
  feedback: 'Feedback records stored in the window',
  disagreements: 'Feedback records whose correct_label differs from the model label, in the window',
};

const quote = (value: string) => value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
const num = (value: number | null) => (value === null ? 'NaN' : String(value));

export function toPrometheus(snapshot: MetricsSnapshot): string {
  const lines: string[] = [];
  const gauge = (name: string, help: string, samples: Array<[Record<string, string>, number | null]>) => {
    lines.push(`# HELP edge_sentiment_${name} ${help}`, `# TYPE edge_sentiment_${name} gauge`);
    for (const [labels, value] of samples) {
      const text = Object.entries(labels).map(([k, v]) => `${k}="${quote(v)}"`).join(',');
      lines.push(`edge_sentiment_${name}${text ? `{${text}}` : ''} ${num(value)}`);
    }
  };
  const windows = [['24h', snapshot.windows.last_24h], ['7d', snapshot.windows.last_7d]] as const;
  for (const field of COUNTER_FIELDS) gauge(field, HELP[field], windows.map(([window, totals]) => [{ window }, totals[field]]));
  gauge('low_confidence_share', `Share of texts scored below ${snapshot.low_confidence_threshold} in the window`, windows.map(([window, t]) => [{ window }, t.low_confidence_share]));
  gauge('disagreement_share', 'Share of feedback records that disagree with the model, in the window', windows.map(([window, t]) => [{ window }, t.disagreement_share]));
  gauge('model_predictions', 'Texts scored per model version in the last 7 days', snapshot.by_model_version.map((v) => [{ model_version: v.model_version }, v.predictions]));
  gauge(
    'alert',
    `1 when a serving alert fires over the last ${snapshot.alerts.window_days} days, 0 when not, NaN when there are too few samples to judge`,
    snapshot.alerts.checks.map((check) => [{ name: check.name }, check.status === 'too_few_samples' ? null : check.status === 'alert' ? 1 : 0]),
  );
  if (snapshot.capture) gauge('capture_depth', 'Captured records waiting to be committed to the dataset repo', [[{}, snapshot.capture.depth]]);
  return lines.join('\n') + '\n';
}
