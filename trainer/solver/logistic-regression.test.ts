import { describe, expect, it } from 'vitest';
import type { CsrMatrix } from '../model/sparse-matrix';
import { fitLogisticRegression, logisticLoss, sampleWeights } from './logistic-regression';

/** A small random sparse problem, seeded. */
function randomProblem(rows: number, columns: number, seed = 7): { matrix: CsrMatrix; labels: Int32Array } {
  let state = seed;
  const random = () => ((state = (Math.imul(state, 48271) >>> 0) % 2147483647) / 2147483647);
  const rowStart = new Int32Array(rows + 1);
  const columnIndex: number[] = [];
  const values: number[] = [];
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < columns; c++) {
      if (random() < 0.3) {
        columnIndex.push(c);
        values.push(random() * 2 - 1);
      }
    }
    rowStart[r + 1] = columnIndex.length;
  }
  const labels = Int32Array.from({ length: rows }, () => Math.floor(random() * 3));
  return { matrix: { rows, columns, rowStart, columnIndex: Int32Array.from(columnIndex), values: Float32Array.from(values) }, labels };
}

describe('logisticLoss', () => {
  it('has the gradient its finite differences say', () => {
    const { matrix, labels } = randomProblem(40, 12);
    const objective = logisticLoss(matrix, labels, sampleWeights(labels, 'balanced'), 0.7);
    const theta = Float64Array.from({ length: 12 * 3 + 3 }, (_, i) => Math.sin(i * 1.7) * 0.8);
    const gradient = new Float64Array(theta.length);
    objective(theta, gradient);
    const scratch = new Float64Array(theta.length);
    const h = 1e-6;
    for (let i = 0; i < theta.length; i++) {
      const plus = Float64Array.from(theta);
      const minus = Float64Array.from(theta);
      plus[i] += h;
      minus[i] -= h;
      const numeric = (objective(plus, scratch) - objective(minus, scratch)) / (2 * h);
      expect(Math.abs(numeric - gradient[i])).toBeLessThan(1e-7);
    }
  });

  it('weights classes by n / (classes * count) when balanced', () => {
    const weights = sampleWeights(Int32Array.of(0, 0, 0, 1, 2, 2), 'balanced');
    expect(Array.from(weights)).toEqual([6 / 9, 6 / 9, 6 / 9, 2, 1, 1]);
    expect(Array.from(sampleWeights(Int32Array.of(0, 1), 'none'))).toEqual([1, 1]);
  });

  it('balances each group on its own when given groups, each keeping its share of the rows', () => {
    // group 0: 0 0 0 1 2 2 (as above); group 1: 1 1 1 0 (a domain with other priors, class 2 absent)
    const labels = Int32Array.of(0, 0, 0, 1, 2, 2, 1, 1, 1, 0);
    const groups = Int32Array.of(0, 0, 0, 0, 0, 0, 1, 1, 1, 1);
    const weights = Array.from(sampleWeights(labels, 'balanced', groups));
    expect(weights).toEqual([6 / 9, 6 / 9, 6 / 9, 2, 1, 1, 4 / 6, 4 / 6, 4 / 6, 2]);
    expect(weights.slice(6).reduce((a, b) => a + b, 0)).toBeCloseTo(4, 12);
    // Pooled, the same rows weigh otherwise: group 1's class 1 borrows group 0's rarity.
    expect(Array.from(sampleWeights(labels, 'balanced')).slice(6)).not.toEqual(weights.slice(6));
    expect(Array.from(sampleWeights(labels, 'none', groups))).toEqual(new Array(10).fill(1));
  });
});

describe('fitLogisticRegression', () => {
  it('converges to a point where the gradient vanishes', () => {
    const { matrix, labels } = randomProblem(200, 30);
    const fit = fitLogisticRegression(matrix, labels, { C: 1, classWeight: 'none', maxIterations: 500, gradientTolerance: 1e-8 });
    expect(fit.converged).toBe(true);
    const objective = logisticLoss(matrix, labels, sampleWeights(labels, 'none'), 1);
    const gradient = new Float64Array(30 * 3 + 3);
    objective(Float64Array.from([...fit.weights, ...fit.bias]), gradient);
    expect(Math.max(...gradient.map(Math.abs))).toBeLessThan(1e-6);
  });

  it('gives the same model on one thread and on three', () => {
    const { matrix, labels } = randomProblem(300, 25);
    const options = { C: 0.5, classWeight: 'balanced' as const, maxIterations: 200, gradientTolerance: 1e-8 };
    const single = fitLogisticRegression(matrix, labels, { ...options, threads: 1 });
    const parallel = fitLogisticRegression(matrix, labels, { ...options, threads: 3 });
    parallel.weights.forEach((w, i) => expect(Math.abs(w - single.weights[i])).toBeLessThan(1e-6));
  });

  it('is deterministic', () => {
    const { matrix, labels } = randomProblem(100, 20);
    const options = { C: 0.5, classWeight: 'balanced' as const, maxIterations: 100, gradientTolerance: 1e-6 };
    expect(fitLogisticRegression(matrix, labels, options).weights).toEqual(fitLogisticRegression(matrix, labels, options).weights);
  });
});
