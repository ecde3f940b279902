/** Scores a model on the holdout as a whole and on each slice (base validation, feedback). */
import type { HoldoutMetrics } from '../../shared/manifest';
import { labelIndex } from '../../shared/labels';
import type { SentimentModel } from '../../shared/sentiment-model';
import type { HoldoutRow, HoldoutSlice } from '../dataset/merge';
import { computeMetrics } from '../evaluate/metrics';
import { holdoutMetrics } from '../model/train-candidate';
import { predictAll } from '../onnx/load-model';

export interface HoldoutScores {
  all: HoldoutMetrics;
  slices: Partial<Record<HoldoutSlice, HoldoutMetrics>>;
}

export async function scoreHoldout(model: SentimentModel, holdout: readonly HoldoutRow[], name: string): Promise<HoldoutScores> {
  const probabilities = await predictAll(model, holdout.map((row) => row.text));
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
