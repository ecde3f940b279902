/**
 * `merge`: base dataset + user feedback + self-labelled rows → one training set and the fixed
 * holdout, deduplicated by normalised text (textKey).
 *
 * Who decides a text's label, strongest first:
 *   1. user corrections (several for one text: majority, then the most recent among the tied);
 *   2. the base dataset;
 *   3. self-labelled rows (an LLM's guess; majority, then recency, among themselves).
 * Low-confidence predictions carry no label and are not training data.
 *
 * The holdout is never trained on: the base validation split (its labels are curated, so feedback
 * never relabels it) plus every feedback text whose hash falls in the holdout slice. The slice
 * depends on the text alone, so a text lands on the same side every week.
 */
import { createHash } from 'node:crypto';
import { LABELS, type Label } from '../../shared/labels';
import { DEFAULT_FEEDBACK_SOURCE, type FeedbackRecord, type SelfLabeledRecord } from '../../shared/feedback-record';
import { cleanRows, textKey } from '../data/clean';
import type { LabelledRow } from '../data/csv';
import type { DatasetRecords } from './records';

export type HoldoutSlice = 'base' | 'feedback';
export interface HoldoutRow extends LabelledRow {
  slice: HoldoutSlice;
  /** Feedback rows: who sent the deciding correction (`api` when the caller named no source). */
  source?: string;
}


export interface MergeInput {
  base: readonly LabelledRow[];
  baseHoldout: readonly LabelledRow[];
  records: DatasetRecords;
  /** Share of feedback texts (0–100) that go to the holdout. */
  feedbackHoldoutPercent: number;
  /** Training weight of a self-labelled row (a human label weighs 1). */
  selfLabeledWeight?: number;
  /** Training weight of a row whose label a user's correction decided (a base row weighs 1). */
  correctionWeight?: number;
  /**
   * Tag every training row with its balance group (`base`, `source:<feedback source>`,
   * `self_labeled`), so balanced class weights are computed per group: corrections from a domain
   * with other class priors neither move the base's priors nor lose their own minority classes.
   */
  balanceBySource?: boolean;
}

/** A training row; `weight` (default 1) scales its share of the loss; `balanceGroup`: see MergeInput.balanceBySource. */
export interface TrainingRow extends LabelledRow {
  weight?: number;
  balanceGroup?: string;
}

type LabelCounts = Record<Label, number>;

export interface MergeReport {
  base: { rows: number; kept: number; empty_or_duplicate: number; moved_to_holdout: number; relabelled_by_feedback: number };
  feedback: { records: number; texts: number; conflicting_texts: number; on_base_holdout: number; holdout: number; train: number; new_texts: number };
  self_labeled: { records: number; texts: number; used: number; already_labelled: number; weight: number };
  low_confidence: { records: number };
  train: { rows: number; per_source: { base: number; feedback: number; self_labeled: number }; per_label: LabelCounts };
  holdout: { rows: number; per_slice: Record<HoldoutSlice, number>; per_label: LabelCounts };
}

export interface MergedDataset {
  train: TrainingRow[];
  holdout: HoldoutRow[];
  report: MergeReport;
}

/** True if a (normalised) feedback text belongs to the holdout: a stable hash, not a coin flip. */
export function inFeedbackHoldout(key: string, percent: number): boolean {
  const bucket = createHash('sha256').update(key).digest().readUInt32BE(0) / 2 ** 32;
  return bucket * 100 < percent;
}

export interface Vote {
  text: string;
  label: Label;
  timestamp: string;
  id: string;
  source?: string;
}

/** Majority label; a tie goes to the most recent vote among the tied labels. */
export function resolveVotes(votes: readonly Vote[]): { label: Label; text: string; source?: string; conflicting: boolean } {
  const counts = new Map<Label, number>();
  for (const vote of votes) counts.set(vote.label, (counts.get(vote.label) ?? 0) + 1);
  const top = Math.max(...counts.values());
  const latest = votes
    .filter((vote) => counts.get(vote.label) === top)
    .reduce((a, b) => (b.timestamp > a.timestamp || (b.timestamp === a.timestamp && b.id > a.id) ? b : a));
  return { label: latest.label, text: latest.text, source: latest.source, conflicting: counts.size > 1 };
}

/** Votes grouped by normalised text (blank texts dropped), each group in id order. */
export function groupByText<T>(records: readonly T[], vote: (record: T) => Vote): Map<string, Vote[]> {
  const groups = new Map<string, Vote[]>();
  const sorted = records.map(vote).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  for (const v of sorted) {
    const key = textKey(v.text);
    if (key === '') continue;
    const group = groups.get(key);
    if (group) group.push(v);
    else groups.set(key, [v]);
  }
  return groups;
}

