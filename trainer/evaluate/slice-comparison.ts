/**
 * Candidate vs production on each slice of one holdout: both models' metrics on the slice and the
 * paired-bootstrap interval of the change in recall (per class and macro). The gate decides from
 * these; the summary prints them.
 */
import { labelIndex, type Label } from '../../shared/labels';
import type { HoldoutMetrics } from '../../shared/manifest';
import { holdoutMetrics } from '../model/train-candidate';
import { computeMetrics } from './metrics';
import { pairedRecallBootstrap, type BootstrapOptions, type RecallChange } from './paired-bootstrap';

export interface Slice {
  /** `base`, `feedback`, `source:<name>`, … */
  name: string;
  /** Row indices into the holdout. */
  rows: readonly number[];
}

export interface SliceComparison {
  slice: string;
  n: number;
  candidate: HoldoutMetrics;
  production: HoldoutMetrics;
  change: RecallChange;
}

const argmaxes = (p: Float32Array, rows: readonly number[]) =>
  Int32Array.from(rows, (i) => {
    const [a, b, c] = [p[3 * i], p[3 * i + 1], p[3 * i + 2]];
    return a >= b && a >= c ? 0 : b >= c ? 1 : 2;
  });

const pick = (p: Float32Array, rows: readonly number[]) => {
  const out = new Float32Array(rows.length * 3);
  rows.forEach((i, j) => out.set(p.subarray(3 * i, 3 * i + 3), 3 * j));
  return out;
};

/** `candidate`, `production`: [n, 3] probabilities on the holdout's rows, in order. Empty slices are left out. */
export function compareSlices(
  labels: readonly Label[],
  candidate: Float32Array,
  production: Float32Array,
  slices: readonly Slice[],
  bootstrap: BootstrapOptions,
  datasetName: string,
): SliceComparison[] {
  return slices
    .filter((slice) => slice.rows.length > 0)
    .map(({ name, rows }) => {
      const truth = Int32Array.from(rows, (i) => labelIndex(labels[i]));
      const metrics = (p: Float32Array) => holdoutMetrics(`${datasetName}#${name}`, computeMetrics(truth, pick(p, rows)));
      return {
        slice: name,
        n: rows.length,
        candidate: metrics(candidate),
        production: metrics(production),
        change: pairedRecallBootstrap(truth, argmaxes(candidate, rows), argmaxes(production, rows), bootstrap),
      };
    });
}
