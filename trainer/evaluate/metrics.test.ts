import { describe, expect, it } from 'vitest';
import { LABELS } from '../../shared/labels';
import { computeMetrics, metricsFromConfusion } from './metrics';

/** Rows = true, cols = predicted (negative, neutral, positive). */
const HAND_MATRIX = [
  [5, 2, 1], // true negative: support 8
  [1, 6, 3], // true neutral:  support 10
  [0, 2, 4], // true positive: support 6
];
// n = 24, correct = 5 + 6 + 4 = 15 → accuracy = 15/24 = 0.625
// predicted (column sums): negative 6, neutral 10, positive 8
// negative: P = 5/6,  R = 5/8,  F1 = 2·5/(6+8)  = 10/14 = 5/7
// neutral:  P = 6/10, R = 6/10, F1 = 2·6/(10+10) = 12/20 = 3/5
// positive: P = 4/8,  R = 4/6,  F1 = 2·4/(8+6)  = 8/14  = 4/7
// macro recall = (5/8 + 3/5 + 2/3) / 3 = (75 + 72 + 80)/120 / 3 = 227/360 ≈ 0.630556
// macro F1     = (5/7 + 3/5 + 4/7) / 3 = (45 + 21)/35 / 3     = 22/35   ≈ 0.628571

/** Expands a confusion matrix into (true label, probability row) pairs that reproduce it under argmax. */
function rowsFromMatrix(matrix: number[][]): { labels: number[]; probs: number[][] } {
  const labels: number[] = [];
  const probs: number[][] = [];
  matrix.forEach((row, t) =>
    row.forEach((count, p) => {
      for (let c = 0; c < count; c++) {
        labels.push(t);
        probs.push(LABELS.map((_, k) => (k === p ? 0.7 : 0.15)));
      }
    }),
  );
  return { labels, probs };
}

describe('metricsFromConfusion', () => {
  it('matches the hand-computed metrics', () => {
    const m = metricsFromConfusion(HAND_MATRIX);
    expect(m.n).toBe(24);
    expect(m.accuracy).toBeCloseTo(0.625, 12);
    expect(m.per_class.negative.precision).toBeCloseTo(5 / 6, 12);
    expect(m.per_class.negative.recall).toBeCloseTo(5 / 8, 12);
    expect(m.per_class.negative.f1).toBeCloseTo(5 / 7, 12);
    expect(m.per_class.neutral.precision).toBeCloseTo(0.6, 12);
    expect(m.per_class.neutral.recall).toBeCloseTo(0.6, 12);
    expect(m.per_class.neutral.f1).toBeCloseTo(0.6, 12);
    expect(m.per_class.positive.precision).toBeCloseTo(0.5, 12);
    expect(m.per_class.positive.recall).toBeCloseTo(2 / 3, 12);
    expect(m.per_class.positive.f1).toBeCloseTo(4 / 7, 12);
    expect(m.per_class.negative.support).toBe(8);
    expect(m.per_class.neutral.support).toBe(10);
    expect(m.per_class.positive.support).toBe(6);
    expect(m.macro_recall).toBeCloseTo(227 / 360, 12);
    expect(m.macro_f1).toBeCloseTo(22 / 35, 12);
    expect(m.labels).toEqual(['negative', 'neutral', 'positive']);
    expect(m.confusion_matrix).toEqual(HAND_MATRIX);
  });

  it('copies the matrix instead of aliasing it', () => {
    const input = HAND_MATRIX.map((row) => [...row]);
    const m = metricsFromConfusion(input);
    input[0][0] = 99;
    expect(m.confusion_matrix[0][0]).toBe(5);
  });

  it('counts a class with no support as recall 0 in the macro average', () => {
    // No true positives exist, but positive is predicted once (wrongly) → P = R = F1 = 0 for positive.
    const m = metricsFromConfusion([
      [3, 0, 1],
      [0, 4, 0],
      [0, 0, 0],
    ]);
    expect(m.per_class.positive).toEqual({ precision: 0, recall: 0, f1: 0, support: 0 });
    // negative: P = 3/3, R = 3/4, F1 = 6/7; neutral: perfect.
    expect(m.macro_recall).toBeCloseTo((3 / 4 + 1 + 0) / 3, 12);
    expect(m.macro_f1).toBeCloseTo((6 / 7 + 1 + 0) / 3, 12);
  });

  it('rejects an all-zero, non-square or non-count matrix', () => {
    expect(() => metricsFromConfusion([[0, 0, 0], [0, 0, 0], [0, 0, 0]])).toThrow(/all zeros/);
    expect(() => metricsFromConfusion([[1, 0], [0, 1]])).toThrow(/3×3/);
    expect(() => metricsFromConfusion([[1, 0, 0], [0, 1, 0], [0, 0, -1]])).toThrow(/non-negative integer/);
    expect(() => metricsFromConfusion([[1.5, 0, 0], [0, 1, 0], [0, 0, 1]])).toThrow(/non-negative integer/);
  });
});

