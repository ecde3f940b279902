/**
 * Paired bootstrap of the change in recall between two models scored on the same rows: each
 * resample draws the rows (with replacement) once and scores both models on them, so the interval
 * reflects how much the difference, not each model alone, depends on which texts were drawn.
 * Percentile intervals; seeded, so a run is reproducible.
 */
import { LABELS, NUM_LABELS, type Label } from '../../shared/labels';

export interface Interval {
  /** Candidate minus production on the rows as given. */
  delta: number;
  low: number;
  high: number;
}

export interface BootstrapOptions {
  iterations: number;
  /** Two-sided confidence level, e.g. 0.95. */
  confidence: number;
  seed: number;
}

export interface RecallChange {
  macro_recall: Interval;
  class_recall: Record<Label, Interval>;
}

/** mulberry32: small, fast, and the same stream on every platform. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

/** Per-class recall of both models and their difference, from per-class counts. */
function recallDeltas(support: Float64Array, candidateHits: Float64Array, productionHits: Float64Array): number[] {
  return LABELS.map((_, k) => (support[k] === 0 ? 0 : (candidateHits[k] - productionHits[k]) / support[k]));
}

const percentile = (sorted: Float64Array, q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.round(q * (sorted.length - 1))))];

/**
 * `truth`, `candidate`, `production`: label indices per row (the models' argmax). Recall of a
 * class absent from a resample is 0 for both models (see metrics.ts), so its change is 0.
 */
export function pairedRecallBootstrap(truth: ArrayLike<number>, candidate: ArrayLike<number>, production: ArrayLike<number>, options: BootstrapOptions): RecallChange {
  const n = truth.length;
  if (n === 0) throw new Error('pairedRecallBootstrap: no rows');
  const count = (rows: (i: number) => number) => {
    const support = new Float64Array(NUM_LABELS);
    const c = new Float64Array(NUM_LABELS);
    const p = new Float64Array(NUM_LABELS);
    for (let r = 0; r < n; r++) {
      const i = rows(r);
      const k = truth[i];
      support[k]++;
      if (candidate[i] === k) c[k]++;
      if (production[i] === k) p[k]++;
    }
    return recallDeltas(support, c, p);
  };
  const observed = count((r) => r);
  const next = random(options.seed);
  const perClass = LABELS.map(() => new Float64Array(options.iterations));
  const macro = new Float64Array(options.iterations);
  for (let b = 0; b < options.iterations; b++) {
    const deltas = count(() => Math.floor(next() * n));
    deltas.forEach((d, k) => (perClass[k][b] = d));
    macro[b] = deltas.reduce((a, d) => a + d, 0) / NUM_LABELS;
  }
  const alpha = (1 - options.confidence) / 2;
  const interval = (delta: number, samples: Float64Array): Interval => {
    samples.sort();
    return { delta, low: percentile(samples, alpha), high: percentile(samples, 1 - alpha) };
  };
  return {
    macro_recall: interval(observed.reduce((a, d) => a + d, 0) / NUM_LABELS, macro),
    class_recall: Object.fromEntries(LABELS.map((label, k) => [label, interval(observed[k], perClass[k])])) as Record<Label, Interval>,
  };
}
