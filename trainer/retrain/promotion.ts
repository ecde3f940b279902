/**
 * The promotion rule: a candidate replaces production only if it is better on the same holdout
 * by a margin, and no class pays for it. Each check says what it compared, so the summary can
 * say exactly which metric blocked a candidate.
 */
import { LABELS } from '../../shared/labels';
import type { HoldoutMetrics } from '../../shared/manifest';
import type { PromotionPolicy } from './retrain-config';

export interface PromotionCheck {
  name: string;
  passed: boolean;
  detail: string;
}

export interface PromotionDecision {
  promote: boolean;
  checks: PromotionCheck[];
  /** One line: why it was (not) promoted. */
  reason: string;
}

const signed = (x: number) => `${x >= 0 ? '+' : '−'}${Math.abs(x).toFixed(4)}`;

export function decidePromotion(candidate: HoldoutMetrics, production: HoldoutMetrics, policy: PromotionPolicy): PromotionDecision {
  const gain = candidate.macro_recall - production.macro_recall;
  const checks: PromotionCheck[] = [
    {
      name: 'macro-recall',
      passed: gain >= policy.min_macro_recall_gain - 1e-12,
      detail: `${candidate.macro_recall.toFixed(4)} vs production ${production.macro_recall.toFixed(4)} (${signed(gain)}; needs ≥ +${policy.min_macro_recall_gain.toFixed(4)})`,
    },
    ...LABELS.map((label) => {
      const drop = (production.per_class[label]?.recall ?? 0) - (candidate.per_class[label]?.recall ?? 0);
      return {
        name: `recall of ${label}`,
        passed: drop <= policy.max_class_recall_drop + 1e-12,
        detail: `${(candidate.per_class[label]?.recall ?? 0).toFixed(4)} vs production ${(production.per_class[label]?.recall ?? 0).toFixed(4)} (${signed(-drop)}; may fall at most ${policy.max_class_recall_drop.toFixed(4)})`,
      };
    }),
  ];
  const failed = checks.filter((check) => !check.passed);
  return {
    promote: failed.length === 0,
    checks,
    reason: failed.length === 0 ? `promoted: macro-recall ${signed(gain)} on the holdout and no class recall fell beyond tolerance` : `not promoted: blocked by ${failed.map((check) => `${check.name} ${check.detail}`).join('; ')}`,
  };
}
