import { describe, expect, it } from 'vitest';
import type { CanaryReport } from '../../shared/canaries/run-canaries';
import type { Label } from '../../shared/labels';
import type { HoldoutMetrics } from '../../shared/manifest';
import type { Interval } from '../evaluate/paired-bootstrap';
import type { SliceComparison } from '../evaluate/slice-comparison';
import { decideGate } from './gate';
import { retrainConfigSchema } from './retrain-config';

const policy = retrainConfigSchema.parse({}).gate;
const metrics = ([negative, neutral, positive]: number[]): HoldoutMetrics => {
  const cls = (recall: number) => ({ precision: 0.5, recall, f1: 0.5, support: 100 });
  return { dataset: 'h', n: 300, accuracy: 0.6, macro_recall: (negative + neutral + positive) / 3, macro_f1: 0.6, per_class: { negative: cls(negative), neutral: cls(neutral), positive: cls(positive) }, expected_calibration_error: 0.03, low_confidence_rate: 0.3 };
};
const interval = (delta: number, half = 0.02): Interval => ({ delta, low: delta - half, high: delta + half });
function slice(name: string, candidate: number[], production: number[], half = 0.02): SliceComparison {
  const labels: Label[] = ['negative', 'neutral', 'positive'];
  const c = metrics(candidate);
  const p = metrics(production);
  return {
    slice: name,
    n: 300,
    candidate: c,
    production: p,
    change: { macro_recall: interval(c.macro_recall - p.macro_recall, half), class_recall: Object.fromEntries(labels.map((l, k) => [l, interval(candidate[k] - production[k], half)])) as Record<Label, Interval> },
  };
}
const canaries = (failed: number): CanaryReport => ({ suite_version: 1, total: 218, failed, groups: {} as CanaryReport['groups'], polarity: { n: 80, wrong_way: 0, agreement: 1 }, examples: [] });

describe('decideGate', () => {
  it('promotes a candidate that gains on feedback and is non-inferior on the base, reporting trade-offs inside the feedback slice', () => {
    const decision = decideGate(
      { slices: [slice('base', [0.7, 0.7, 0.7], [0.7, 0.705, 0.7]), slice('feedback', [0.8, 0.3, 0.9], [0.4, 0.4, 0.4])], canaries: { candidate: canaries(20), production: canaries(22) } },
      policy,
    );
    expect(decision).toMatchObject({ promote: true, rule: 'feedback-gain' });
    expect(decision.reason).toMatch(/^promoted: rule feedback-gain: feedback slice \(300 texts\) macro-recall 0\.6667 vs 0\.4000, change \+0\.2667 \[\+0\.2467, \+0\.2867\] \(95% CI\).*\(1 class trade-off inside the feedback slice reported\)$/);
    expect(decision.checks.find((c) => c.rule === 'feedback-class-floor')).toMatchObject({ passed: true, blocking: false, detail: expect.stringContaining('recall of neutral') });
  });

  it('names the rule that blocked, in order: no significant feedback gain', () => {
    const decision = decideGate({ slices: [slice('base', [0.7, 0.7, 0.7], [0.7, 0.7, 0.7]), slice('feedback', [0.42, 0.4, 0.4], [0.4, 0.4, 0.4], 0.05)], canaries: null }, policy);
    expect(decision).toMatchObject({ promote: false, rule: 'feedback-gain' });
    expect(decision.reason).toMatch(/its lower bound must be above \+0\.0000$/);
  });

  it('blocks a class of the feedback slice falling below the floor, and a base regression', () => {
    const floor = decideGate({ slices: [slice('feedback', [0.99, 0.02, 0.99], [0.4, 0.3, 0.4])], canaries: null }, policy);
    expect(floor).toMatchObject({ promote: false, rule: 'feedback-class-floor' });
    expect(floor.reason).toContain('recall of neutral 0.0200 vs 0.3000');

    const base = decideGate({ slices: [slice('base', [0.68, 0.7, 0.7], [0.7, 0.72, 0.7]), slice('feedback', [0.8, 0.8, 0.8], [0.4, 0.4, 0.4])], canaries: null }, policy);
    expect(base).toMatchObject({ promote: false, rule: 'base-macro-recall' });

    const cls = decideGate({ slices: [slice('base', [0.64, 0.74, 0.72], [0.7, 0.7, 0.7]), slice('feedback', [0.8, 0.8, 0.8], [0.4, 0.4, 0.4])], canaries: null }, policy);
    expect(cls).toMatchObject({ promote: false, rule: 'base-class-recall' });
    expect(cls.reason).toMatch(/base slice recall of negative 0\.6400 vs 0\.7000, change −0\.0600 \[−0\.0800, −0\.0400\]/);
    // The same drop with a wide interval (a small slice) is not enough to block.
    const wide = decideGate({ slices: [slice('base', [0.64, 0.74, 0.72], [0.7, 0.7, 0.7], 0.05), slice('feedback', [0.8, 0.8, 0.8], [0.4, 0.4, 0.4])], canaries: null }, policy);
    expect(wide.promote).toBe(true);
  });

  it('blocks a source slice that clearly loses, and a candidate failing more canaries', () => {
    const source = decideGate({ slices: [slice('feedback', [0.8, 0.8, 0.8], [0.4, 0.4, 0.4]), slice('source:app', [0.5, 0.5, 0.5], [0.6, 0.6, 0.6])], canaries: null }, policy);
    expect(source).toMatchObject({ promote: false, rule: 'source-macro-recall' });
    expect(source.reason).toContain('source:app (300 texts)');
    const canary = decideGate({ slices: [slice('feedback', [0.8, 0.8, 0.8], [0.4, 0.4, 0.4])], canaries: { candidate: canaries(40), production: canaries(21) } }, policy);
    expect(canary).toMatchObject({ promote: false, rule: 'canaries' });
    expect(canary.reason).toBe('not promoted: rule canaries: behavioural canaries (suite v1, 218): candidate fails 40, production 21; at most 5 more allowed');
  });

  it('does not promote without feedback in the holdout', () => {
    expect(decideGate({ slices: [slice('base', [0.8, 0.8, 0.8], [0.7, 0.7, 0.7])], canaries: null }, policy)).toMatchObject({ promote: false, rule: 'feedback-gain', reason: expect.stringContaining('no feedback texts in the holdout') });
  });
});