export const feedbackVote = (r: FeedbackRecord): Vote => ({ text: r.text, label: r.correct_label, timestamp: r.timestamp, id: r.id, source: r.source });
const selfLabelVote = (r: SelfLabeledRecord): Vote => ({ text: r.text, label: r.label, timestamp: r.timestamp, id: r.id });

const countLabels = (rows: readonly LabelledRow[]): LabelCounts => {
  const counts = Object.fromEntries(LABELS.map((label) => [label, 0])) as LabelCounts;
  for (const row of rows) counts[row.label]++;
  return counts;
};

export function mergeDataset({ base, baseHoldout, records, feedbackHoldoutPercent, selfLabeledWeight = 1, correctionWeight = 1, balanceBySource = false }: MergeInput): MergedDataset {
  const trainingRow = (text: string, label: Label, weight: number, group: string): TrainingRow => ({
    text,
    label,
    ...(weight === 1 ? {} : { weight }),
    ...(balanceBySource ? { balanceGroup: group } : {}),
  });
  const corrected = (text: string, label: Label, source = DEFAULT_FEEDBACK_SOURCE) => trainingRow(text, label, correctionWeight, `source:${source}`);
  const baseRow = (text: string, label: Label) => trainingRow(text, label, 1, 'base');
  const holdout: HoldoutRow[] = cleanRows(baseHoldout).rows.map((row) => ({ ...row, slice: 'base' }));
  const holdoutKeys = new Set(holdout.map((row) => textKey(row.text)));

  // 1. Feedback: resolve each text's label, then send it to the holdout or to training.
  const feedbackGroups = groupByText(records.feedback, feedbackVote);
  const feedbackLabels = new Map<string, { label: Label; text: string; source?: string }>();
  const fb = { records: records.feedback.length, texts: feedbackGroups.size, conflicting_texts: 0, on_base_holdout: 0, holdout: 0, train: 0, new_texts: 0 };
  for (const [key, votes] of feedbackGroups) {
    const resolved = resolveVotes(votes);
    if (resolved.conflicting) fb.conflicting_texts++;
    if (holdoutKeys.has(key)) fb.on_base_holdout++;
    else if (inFeedbackHoldout(key, feedbackHoldoutPercent)) {
      holdout.push({ text: resolved.text, label: resolved.label, slice: 'feedback', source: resolved.source });
      holdoutKeys.add(key);
      fb.holdout++;
    } else {
      feedbackLabels.set(key, resolved);
      fb.train++;
    }
  }

  // 2. Base rows, relabelled where a user corrected them; holdout texts stay out.
  const cleanedBase = cleanRows(base);
  const train: TrainingRow[] = [];
  const labelled = new Set<string>();
  const b = { rows: base.length, kept: 0, empty_or_duplicate: base.length - cleanedBase.rows.length, moved_to_holdout: 0, relabelled_by_feedback: 0 };
  for (const row of cleanedBase.rows) {
    const key = textKey(row.text);
    if (holdoutKeys.has(key)) {
      b.moved_to_holdout++;
      continue;
    }
    const correction = feedbackLabels.get(key);
    if (correction && correction.label !== row.label) b.relabelled_by_feedback++;
    train.push(correction ? corrected(row.text, correction.label, correction.source) : baseRow(row.text, row.label));
    labelled.add(key);
    b.kept++;
  }

  // 3. Feedback texts the base does not have.
  for (const [key, { text, label, source }] of feedbackLabels) {
    if (labelled.has(key)) continue;
    train.push(corrected(text, label, source));
    labelled.add(key);
    fb.new_texts++;
  }

  // 4. Self-labelled texts nobody else labelled.
  const selfGroups = groupByText(records.selfLabeled, selfLabelVote);
  const sl = { records: records.selfLabeled.length, texts: selfGroups.size, used: 0, already_labelled: 0, weight: selfLabeledWeight };
  for (const [key, votes] of selfGroups) {
    if (labelled.has(key) || holdoutKeys.has(key)) {
      sl.already_labelled++;
      continue;
    }
    const { text, label } = resolveVotes(votes);
    train.push(trainingRow(text, label, selfLabeledWeight, 'self_labeled'));
    labelled.add(key);
    sl.used++;
  }

  const perSlice = { base: 0, feedback: 0 };
  for (const row of holdout) perSlice[row.slice]++;
  return {
    train,
    holdout,
    report: {
      base: b,
      feedback: fb,
      self_labeled: sl,
      low_confidence: { records: records.lowConfidence.length },
      train: { rows: train.length, per_source: { base: b.kept, feedback: fb.new_texts, self_labeled: sl.used }, per_label: countLabels(train) },
      holdout: { rows: holdout.length, per_slice: perSlice, per_label: countLabels(holdout) },
    },
  };
}
