/** What a promoted version's manifest (and so its model card) records of the gate's decision. */
import { LABELS } from '../../shared/labels';
import type { Promotion } from '../../shared/manifest';
import type { SliceComparison } from '../evaluate/slice-comparison';
import type { GateDecision } from './gate';

export function promotionRecord(slices: readonly SliceComparison[], decision: GateDecision, confidence: number, replaced: string): Promotion {
  return {
    rule: decision.rule,
    reason: decision.reason,
    confidence,
    replaced,
    slices: slices.map((s) => ({
      slice: s.slice,
      n: s.n,
      macro_recall: { candidate: s.candidate.macro_recall, production: s.production.macro_recall, change: s.change.macro_recall },
      class_recall: Object.fromEntries(
        LABELS.map((label) => [label, { candidate: s.candidate.per_class[label].recall, production: s.production.per_class[label].recall, change: s.change.class_recall[label] }]),
      ),
    })),
  };
}
