/**
 * manifest.json: what a published (or shipped) model is, where it came from and how good it is.
 * The worker serves it from GET /v1/model; the trainer writes it beside model.onnx.
 */
import { z } from 'zod';
import { featurizerSpecSchema } from './featurizer/index';

export const modelVersionSchema = z.string().regex(/^v[1-9]\d*$/, 'model versions look like v1, v2, …');

const classMetricsSchema = z.object({ precision: z.number(), recall: z.number(), f1: z.number(), support: z.number() });

export const holdoutMetricsSchema = z.object({
  dataset: z.string(),
  n: z.number().int(),
  accuracy: z.number(),
  macro_recall: z.number(),
  macro_f1: z.number(),
  per_class: z.record(z.string(), classMetricsSchema),
  expected_calibration_error: z.number(),
  low_confidence_rate: z.number(),
});

export const behaviourResultSchema = z.object({
  name: z.string(),
  capability: z.string(),
  kind: z.enum(['label', 'invariance']),
  n: z.number().int(),
  failure_rate: z.number(),
});

const intervalSchema = z.object({ delta: z.number(), low: z.number(), high: z.number() });
const recallPairSchema = z.object({ candidate: z.number(), production: z.number(), change: intervalSchema });

/**
 * Why the retrain gate promoted this version: its rule, and each holdout slice (base validation,
 * feedback, one per feedback source) scored for this version and the one it replaced, with the
 * paired-bootstrap interval of the change.
 */
export const promotionSchema = z.object({
  rule: z.string(),
  reason: z.string(),
  /** Two-sided confidence of the intervals, e.g. 0.95. */
  confidence: z.number(),
  replaced: modelVersionSchema,
  slices: z.array(
    z.object({
      slice: z.string(),
      n: z.number().int(),
      macro_recall: recallPairSchema,
      class_recall: z.record(z.string(), recallPairSchema),
    }),
  ),
});

export const manifestSchema = z.object({
  version: modelVersionSchema,
  created_at: z.string(),
  /** sha256 (hex) of model.onnx. */
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  size_bytes: z.number().int().positive(),
  featurizer: featurizerSpecSchema,
  training_data: z.object({
    source: z.string(),
    /** Dataset repo revision the rows were read at; null for local files. */
    revision: z.string().nullable(),
    rows: z.number().int(),
  }),
  hyperparameters: z.record(z.string(), z.unknown()),
  /** Metrics on the fixed holdout, computed by running model.onnx. */
  metrics: holdoutMetricsSchema.nullable(),
  /** Failure rate per test of the behavioural suite (trainer/behaviour/), computed by running model.onnx. */
  behaviour: z.array(behaviourResultSchema).optional(),
  parent_version: modelVersionSchema.nullable(),
  /** Set by retrain on promotion. */
  promotion: promotionSchema.optional(),
});

export type Manifest = z.infer<typeof manifestSchema>;
export type HoldoutMetrics = z.infer<typeof holdoutMetricsSchema>;
export type BehaviourResult = z.infer<typeof behaviourResultSchema>;
export type Promotion = z.infer<typeof promotionSchema>;

export function nextModelVersion(current: string | null): string {
  return current ? `v${Number(modelVersionSchema.parse(current).slice(1)) + 1}` : 'v1';
}
