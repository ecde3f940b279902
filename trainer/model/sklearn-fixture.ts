/** The scikit-learn reference the vectorizer and solver tests hold the TypeScript to (see fixtures/generate-sklearn-fixture.ts). */
import { readFileSync } from 'node:fs';
import { featurizerSpecSchema, type TextTokens } from '../../shared/featurizer/index';
import { featurizeAll } from './train-model';

interface SklearnFit {
  iterations: number;
  /** [feature][class], features in `vocabulary.ids` order. */
  coefficients: number[][];
  intercept: number[];
  /** predict_proba of the first `rows.length` texts. */
  probabilities: number[][];
}

export interface SklearnFixture {
  sklearn_version: string;
  featurizer: unknown;
  vectorizer: { min_df: number; max_features: number; sublinear_tf: boolean };
  classifier: { C: number; class_weight: 'balanced' };
  texts: string[];
  labels: number[];
  sample_weights: number[];
  /** scikit-learn's columns: word block then char block, each in its own (string) order. */
  vocabulary: { ids: number[]; idf: number[] };
  /** TF-IDF rows of the first texts: token ids and values. */
  rows: Array<{ ids: number[]; values: number[] }>;
  fit: SklearnFit;
  weighted_fit: SklearnFit;
}

export function loadSklearnFixture(): { fixture: SklearnFixture; documents: TextTokens[] } {
  const fixture = JSON.parse(readFileSync(new URL('fixtures/sklearn-fixture.json', import.meta.url), 'utf8')) as SklearnFixture;
  return { fixture, documents: featurizeAll(fixture.texts, featurizerSpecSchema.parse(fixture.featurizer)) };
}
