/** Settings of the weekly pipeline (trainer/configs/retrain.json): data, holdout, weighting, gate, alerts. */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';

const share = z.number().min(0).max(1);

export const retrainConfigSchema = z.object({
  /** Hyper-parameters of the candidate (a `train --config` file). */
  training_config: z.string().default('trainer/configs/default.json'),
  base: z
    .object({ train: z.string(), holdout: z.string() })
    .default({ train: 'datasets/tweeteval/train.csv', holdout: 'datasets/tweeteval/val.csv' }),
  holdout: z.object({ feedback_percent: z.number().min(0).max(100) }).default({ feedback_percent: 20 }),
  /** How much a corrected text weighs in training against a base row (1 = the same). */
  correction_weight: z.number().positive().default(1),
  /**
   * How "balanced" class weights treat corrections: `per_source` balances the classes of the base
   * and of each feedback source separately (a domain's own class priors then neither shift the
   * base's nor drown its minority classes); `pooled` balances all training rows together.
   */
  class_balance: z.enum(['pooled', 'per_source']).default('per_source'),
  /** The promotion gate's rules per slice (gate.ts names and explains each). */
  gate: z
    .object({
      bootstrap: z.object({ iterations: z.number().int().min(100), confidence: z.number().gt(0).lt(1), seed: z.number().int() }),
      feedback: z.object({ min_gain: z.number(), class_recall_floor: share }),
      base: z.object({ max_macro_recall_drop: share, max_class_recall_drop: share }),
      sources: z.object({ max_macro_recall_drop: share }),
      canaries: z.object({ max_extra_failures: z.number().int().min(0) }),
    })
    .default({
      bootstrap: { iterations: 1000, confidence: 0.95, seed: 11 },
      feedback: { min_gain: 0, class_recall_floor: 0.05 },
      base: { max_macro_recall_drop: 0.01, max_class_recall_drop: 0.02 },
      sources: { max_macro_recall_drop: 0.02 },
      canaries: { max_extra_failures: 5 },
    }),
  /** The optional LLM self-labelling step before the pull (trainer/self-label/), and how much its labels weigh in training. */
  self_label: z
    .object({
      enabled: z.boolean(),
      config: z.string(),
      /** A self-labelled row's weight in the loss, relative to a human label's 1. */
      training_weight: z.number().min(0).max(1),
    })
    .default({ enabled: false, config: 'trainer/configs/self-label.json', training_weight: 0.5 }),
  alerts: z
    .object({
      /** "Newest week": feedback with a timestamp in the last this-many days. */
      window_days: z.number().positive(),
      /** Fewer corrections than this in the window: too few to judge, no alert. */
      min_samples: z.number().int().min(1),
      /** Production's accuracy on the window's corrections must stay at or above this. */
      min_correction_accuracy: share,
      /** Share of the window's texts production scores below the threshold must stay at or below this. */
      max_low_confidence_share: share,
      low_confidence_threshold: share,
    })
    .default({ window_days: 7, min_samples: 20, min_correction_accuracy: 0.5, max_low_confidence_share: 0.5, low_confidence_threshold: 0.55 }),
});
export type RetrainConfig = z.infer<typeof retrainConfigSchema>;
export type GatePolicy = RetrainConfig['gate'];
export type AlertPolicy = RetrainConfig['alerts'];

export const DEFAULT_RETRAIN_CONFIG = 'trainer/configs/retrain.json';

export async function readRetrainConfig(path: string = DEFAULT_RETRAIN_CONFIG): Promise<RetrainConfig> {
  return retrainConfigSchema.parse(JSON.parse(await readFile(path, 'utf8')));
}
