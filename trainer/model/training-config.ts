/** Hyper-parameters of a training run: a JSON file (trainer/configs/) overridden by CLI flags. */
import { z } from 'zod';
import { featurizerOptionsSchema, featurizerSpec, featurizerSpecSchema, type FeaturizerSpec } from '../../shared/featurizer/index';

export const trainingConfigFileSchema = z.object({
  /** The featurizer's options, and its version (default: the newest this code implements). */
  featurizer: featurizerOptionsSchema.partial().extend({ version: featurizerSpecSchema.shape.version.optional() }).default({}),
  vectorizer: z
    .object({
      min_df: z.number().int().min(1).default(2),
      max_features: z.number().int().min(1).default(200_000),
      sublinear_tf: z.boolean().default(true),
    })
    .default({ min_df: 2, max_features: 200_000, sublinear_tf: true }),
  classifier: z
    .object({
      C: z.number().positive().default(1),
      class_weight: z.enum(['balanced', 'none']).default('balanced'),
      max_iterations: z.number().int().min(1).default(500),
      tolerance: z.number().positive().default(1e-4),
    })
    .default({ C: 1, class_weight: 'balanced', max_iterations: 500, tolerance: 1e-4 }),
});

export type TrainingConfigFile = z.input<typeof trainingConfigFileSchema>;

export interface TrainingConfig {
  featurizer: FeaturizerSpec;
  vectorizer: { minDf: number; maxFeatures: number; sublinearTf: boolean };
  classifier: { C: number; classWeight: 'balanced' | 'none'; maxIterations: number; tolerance: number };
}

export function parseTrainingConfig(value: unknown): TrainingConfig {
  const file = trainingConfigFileSchema.parse(value);
  return {
    featurizer: (({ version, ...options }) => featurizerSpec(options, version))(file.featurizer),
    vectorizer: {
      minDf: file.vectorizer.min_df,
      maxFeatures: file.vectorizer.max_features,
      sublinearTf: file.vectorizer.sublinear_tf,
    },
    classifier: {
      C: file.classifier.C,
      classWeight: file.classifier.class_weight,
      maxIterations: file.classifier.max_iterations,
      tolerance: file.classifier.tolerance,
    },
  };
}
