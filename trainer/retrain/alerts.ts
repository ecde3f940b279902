/**
 * Health of the model in production, judged on the newest week of user feedback:
 *  - accuracy: how often production's label equals the user's correct_label;
 *  - low-confidence share: how many of those texts production scores below the threshold.
 * The workers do not report how many predictions they served, so the share is measured on the
 * texts users sent feedback on (a sample of real traffic), not on all predictions.
 */
import { labelIndex } from '../../shared/labels';
import { computeMetrics } from '../evaluate/metrics';
import type { SentimentModel } from '../../shared/sentiment-model';
import type { FeedbackRecord } from '../../shared/feedback-record';
import { predictAll } from '../onnx/load-model';
import type { AlertPolicy } from './retrain-config';

export interface AlertCheck {
  name: 'correction_accuracy' | 'low_confidence_share';
  status: 'ok' | 'alert' | 'too_few_samples';
  value: number | null;
  limit: number;
  samples: number;
  message: string;
}

const DAY_MS = 86_400_000;
const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

export async function checkAlerts(production: SentimentModel, feedback: readonly FeedbackRecord[], policy: AlertPolicy, now: Date = new Date()): Promise<AlertCheck[]> {
  const since = new Date(now.getTime() - policy.window_days * DAY_MS).toISOString();
  const recent = feedback.filter((record) => record.timestamp >= since);
  const window = `feedback since ${since.slice(0, 10)}`;
  if (recent.length < policy.min_samples) {
    const message = `only ${recent.length} ${window} (need ${policy.min_samples}): not judged`;
    return [
      { name: 'correction_accuracy', status: 'too_few_samples', value: null, limit: policy.min_correction_accuracy, samples: recent.length, message },
      { name: 'low_confidence_share', status: 'too_few_samples', value: null, limit: policy.max_low_confidence_share, samples: recent.length, message },
    ];
  }
  const probabilities = await predictAll(production, recent.map((record) => record.text));
  const metrics = computeMetrics(recent.map((record) => labelIndex(record.correct_label)), probabilities, { lowConfidenceThreshold: policy.low_confidence_threshold });
  const accuracy = metrics.accuracy;
  const share = metrics.low_confidence_rate;
  const n = recent.length;
  return [
    accuracy < policy.min_correction_accuracy
      ? { name: 'correction_accuracy', status: 'alert', value: accuracy, limit: policy.min_correction_accuracy, samples: n, message: `production ${production.version} is right on only ${pct(accuracy)} of ${n} ${window}, below the floor of ${pct(policy.min_correction_accuracy)}: look at the newest corrections and retrain` }
      : { name: 'correction_accuracy', status: 'ok', value: accuracy, limit: policy.min_correction_accuracy, samples: n, message: `production ${production.version} is right on ${pct(accuracy)} of ${n} ${window} (floor ${pct(policy.min_correction_accuracy)})` },
    share > policy.max_low_confidence_share
      ? { name: 'low_confidence_share', status: 'alert', value: share, limit: policy.max_low_confidence_share, samples: n, message: `${pct(share)} of ${n} ${window} score below ${policy.low_confidence_threshold} confidence, above the ceiling of ${pct(policy.max_low_confidence_share)}: traffic may have drifted away from the training data` }
      : { name: 'low_confidence_share', status: 'ok', value: share, limit: policy.max_low_confidence_share, samples: n, message: `${pct(share)} of ${n} ${window} score below ${policy.low_confidence_threshold} confidence (ceiling ${pct(policy.max_low_confidence_share)})` },
  ];
}

/** One markdown bullet per check, for the retrain summary and the monitor step. */
export function alertLine(alert: AlertCheck): string {
  const badge = alert.status === 'alert' ? '🚨 **ALERT**' : alert.status === 'ok' ? 'ok' : 'not judged';
  return `- ${badge}: ${alert.message}`;
}
