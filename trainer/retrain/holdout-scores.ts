/** Metrics on the holdout as a whole and on each slice (base validation, feedback), from one set of predictions. */
import type { HoldoutMetrics } from '../../shared/manifest';
import { labelIndex } from '../../shared/labels';
import type { HoldoutRow, HoldoutSlice } from '../dataset/merge';
import { computeMetrics } from '../evaluate/metrics';
import { holdoutMetrics } from '../model/train-candidate';

export interface HoldoutScores {
  all: HoldoutMetrics;
  slices: Partial<Record<HoldoutSlice, HoldoutMetrics>>;
}

/** `probabilities`: a model's [n, 3] output on the holdout's texts, in row order. */
export function scoreHoldout(probabilities: Float32Array, holdout: readonly HoldoutRow[], name: string): HoldoutScores {
  const score = (indices: number[], dataset: string) => {
    const rows = new Float32Array(indices.length * 3);
    indices.forEach((row, i) => rows.set(probabilities.subarray(3 * row, 3 * row + 3), 3 * i));
    return holdoutMetrics(dataset, computeMetrics(indices.map((i) => labelIndex(holdout[i].label)), rows));
  };
  const all = score(holdout.map((_, i) => i), name);
  const slices: HoldoutScores['slices'] = {};
  for (const slice of ['base', 'feedback'] as const) {
    const indices = holdout.flatMap((row, i) => (row.slice === slice ? [i] : []));
    if (indices.length > 0) slices[slice] = score(indices, `${name}#${slice}`);
  }
  return { all, slices };
}
