import { describe, expect, it } from 'vitest';
import type { HoldoutMetrics } from '../../shared/manifest';
import { decidePromotion } from './promotion';

const metrics = (negative: number, neutral: number, positive: number): HoldoutMetrics => {
  const cls = (recall: number) => ({ precision: 0.5, recall, f1: 0.5, support: 100 });
  return {
    dataset: 'holdout', n: 300, accuracy: 0.6, macro_recall: (negative + neutral + positive) / 3, macro_f1: 0.6,
    per_class: { negative: cls(negative), neutral: cls(neutral), positive: cls(positive) }, expected_calibration_error: 0.03, low_confidence_rate: 0.3,
  };
};
const policy = { min_macro_recall_gain: 0.01, max_class_recall_drop: 0.02 };

describe('decidePromotion', () => {
  it('promotes a candidate that gains at least the margin with no class falling beyond the tolerance', () => {
    const decision = decidePromotion(metrics(0.62, 0.6, 0.61), metrics(0.6, 0.6, 0.6), policy);
    expect(decision.promote).toBe(true);
    expect(decision.reason).toMatch(/^promoted: macro-recall \+0\.0100/);
  });

  it('blocks a gain smaller than the margin, and names macro-recall', () => {
    const decision = decidePromotion(metrics(0.605, 0.6, 0.6), metrics(0.6, 0.6, 0.6), policy);
    expect(decision.promote).toBe(false);
    expect(decision.reason).toBe('not promoted: blocked by macro-recall 0.6017 vs production 0.6000 (+0.0017; needs ≥ +0.0100)');
  });

  it('blocks a better average bought with one class, and names that class', () => {
    const decision = decidePromotion(metrics(0.7, 0.7, 0.55), metrics(0.6, 0.6, 0.6), policy);
    expect(decision.promote).toBe(false);
    expect(decision.checks.filter((c) => !c.passed).map((c) => c.name)).toEqual(['recall of positive']);
    expect(decision.reason).toContain('recall of positive 0.5500 vs production 0.6000 (−0.0500; may fall at most 0.0200)');
  });

  it('does not promote a candidate identical to production (no margin), whatever the policy tolerance', () => {
    expect(decidePromotion(metrics(0.6, 0.6, 0.6), metrics(0.6, 0.6, 0.6), policy).promote).toBe(false);
  });
});
