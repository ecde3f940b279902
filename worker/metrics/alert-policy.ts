/**
 * The serving alerts' rules: the weekly `trainer monitor`'s own (trainer/configs/retrain.json,
 * `alerts`), read from the same file so the two cannot drift apart.
 */
import retrainConfig from '../../trainer/configs/retrain.json';

export interface AlertPolicy {
  window_days: number;
  min_samples: number;
  min_correction_accuracy: number;
  max_low_confidence_share: number;
  low_confidence_threshold: number;
}

export const ALERT_POLICY: AlertPolicy = retrainConfig.alerts;
