/**
 * The serving side's alert check, with the rules and thresholds of `trainer monitor`
 * (trainer/retrain/alerts.ts): over the last `window_days`, the share of served predictions below
 * the low-confidence threshold must stay at or below its ceiling, and users' feedback must agree
 * with the model at least `min_correction_accuracy` of the time (so the share of corrections that
 * disagree stays at or below 1 − that floor). Fewer than `min_samples` in the window: not judged.
 */
import type { Counts } from './counters';
import { type AlertPolicy } from './alert-policy';

export interface ServingAlert {
  name: 'low_confidence_share' | 'correction_disagreement';
  status: 'ok' | 'alert' | 'too_few_samples';
  value: number | null;
  limit: number;
  samples: number;
  message: string;
}

export interface AlertSummary {
  status: 'ok' | 'alert' | 'not_judged';
  window_days: number;
  checks: ServingAlert[];
}

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

/** `lowConfidenceBelow`: the threshold the counters used (LOW_CONFIDENCE_THRESHOLD; the policy's 0.55 by default). */
export function checkServingAlerts(window: Counts, policy: AlertPolicy, lowConfidenceBelow = policy.low_confidence_threshold): AlertSummary {
  const span = `the last ${policy.window_days} days`;
  const lowLimit = policy.max_low_confidence_share;
  const disagreeLimit = Math.round((1 - policy.min_correction_accuracy) * 1e9) / 1e9;
  const check = (name: ServingAlert['name'], hits: number, samples: number, limit: number, what: string, advice: string): ServingAlert => {
    if (samples < policy.min_samples) {
      return { name, status: 'too_few_samples', value: null, limit, samples, message: `only ${samples} ${what} in ${span} (need ${policy.min_samples}): not judged` };
    }
    const value = hits / samples;
    return value > limit
      ? { name, status: 'alert', value, limit, samples, message: `${pct(value)} of ${samples} ${what} in ${span}, above the ceiling of ${pct(limit)}: ${advice}` }
      : { name, status: 'ok', value, limit, samples, message: `${pct(value)} of ${samples} ${what} in ${span} (ceiling ${pct(limit)})` };
  };
  const checks = [
    check('low_confidence_share', window.low_confidence, window.predictions, lowLimit, `predictions scored below ${lowConfidenceBelow} confidence`, 'traffic may have drifted away from the training data'),
    check('correction_disagreement', window.disagreements, window.feedback, disagreeLimit, 'feedback records disagreed with the model', 'look at the newest corrections and retrain'),
  ];
  const status = checks.some((c) => c.status === 'alert') ? 'alert' : checks.every((c) => c.status === 'too_few_samples') ? 'not_judged' : 'ok';
  return { status, window_days: policy.window_days, checks };
}
