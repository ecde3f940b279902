import { describe, expect, it } from 'vitest';
import { featurizerSpecSchema } from '../../shared/featurizer/index';
import { NUM_LABELS } from '../../shared/labels';
import { fitLogisticRegression } from '../solver/logistic-regression';
import { columnIndex, predictTokens, softmax, type LinearTfidfModel } from './linear-model';
import { loadSklearnFixture, type SklearnFixture } from './sklearn-fixture';
import { fitVocabulary, vectorize } from './vectorizer';

const { fixture, documents } = loadSklearnFixture();
const vocabulary = fitVocabulary(documents, { minDf: fixture.vectorizer.min_df, maxFeatures: fixture.vectorizer.max_features, sublinearTf: true });
const matrix = vectorize(documents, vocabulary, true);
const labels = Int32Array.from(fixture.labels);
const sklearnColumn = new Map(fixture.vocabulary.ids.map((id, i) => [id, i]));

/** A LinearTfidfModel over our vocabulary with the given [features × 3] weights. */
const modelWith = (weights: Float64Array, bias: ArrayLike<number>): LinearTfidfModel => ({
  featurizer: featurizerSpecSchema.parse(fixture.featurizer),
  vocabulary: vocabulary.ids,
  idf: vocabulary.idf,
  sublinearTf: true,
  weights,
  bias: Float64Array.from(bias),
});

/** scikit-learn's coefficients laid out in our column order. */
const sklearnWeights = (fit: SklearnFixture['fit']) => {
  const weights = new Float64Array(vocabulary.ids.length * NUM_LABELS);
  vocabulary.ids.forEach((id, column) => weights.set(fit.coefficients[sklearnColumn.get(id)!], column * NUM_LABELS));
  return weights;
};

const centred = (bias: ArrayLike<number>) => {
  const mean = Array.from(bias).reduce((a, b) => a + b, 0) / bias.length;
  return Array.from(bias, (b) => b - mean);
};

const maxDifference = (a: ArrayLike<number>, b: ArrayLike<number>) => Math.max(...Array.from(a, (x, i) => Math.abs(x - b[i])));

describe('predictTokens', () => {
  it('with scikit-learn\'s coefficients, gives scikit-learn\'s predict_proba', () => {
    const model = modelWith(sklearnWeights(fixture.fit), fixture.fit.intercept);
    const columns = columnIndex(model);
    fixture.fit.probabilities.forEach((expected, r) => {
      expect(maxDifference(predictTokens(model, columns, documents[r].ids, documents[r].counts), expected)).toBeLessThan(1e-9);
    });
  });

  it('ignores tokens outside the vocabulary and falls back to the bias', () => {
    const model = modelWith(sklearnWeights(fixture.fit), fixture.fit.intercept);
    const unknown = predictTokens(model, columnIndex(model), Uint32Array.of(1), Float32Array.of(3));
    expect(maxDifference(unknown, softmax(Float64Array.from(fixture.fit.intercept)))).toBeLessThan(1e-12);
  });
});

describe('fitLogisticRegression, against scikit-learn (multinomial, balanced)', () => {
  const options = { C: fixture.classifier.C, classWeight: 'balanced' as const, maxIterations: 2_000, gradientTolerance: 1e-8 };
  const cases: Array<[string, SklearnFixture['fit'], Float64Array | undefined]> = [
    ['without sample weights', fixture.fit, undefined],
    ['with sample weights (multiplied into the class weights)', fixture.weighted_fit, Float64Array.from(fixture.sample_weights)],
  ];
  for (const [name, reference, rowWeights] of cases) {
    it(`finds scikit-learn's coefficients ${name}`, () => {
      const fit = fitLogisticRegression(matrix, labels, { ...options, rowWeights });
      expect(fit.converged).toBe(true);
      const expected = sklearnWeights(reference);
      // Our TF-IDF values are float32, scikit-learn's float64: that alone moves the optimum by ~1e-5.
      const scale = Math.max(...expected.map(Math.abs));
      expect(maxDifference(fit.weights, expected) / scale).toBeLessThan(1e-4);
      // Softmax does not change when every class's bias moves together: compare them centred.
      expect(maxDifference(centred(fit.bias), centred(reference.intercept))).toBeLessThan(1e-4);
      const model = modelWith(fit.weights, fit.bias);
      const columns = columnIndex(model);
      reference.probabilities.forEach((p, r) => expect(maxDifference(predictTokens(model, columns, documents[r].ids, documents[r].counts), p)).toBeLessThan(1e-5));
    });
  }

  it('differs from scikit-learn\'s fit when the weights differ (the comparison can fail)', () => {
    const fit = fitLogisticRegression(matrix, labels, options);
    expect(maxDifference(fit.weights, sklearnWeights(fixture.weighted_fit))).toBeGreaterThan(1e-2);
  });
});
