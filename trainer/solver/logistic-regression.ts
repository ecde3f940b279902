/**
 * Multinomial logistic regression with L2 regularisation on sparse rows, solved with L-BFGS.
 * Same objective as scikit-learn's LogisticRegression(solver="lbfgs"):
 *   C * sum_i w_i * crossEntropy_i + ||W||^2 / 2      (the bias is not regularised)
 * minimised here after dividing by C * sum_i w_i, which leaves the minimiser unchanged and keeps
 * the values near 1 so tolerances mean the same for any data size.
 */
import { NUM_LABELS } from '../../shared/labels';
import type { CsrMatrix } from '../model/sparse-matrix';
import { minimizeLbfgs, type LbfgsProgress } from './lbfgs';
import { accumulateRows } from './loss-worker';
import { ParallelLoss } from './parallel-loss';

export interface LogisticRegressionOptions {
  /** Inverse regularisation strength, as in scikit-learn. */
  C: number;
  /** "balanced": weight each class by n / (classes * count), as in scikit-learn. */
  classWeight: 'balanced' | 'none';
  /** Per-row weights, multiplied into the class weights (as scikit-learn's sample_weight). */
  rowWeights?: Float64Array;
  /**
   * Per-row group ids: "balanced" then balances the classes inside each group on its own, each
   * group keeping its share of the rows, so a group with other class priors (another domain)
   * neither shifts the others' priors nor has its own minority classes drowned.
   */
  balanceGroups?: Int32Array;
  maxIterations: number;
  gradientTolerance: number;
  /** Threads computing the loss; 1 keeps everything on the calling thread. */
  threads?: number;
  onIteration?: (progress: LbfgsProgress) => void;
}

export interface LogisticRegressionFit {
  /** Row-major [features, NUM_LABELS]. */
  weights: Float64Array;
  bias: Float64Array;
  iterations: number;
  evaluations: number;
  loss: number;
  converged: boolean;
  reason: string;
}

export function sampleWeights(labels: Int32Array, classWeight: LogisticRegressionOptions['classWeight'], groups?: Int32Array): Float64Array {
  if (classWeight === 'none') return new Float64Array(labels.length).fill(1);
  // counts[g * NUM_LABELS + label]; without groups, everything is group 0.
  const group = (i: number) => (groups ? groups[i] : 0);
  const groupCount = groups ? groups.reduce((a, b) => Math.max(a, b), 0) + 1 : 1;
  const counts = new Float64Array(groupCount * NUM_LABELS);
  labels.forEach((label, i) => counts[group(i) * NUM_LABELS + label]++);
  const perGroup = Array.from({ length: groupCount }, (_, g) => {
    const classCounts = counts.subarray(g * NUM_LABELS, (g + 1) * NUM_LABELS);
    return { rows: classCounts.reduce((a, b) => a + b, 0), present: classCounts.filter((count) => count > 0).length };
  });
  return Float64Array.from(labels, (label, i) => {
    const g = group(i);
    return perGroup[g].rows / (perGroup[g].present * counts[g * NUM_LABELS + label]);
  });
}

/** Row weights scaled so they sum to 1, and the matching L2 strength 1 / (C * sum of weights). */
function scaledWeights(weights: Float64Array, C: number): { rowWeights: Float64Array; l2: number } {
  const total = weights.reduce((a, b) => a + b, 0);
  return { rowWeights: weights.map((w) => w / total), l2: 1 / (C * total) };
}

function addRegularisation(theta: Float64Array, gradient: Float64Array, l2: number, biasOffset: number): number {
  let squares = 0;
  for (let j = 0; j < biasOffset; j++) {
    squares += theta[j] * theta[j];
    gradient[j] += l2 * theta[j];
  }
  return 0.5 * l2 * squares;
}

/** The objective and its gradient at theta = [W row-major (features x 3), b (3)], on this thread. */
export function logisticLoss(
  matrix: CsrMatrix,
  labels: Int32Array,
  weights: Float64Array,
  C: number,
): (theta: Float64Array, gradient: Float64Array) => number {
  const { rowWeights, l2 } = scaledWeights(weights, C);
  const biasOffset = matrix.columns * NUM_LABELS;
  return (theta, gradient) => {
    gradient.fill(0);
    const { rowStart, columnIndex, values } = matrix;
    const loss = accumulateRows(rowStart, columnIndex, values, labels, rowWeights, theta, gradient, 0, matrix.rows, biasOffset);
    return loss + addRegularisation(theta, gradient, l2, biasOffset);
  };
}

export function fitLogisticRegression(
  matrix: CsrMatrix,
  labels: Int32Array,
  options: LogisticRegressionOptions,
): LogisticRegressionFit {
  const weights = sampleWeights(labels, options.classWeight, options.balanceGroups);
  if (options.rowWeights) for (let i = 0; i < weights.length; i++) weights[i] *= options.rowWeights[i];
  const { rowWeights, l2 } = scaledWeights(weights, options.C);
  const biasOffset = matrix.columns * NUM_LABELS;
  const parallel = new ParallelLoss(matrix, labels, rowWeights, options.threads ?? 2);
  try {
    const result = minimizeLbfgs(
      (theta, gradient) => parallel.evaluate(theta, gradient) + addRegularisation(theta, gradient, l2, biasOffset),
      new Float64Array(biasOffset + NUM_LABELS),
      { maxIterations: options.maxIterations, gradientTolerance: options.gradientTolerance, onIteration: options.onIteration },
    );
    return {
      weights: result.x.slice(0, biasOffset),
      bias: result.x.slice(biasOffset),
      iterations: result.iteration,
      evaluations: result.evaluations,
      loss: result.value,
      converged: result.converged,
      reason: result.reason,
    };
  } finally {
    parallel.close();
  }
}