describe('computeMetrics', () => {
  it('agrees with metricsFromConfusion on the hand-computed example', () => {
    const { labels, probs } = rowsFromMatrix(HAND_MATRIX);
    const m = computeMetrics(labels, probs);
    expect(m.confusion_matrix).toEqual(HAND_MATRIX);
    expect(m.macro_f1).toBeCloseTo(22 / 35, 12);
    expect(m.macro_recall).toBeCloseTo(227 / 360, 12);
    expect(m.accuracy).toBeCloseTo(0.625, 12);
  });

  it('gives perfect scores for perfect predictions', () => {
    const labels = [0, 1, 2, 2, 1, 0, 1];
    const probs = labels.map((t) => LABELS.map((_, k) => (k === t ? 0.9 : 0.05)));
    const m = computeMetrics(labels, probs);
    expect(m.accuracy).toBe(1);
    expect(m.macro_recall).toBe(1);
    expect(m.macro_f1).toBe(1);
    for (const label of LABELS) expect(m.per_class[label]).toMatchObject({ precision: 1, recall: 1, f1: 1 });
    expect(m.confusion_matrix).toEqual([
      [2, 0, 0],
      [0, 3, 0],
      [0, 0, 2],
    ]);
    // All confidences are 0.9 and all correct: one bin, |1 - 0.9| = 0.1.
    expect(m.expected_calibration_error).toBeCloseTo(0.1, 12);
    expect(m.low_confidence_rate).toBe(0);
  });

  it('scores a never-predicted class as precision 0 (zero_division=0)', () => {
    // neutral is never predicted: the two neutral rows are predicted negative and positive.
    const labels = [0, 0, 1, 1, 2, 2];
    const predicted = [0, 0, 0, 2, 2, 2];
    const probs = predicted.map((p) => LABELS.map((_, k) => (k === p ? 0.8 : 0.1)));
    const m = computeMetrics(labels, probs);
    expect(m.per_class.neutral).toEqual({ precision: 0, recall: 0, f1: 0, support: 2 });
    // negative: P = 2/3, R = 1, F1 = 0.8; positive: the same by symmetry.
    expect(m.per_class.negative.f1).toBeCloseTo(0.8, 12);
    expect(m.per_class.positive.f1).toBeCloseTo(0.8, 12);
    expect(m.macro_f1).toBeCloseTo(1.6 / 3, 12);
    expect(m.macro_recall).toBeCloseTo(2 / 3, 12);
  });

  it('breaks argmax ties toward the lowest index', () => {
    const m = computeMetrics(
      [0, 1, 0],
      [
        [0.4, 0.4, 0.2], // → negative
        [0.2, 0.4, 0.4], // → neutral
        [1 / 3, 1 / 3, 1 / 3], // → negative
      ],
    );
    expect(m.confusion_matrix).toEqual([
      [2, 0, 0],
      [0, 1, 0],
      [0, 0, 0],
    ]);
  });

  describe('calibration and confidence', () => {
    // 4 rows, 10 bins:
    //   row 0: max 0.95 → bin 9 [0.9, 1.0], correct
    //   row 1: max 0.85 → bin 8 [0.8, 0.9), wrong (true neutral, predicted positive)
    //   row 2: max 0.83 → bin 8,            correct
    //   row 3: max 0.45 → bin 4 [0.4, 0.5), wrong (true positive, predicted negative)
    // bin 9: count 1, acc 1,   conf 0.95 → |1 - 0.95|   = 0.05
    // bin 8: count 2, acc 0.5, conf 0.84 → |0.5 - 0.84| = 0.34
    // bin 4: count 1, acc 0,   conf 0.45 → |0 - 0.45|   = 0.45
    // ECE = 1/4·0.05 + 2/4·0.34 + 1/4·0.45 = 0.0125 + 0.17 + 0.1125 = 0.295
    const labels = [0, 1, 2, 2];
    const probs = [
      [0.95, 0.03, 0.02],
      [0.05, 0.1, 0.85],
      [0.07, 0.1, 0.83],
      [0.45, 0.35, 0.2],
    ];

    it('computes ECE on a hand-computed example', () => {
      expect(computeMetrics(labels, probs).expected_calibration_error).toBeCloseTo(0.295, 12);
    });

    it('with one bin, ECE is |accuracy - mean confidence|', () => {
      // accuracy 2/4 = 0.5; mean confidence (0.95 + 0.85 + 0.83 + 0.45)/4 = 0.77 → 0.27
      const m = computeMetrics(labels, probs, { calibrationBins: 1 });
      expect(m.expected_calibration_error).toBeCloseTo(0.27, 12);
    });

    it('accepts a flat Float32Array and Int32Array labels', () => {
      const m = computeMetrics(Int32Array.from(labels), Float32Array.from(probs.flat()));
      expect(m.expected_calibration_error).toBeCloseTo(0.295, 6);
      expect(m.confusion_matrix).toEqual(computeMetrics(labels, probs).confusion_matrix);
    });

    it('reports the low-confidence rate for the default and a custom threshold', () => {
      const byDefault = computeMetrics(labels, probs);
      expect(byDefault.low_confidence_threshold).toBe(0.55);
      expect(byDefault.low_confidence_rate).toBe(0.25); // only 0.45 < 0.55

      const strict = computeMetrics(labels, probs, { lowConfidenceThreshold: 0.9 });
      expect(strict.low_confidence_threshold).toBe(0.9);
      expect(strict.low_confidence_rate).toBe(0.75); // 0.85, 0.83, 0.45 < 0.9
    });

    it('treats the threshold as strict: max probability equal to it is not low confidence', () => {
      const m = computeMetrics([0], [[0.5, 0.25, 0.25]], { lowConfidenceThreshold: 0.5 });
      expect(m.low_confidence_rate).toBe(0);
    });

    it('puts a confidence of exactly 1 into the last bin', () => {
      const m = computeMetrics([0, 1], [
        [1, 0, 0],
        [1, 0, 0],
      ]);
      // One bin holding both rows: accuracy 0.5, confidence 1 → 0.5
      expect(m.expected_calibration_error).toBeCloseTo(0.5, 12);
    });
  });

  describe('errors', () => {
    it('rejects n = 0', () => {
      expect(() => computeMetrics([], [])).toThrow(/no rows to evaluate/);
      expect(() => computeMetrics(new Int32Array(0), new Float32Array(0))).toThrow(/no rows to evaluate/);
    });

    it('rejects mismatched lengths', () => {
      expect(() => computeMetrics([0, 1], [[1, 0, 0]])).toThrow(/got 2 labels but 1 probability rows/);
      expect(() => computeMetrics([0], new Float32Array(6))).toThrow(/got 1 labels but 2 probability rows/);
      expect(() => computeMetrics([0], new Float32Array(4))).toThrow(/not a multiple of 3/);
    });

    it('rejects probability rows of the wrong width', () => {
      expect(() => computeMetrics([0], [[0.5, 0.5]])).toThrow(/row 0 has 2 values; expected 3/);
    });

    it('rejects out-of-range labels and non-finite probabilities', () => {
      expect(() => computeMetrics([3], [[1, 0, 0]])).toThrow(/true label 0 is 3/);
      expect(() => computeMetrics([0, -1], [[1, 0, 0], [1, 0, 0]])).toThrow(/true label 1 is -1/);
      expect(() => computeMetrics([0], [[Number.NaN, 0, 1]])).toThrow(/non-finite/);
    });

    it('rejects invalid options', () => {
      expect(() => computeMetrics([0], [[1, 0, 0]], { calibrationBins: 0 })).toThrow(/calibrationBins/);
      expect(() => computeMetrics([0], [[1, 0, 0]], { calibrationBins: 2.5 })).toThrow(/calibrationBins/);
      expect(() => computeMetrics([0], [[1, 0, 0]], { lowConfidenceThreshold: 1.5 })).toThrow(/lowConfidenceThreshold/);
    });
  });
});
