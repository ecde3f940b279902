/**
 * Classification metrics for the 3 sentiment labels. Pure functions; keys are snake_case because the result
 * is printed as JSON.
 *
 * Zero-division conventions match scikit-learn with `zero_division=0`:
 * - precision of a class that is never predicted is 0;
 * - recall of a class with no support (absent from the true labels) is 0, and that class still counts in the
 *   macro averages (so they are pulled down, as in sklearn with `labels=[0, 1, 2]`);
 * - F1 is 0 when precision + recall is 0.
 */
import { LABELS, NUM_LABELS, type Label } from '../../shared/labels';

export interface ClassMetrics {
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

/** Everything that can be derived from a confusion matrix alone. */
export interface ConfusionMetrics {
  n: number;
  accuracy: number;
  macro_recall: number;
  macro_f1: number;
  per_class: Record<Label, ClassMetrics>;
  /** Rows = true label, columns = predicted label, both in LABELS order. */
  confusion_matrix: number[][];
  labels: Label[];
}

export interface Metrics extends ConfusionMetrics {
  /** Equal-width bins over the max probability; sum of (bin_count / n) * |accuracy - mean confidence|. */
  expected_calibration_error: number;
  /** Share of rows whose max probability is below low_confidence_threshold. */
  low_confidence_rate: number;
  low_confidence_threshold: number;
}

export interface MetricsOptions {
  /** Rows with max probability strictly below this count as low confidence. Default 0.55. */
  lowConfidenceThreshold?: number;
  /** Number of equal-width bins over [0, 1] for the calibration error. Default 10. */
  calibrationBins?: number;
}

/** Per-row prediction: argmax (ties go to the lowest index) and its probability. */
interface Prediction {
  label: number;
  confidence: number;
}

/**
 * Computes metrics from true label indices and an n×3 probability matrix (either rows of 3 or a flat row-major
 * Float32Array of length 3n). Predictions are the argmax of each row.
 */
export function computeMetrics(
  trueLabels: ArrayLike<number>,
  probabilities: Float32Array | number[][],
  options: MetricsOptions = {},
): Metrics {
  const threshold = options.lowConfidenceThreshold ?? 0.55;
  const bins = options.calibrationBins ?? 10;
  checkOptions(threshold, bins);
  const n = trueLabels.length;
  if (n === 0) throw new Error('computeMetrics: no rows to evaluate (n = 0); pass at least one labelled example');

  const predictions = predict(probabilities, n);
  const matrix = zeroMatrix();
  for (let i = 0; i < n; i++) matrix[checkLabel(trueLabels[i], i)][predictions[i].label]++;

  const lowConfidence = predictions.filter((p) => p.confidence < threshold).length;
  return {
    ...metricsFromConfusion(matrix),
    expected_calibration_error: calibrationError(trueLabels, predictions, bins),
    low_confidence_rate: lowConfidence / n,
    low_confidence_threshold: threshold,
  };
}

/** Derives accuracy, per-class and macro metrics from a NUM_LABELS×NUM_LABELS confusion matrix (rows = true). */
export function metricsFromConfusion(matrix: number[][]): ConfusionMetrics {
  checkMatrix(matrix);
  const n = sum(matrix.map(sum));
  if (n === 0) throw new Error('metricsFromConfusion: the confusion matrix is all zeros; nothing to evaluate');

  const perClass = LABELS.map((_, k) => classMetrics(matrix, k));
  const correct = sum(LABELS.map((_, k) => matrix[k][k]));
  return {
    n,
    accuracy: correct / n,
    macro_recall: mean(perClass.map((c) => c.recall)),
    macro_f1: mean(perClass.map((c) => c.f1)),
    per_class: Object.fromEntries(LABELS.map((label, k) => [label, perClass[k]])) as Record<Label, ClassMetrics>,
    confusion_matrix: matrix.map((row) => [...row]),
    labels: [...LABELS],
  };
}

function classMetrics(matrix: number[][], k: number): ClassMetrics {
  const truePositives = matrix[k][k];
  const support = sum(matrix[k]);
  const predicted = sum(matrix.map((row) => row[k]));
  const precision = predicted === 0 ? 0 : truePositives / predicted;
  const recall = support === 0 ? 0 : truePositives / support;
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { precision, recall, f1, support };
}

function predict(probabilities: Float32Array | number[][], n: number): Prediction[] {
  if (!Array.isArray(probabilities) && probabilities.length % NUM_LABELS !== 0) {
    throw new Error(
      `computeMetrics: flat probabilities have length ${probabilities.length}, not a multiple of ${NUM_LABELS}; ` +
        `pass n×${NUM_LABELS} row-major values`,
    );
  }
  const rows = Array.isArray(probabilities) ? probabilities.length : probabilities.length / NUM_LABELS;
  if (rows !== n) {
    throw new Error(
      `computeMetrics: got ${n} labels but ${rows} probability rows; ` +
        `pass one row of ${NUM_LABELS} probabilities per label`,
    );
  }
  const predictions: Prediction[] = new Array(n);
  for (let i = 0; i < n; i++) predictions[i] = argmax(probabilityRow(probabilities, i), i);
  return predictions;
}

function probabilityRow(probabilities: Float32Array | number[][], i: number): ArrayLike<number> {
  if (!Array.isArray(probabilities)) return probabilities.subarray(i * NUM_LABELS, (i + 1) * NUM_LABELS);
  const row = probabilities[i];
  if (row.length !== NUM_LABELS) {
    throw new Error(`computeMetrics: probability row ${i} has ${row.length} values; expected ${NUM_LABELS}`);
  }
  return row;
}

function argmax(row: ArrayLike<number>, i: number): Prediction {
  let label = 0;
  for (let k = 0; k < NUM_LABELS; k++) {
    if (!Number.isFinite(row[k])) throw new Error(`computeMetrics: probability row ${i} has a non-finite value`);
    if (row[k] > row[label]) label = k; // strict > keeps the lowest index on ties
  }
  return { label, confidence: row[label] };
}

/** Standard ECE (Guo et al. 2017) with bins [0, 1/B), [1/B, 2/B), ..., [(B-1)/B, 1]. */
function calibrationError(trueLabels: ArrayLike<number>, predictions: Prediction[], bins: number): number {
  const count = new Array<number>(bins).fill(0);
  const correct = new Array<number>(bins).fill(0);
  const confidence = new Array<number>(bins).fill(0);
  predictions.forEach((p, i) => {
    const bin = Math.min(bins - 1, Math.max(0, Math.floor(p.confidence * bins)));
    count[bin]++;
    confidence[bin] += p.confidence;
    if (p.label === trueLabels[i]) correct[bin]++;
  });
  // (count/n) * |correct/count - confidence/count| simplifies to |correct - confidence| / n.
  return sum(count.map((c, b) => (c === 0 ? 0 : Math.abs(correct[b] - confidence[b])))) / predictions.length;
}

function checkOptions(threshold: number, bins: number): void {
  if (!(threshold >= 0 && threshold <= 1)) {
    throw new Error(`computeMetrics: lowConfidenceThreshold must be in [0, 1]; got ${threshold}`);
  }
  if (!Number.isInteger(bins) || bins < 1) {
    throw new Error(`computeMetrics: calibrationBins must be a positive integer; got ${bins}`);
  }
}

function checkLabel(label: number, i: number): number {
  if (!Number.isInteger(label) || label < 0 || label >= NUM_LABELS) {
    throw new Error(`computeMetrics: true label ${i} is ${label}; expected an index 0..${NUM_LABELS - 1} into LABELS`);
  }
  return label;
}

function checkMatrix(matrix: number[][]): void {
  const square = matrix.length === NUM_LABELS && matrix.every((row) => row.length === NUM_LABELS);
  if (!square) throw new Error(`metricsFromConfusion: expected a ${NUM_LABELS}×${NUM_LABELS} matrix (LABELS order)`);
  if (!matrix.every((row) => row.every((v) => Number.isInteger(v) && v >= 0))) {
    throw new Error('metricsFromConfusion: matrix entries must be non-negative integer counts');
  }
}

function zeroMatrix(): number[][] {
  return LABELS.map(() => new Array<number>(NUM_LABELS).fill(0));
}

function sum(values: readonly number[]): number {
  let total = 0;
  for (const v of values) total += v;
  return total;
}

function mean(values: readonly number[]): number {
  return sum(values) / values.length;
}
