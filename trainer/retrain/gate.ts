/**
 * The promotion gate, in the style of TFX's Evaluator: per-slice thresholds on candidate vs
 * production, each a named rule. A candidate is promoted only if every blocking rule passes:
 *
 *   feedback-gain         the feedback slice's macro-recall gain has a bootstrap interval whose
 *                         lower bound is above `feedback.min_gain`: what users taught was learned;
 *   feedback-class-floor  inside the feedback slice, class trade-offs are reported, not blocking,
 *                         unless a class the production model recalled at or above the floor
 *                         falls below it;
 *   base-macro-recall     the base validation split is non-inferior: macro-recall drops by at
 *                         most `base.max_macro_recall_drop`;
 *   base-class-recall     …and no class's recall drop is beyond `base.max_class_recall_drop` with
 *                         the slice's size taken into account: blocked only when the whole
 *                         interval of the change lies below minus the tolerance;
 *   source-macro-recall   each feedback source (`source:<name>` slice) is not clearly hurt: its
 *                         interval's upper bound stays above minus `sources.max_macro_recall_drop`;
 *   canaries              the candidate fails at most `canaries.max_extra_failures` more
 *                         behavioural canaries than production.
 *
 * Pure: the same inputs give the same decision (the intervals come from a seeded bootstrap).
 * Other steps (self-labelling) call it unchanged with their own slices.
 */
import type { CanaryReport } from '../../shared/canaries/run-canaries';
import { LABELS } from '../../shared/labels';
import type { Interval } from '../evaluate/paired-bootstrap';
import type { SliceComparison } from '../evaluate/slice-comparison';
import type { GatePolicy } from './retrain-config';

export type GateRule = 'feedback-gain' | 'feedback-class-floor' | 'base-macro-recall' | 'base-class-recall' | 'source-macro-recall' | 'canaries';

export interface GateCheck {
  rule: GateRule;
  slice: string | null;
  passed: boolean;
  /** False for what is only reported (class trade-offs inside a slice that gains). */
  blocking: boolean;
  detail: string;
}

export interface GateDecision {
  promote: boolean;
  /** The rule that decided: the first blocking rule that failed, or feedback-gain on promotion. */
  rule: GateRule;
  checks: GateCheck[];
  /** One line: why it was (not) promoted. */
  reason: string;
}

export interface GateInput {
  slices: readonly SliceComparison[];
  canaries: { candidate: CanaryReport; production: CanaryReport } | null;
}

const signed = (x: number) => `${x >= 0 ? '+' : '−'}${Math.abs(x).toFixed(4)}`;
export const formatInterval = (i: Interval) => `${signed(i.delta)} [${signed(i.low)}, ${signed(i.high)}]`;
const EPSILON = 1e-12;

export function decideGate({ slices, canaries }: GateInput, policy: GatePolicy): GateDecision {
  const checks: GateCheck[] = [];
  const bySlice = new Map(slices.map((s) => [s.slice, s]));
  const ci = `${Math.round(policy.bootstrap.confidence * 100)}% CI`;

  const feedback = bySlice.get('feedback');
  if (!feedback) {
    checks.push({ rule: 'feedback-gain', slice: 'feedback', passed: false, blocking: true, detail: 'no feedback texts in the holdout: nothing users taught can be measured' });
  } else {
    const gain = feedback.change.macro_recall;
    checks.push({
      rule: 'feedback-gain',
      slice: 'feedback',
      passed: gain.low > policy.feedback.min_gain + EPSILON,
      blocking: true,
      detail: `feedback slice (${feedback.n} texts) macro-recall ${feedback.candidate.macro_recall.toFixed(4)} vs ${feedback.production.macro_recall.toFixed(4)}, change ${formatInterval(gain)} (${ci}); its lower bound must be above ${signed(policy.feedback.min_gain)}`,
    });
    for (const label of LABELS) {
      const [c, p] = [feedback.candidate.per_class[label].recall, feedback.production.per_class[label].recall];
      const crossed = c < policy.feedback.class_recall_floor && p >= policy.feedback.class_recall_floor;
      const change = feedback.change.class_recall[label];
      if (change.delta >= 0 && !crossed) continue;
      checks.push({
        rule: 'feedback-class-floor',
        slice: 'feedback',
        passed: !crossed,
        blocking: crossed,
        detail: `feedback slice recall of ${label} ${c.toFixed(4)} vs ${p.toFixed(4)}, change ${formatInterval(change)}: ${crossed ? `falls below the floor ${policy.feedback.class_recall_floor}` : `a trade-off inside the slice, reported (floor ${policy.feedback.class_recall_floor} not crossed)`}`,
      });
    }
  }

  const base = bySlice.get('base');
  if (base) {
    const drop = base.production.macro_recall - base.candidate.macro_recall;
    checks.push({
      rule: 'base-macro-recall',
      slice: 'base',
      passed: drop <= policy.base.max_macro_recall_drop + EPSILON,
      blocking: true,
      detail: `base slice (${base.n} texts) macro-recall ${base.candidate.macro_recall.toFixed(4)} vs ${base.production.macro_recall.toFixed(4)} (change ${formatInterval(base.change.macro_recall)}, ${ci}); may fall at most ${policy.base.max_macro_recall_drop}`,
    });
    for (const label of LABELS) {
      const change = base.change.class_recall[label];
      const tolerance = policy.base.max_class_recall_drop;
      checks.push({
        rule: 'base-class-recall',
        slice: 'base',
        passed: change.high >= -tolerance - EPSILON,
        blocking: true,
        detail: `base slice recall of ${label} ${base.candidate.per_class[label].recall.toFixed(4)} vs ${base.production.per_class[label].recall.toFixed(4)}, change ${formatInterval(change)} (${ci}); blocked only if the whole interval is below −${tolerance}`,
      });
    }
  }

  for (const slice of slices.filter((s) => s.slice.startsWith('source:'))) {
    const change = slice.change.macro_recall;
    checks.push({
      rule: 'source-macro-recall',
      slice: slice.slice,
      passed: change.high >= -policy.sources.max_macro_recall_drop - EPSILON,
      blocking: true,
      detail: `${slice.slice} (${slice.n} texts) macro-recall ${slice.candidate.macro_recall.toFixed(4)} vs ${slice.production.macro_recall.toFixed(4)}, change ${formatInterval(change)} (${ci}); blocked only if the whole interval is below −${policy.sources.max_macro_recall_drop}`,
    });
  }

  if (canaries) {
    const extra = canaries.candidate.failed - canaries.production.failed;
    checks.push({
      rule: 'canaries',
      slice: null,
      passed: extra <= policy.canaries.max_extra_failures,
      blocking: true,
      detail: `behavioural canaries (suite v${canaries.candidate.suite_version}, ${canaries.candidate.total}): candidate fails ${canaries.candidate.failed}, production ${canaries.production.failed}; at most ${policy.canaries.max_extra_failures} more allowed`,
    });
  }

  const failed = checks.find((check) => check.blocking && !check.passed);
  const trades = checks.filter((check) => !check.blocking).length;
  if (failed) return { promote: false, rule: failed.rule, checks, reason: `not promoted: rule ${failed.rule}: ${failed.detail}` };
  const gain = checks.find((check) => check.rule === 'feedback-gain')!;
  return {
    promote: true,
    rule: 'feedback-gain',
    checks,
    reason: `promoted: rule feedback-gain: ${gain.detail}; every other rule passed${trades ? ` (${trades} class trade-off${trades > 1 ? 's' : ''} inside the feedback slice reported)` : ''}`,
  };
}
