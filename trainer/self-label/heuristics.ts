/**
 * The quality heuristics that decide which LLM labels are kept. Each is switchable and reports
 * how many labels it rejected. Per text, in order: an answer exists (not malformed); the two
 * prompt wordings agree; every reported confidence reaches the floor; the production model's own
 * top label agrees (with at least a set probability); no user correction contradicts it. Then per run: a per-label cap, and the
 * agreement of kept labels with users' corrections on the audit texts, below a floor of which the
 * whole run is discarded.
 */
import { LABELS, type Label } from '../../shared/labels';
import type { PromptVersion, TextAnswer } from './prompts';
import type { SelectedText } from './select-texts';
import type { HeuristicSettings } from './settings';

export interface JudgedText extends SelectedText {
  answers: Partial<Record<PromptVersion, TextAnswer | null>>;
}

export type TextCheck = 'answered' | 'prompts_agree' | 'confidence_floor' | 'model_agrees' | 'no_correction_conflict';

export interface Verdict {
  label: Label | null;
  /** The first check that rejected the label. */
  rejectedBy: TextCheck | null;
}

/**
 * The verdict on one text, given the prompts asked for it. The first prompt's answer is checked
 * on its own first, because the second prompt is only asked when that answer could be kept.
 */
export function judgeText(item: JudgedText, prompts: readonly PromptVersion[], h: HeuristicSettings): Verdict {
  const reject = (check: TextCheck): Verdict => ({ label: null, rejectedBy: check });
  const belowFloor = (answer: TextAnswer) => h.confidence_floor.enabled && answer.confidence !== null && answer.confidence < h.confidence_floor.min;
  const first = item.answers[prompts[0]];
  if (!first) return reject('answered');
  const label = first.label;
  if (belowFloor(first)) return reject('confidence_floor');
  if (h.model_agrees.enabled && item.production && (item.production.label !== label || item.production.confidence < h.model_agrees.min_probability)) return reject('model_agrees');
  if (h.no_correction_conflict && item.correction && item.correction !== label) return reject('no_correction_conflict');
  for (const prompt of prompts.slice(1)) {
    const answer = item.answers[prompt];
    if (!answer) return reject('answered');
    if (h.prompts_agree && answer.label !== label) return reject('prompts_agree');
    if (belowFloor(answer)) return reject('confidence_floor');
  }
  return { label, rejectedBy: null };
}

/**
 * Keeps at most `max_share` of the kept labels per label (but always up to `min_count` each),
 * earliest first; returns the indices of `labels` that survive.
 */
export function capPerLabel(labels: readonly Label[], maxShare: number, minCount: number): Set<number> {
  const counts = Object.fromEntries(LABELS.map((l) => [l, labels.filter((x) => x === l).length])) as Record<Label, number>;
  // Lower the biggest label to max_share of the total until none is over it; a few rounds settle it.
  for (let round = 0; round < LABELS.length; round++) {
    const total = LABELS.reduce((sum, l) => sum + counts[l], 0);
    const biggest = LABELS.reduce((a, b) => (counts[b] > counts[a] ? b : a));
    if (total === 0 || counts[biggest] <= maxShare * total || counts[biggest] <= minCount) break;
    const others = total - counts[biggest];
    counts[biggest] = Math.max(minCount, maxShare >= 1 ? counts[biggest] : Math.floor((maxShare * others) / (1 - maxShare)));
  }
  const taken = Object.fromEntries(LABELS.map((l) => [l, 0])) as Record<Label, number>;
  const keep = new Set<number>();
  labels.forEach((label, i) => {
    if (taken[label] < counts[label]) {
      taken[label]++;
      keep.add(i);
    }
  });
  return keep;
}

export interface HumanAgreement {
  /** Audit texts whose label passed the per-text checks (the correction check aside). */
  samples: number;
  agreed: number;
  rate: number | null;
  /** false: the run's labels are discarded. */
  passed: boolean;
}

/** How often labels the heuristics would keep match what users said, on the audit texts. */
export function humanAgreement(audit: readonly JudgedText[], prompts: readonly PromptVersion[], h: HeuristicSettings): HumanAgreement {
  const judged = audit.map((item) => judgeText({ ...item, correction: null }, prompts, h)).map((v, i) => ({ label: v.label, truth: audit[i].correction }));
  const kept = judged.filter((j) => j.label !== null && j.truth !== null);
  const agreed = kept.filter((j) => j.label === j.truth).length;
  const rate = kept.length > 0 ? agreed / kept.length : null;
  const enough = kept.length >= h.human_agreement.min_samples;
  return { samples: kept.length, agreed, rate, passed: !h.human_agreement.enabled || !enough || rate! >= h.human_agreement.min_agreement };
}
