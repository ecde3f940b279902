import { describe, expect, it } from 'vitest';
import { pairedRecallBootstrap } from './paired-bootstrap';

const options = { iterations: 1000, confidence: 0.95, seed: 7 };
/** n rows cycling through the labels; `flip(i)` rows get the wrong label from the candidate. */
function rows(n: number, wrongForCandidate: (i: number) => boolean, wrongForProduction: (i: number) => boolean = () => false) {
  const truth = Int32Array.from({ length: n }, (_, i) => i % 3);
  const wrong = (i: number) => (truth[i] + 1) % 3;
  return {
    truth,
    candidate: Int32Array.from(truth, (t, i) => (wrongForCandidate(i) ? wrong(i) : t)),
    production: Int32Array.from(truth, (t, i) => (wrongForProduction(i) ? wrong(i) : t)),
  };
}

describe('pairedRecallBootstrap', () => {
  it('is deterministic for a seed and gives the observed change with an interval around it', () => {
    const { truth, candidate, production } = rows(600, (i) => i % 10 === 0, (i) => i % 4 === 0);
    const a = pairedRecallBootstrap(truth, candidate, production, options);
    expect(pairedRecallBootstrap(truth, candidate, production, options)).toEqual(a);
    expect(a.macro_recall.delta).toBeCloseTo(0.25 - 0.1, 2);
    expect(a.macro_recall.low).toBeGreaterThan(0);
    expect(a.macro_recall.low).toBeLessThan(a.macro_recall.delta);
    expect(a.macro_recall.high).toBeGreaterThan(a.macro_recall.delta);
    expect(pairedRecallBootstrap(truth, candidate, production, { ...options, seed: 8 })).not.toEqual(a);
  });

  it('has no width when both models make the same mistakes (paired), and widens as the slice shrinks', () => {
    const same = rows(300, (i) => i % 5 === 0, (i) => i % 5 === 0);
    expect(pairedRecallBootstrap(same.truth, same.candidate, same.production, options).macro_recall).toEqual({ delta: 0, low: 0, high: 0 });
    const width = (n: number) => {
      const r = rows(n, (i) => i % 7 === 0, (i) => i % 5 === 0);
      const { low, high } = pairedRecallBootstrap(r.truth, r.candidate, r.production, options).macro_recall;
      return high - low;
    };
    expect(width(150)).toBeGreaterThan(1.5 * width(1500));
  });

  it('reports each class: a loss in one class shows as that class only', () => {
    const r = rows(900, (i) => i % 3 === 0 && i % 2 === 0);
    const change = pairedRecallBootstrap(r.truth, r.candidate, r.production, options);
    expect(change.class_recall.negative.delta).toBeCloseTo(-0.5, 5);
    expect(change.class_recall.negative.high).toBeLessThan(-0.4);
    expect(change.class_recall.neutral).toEqual({ delta: 0, low: 0, high: 0 });
  });
});
