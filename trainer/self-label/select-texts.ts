/**
 * Which texts a run labels: unlabelled low-confidence texts, deduplicated by normalised text,
 * oldest first, skipping what is already labelled (by users, by an earlier self-label run, by the
 * base dataset). Texts whose answers are all cached cost nothing and are always included; at most
 * `maxNew` texts that still need a paid answer are taken. Plus, for the human-agreement check, up
 * to `auditTexts` of the newest texts users corrected.
 */
import type { FeedbackRecord, LowConfidenceRecord } from '../../shared/feedback-record';
import type { Label } from '../../shared/labels';
import { textKey } from '../data/clean';
import { feedbackVote, groupByText, resolveVotes } from '../dataset/merge';
import type { DatasetRecords } from '../dataset/records';
import { textHash } from './answer-cache';

export interface SelectedText {
  key: string;
  text: string;
  hash: string;
  /** What the production model said when it logged the text (null for audit texts it never logged). */
  production: { label: Label; confidence: number; model_version: string } | null;
  /** The users' label, for audit texts. */
  correction: Label | null;
}

export interface Selection {
  texts: SelectedText[];
  audit: SelectedText[];
  report: { low_confidence_texts: number; already_self_labeled: number; corrected_by_users: number; in_base_dataset: number; new: number; cached: number; left_for_later: number };
}

export interface SelectOptions {
  records: DatasetRecords;
  /** Normalised texts of the base dataset. */
  baseKeys: ReadonlySet<string>;
  /** True if every answer this text needs is cached. */
  isCached: (hash: string) => boolean;
  maxNew: number;
  auditTexts: number;
}

const byTime = <T extends { timestamp: string; id: string }>(a: T, b: T) => (a.timestamp < b.timestamp ? -1 : a.timestamp > b.timestamp ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

export function selectTexts({ records, baseKeys, isCached, maxNew, auditTexts }: SelectOptions): Selection {
  const corrections = correctionsByText(records.feedback);
  const selfLabeled = new Set(records.selfLabeled.map((r) => textKey(r.text)));
  const lowConfidence = new Map<string, LowConfidenceRecord>();
  for (const record of [...records.lowConfidence].sort(byTime)) {
    const key = textKey(record.text);
    if (key !== '' && !lowConfidence.has(key)) lowConfidence.set(key, record);
  }

  const report = { low_confidence_texts: lowConfidence.size, already_self_labeled: 0, corrected_by_users: 0, in_base_dataset: 0, new: 0, cached: 0, left_for_later: 0 };
  const texts: SelectedText[] = [];
  for (const [key, record] of lowConfidence) {
    if (selfLabeled.has(key)) report.already_self_labeled++;
    else if (corrections.has(key)) report.corrected_by_users++;
    else if (baseKeys.has(key)) report.in_base_dataset++;
    else {
      const hash = textHash(record.text);
      if (isCached(hash)) report.cached++;
      else if (report.new < maxNew) report.new++;
      else {
        report.left_for_later++;
        continue;
      }
      texts.push({ key, text: record.text, hash, production: { label: record.label, confidence: record.confidence, model_version: record.model_version }, correction: null });
    }
  }

  const audit = [...corrections.entries()]
    .sort(([, a], [, b]) => (a.timestamp < b.timestamp ? 1 : a.timestamp > b.timestamp ? -1 : 0))
    .slice(0, auditTexts)
    .map(([key, { text, label }]): SelectedText => {
      const logged = lowConfidence.get(key);
      return { key, text, hash: textHash(text), production: logged ? { label: logged.label, confidence: logged.confidence, model_version: logged.model_version } : null, correction: label };
    });
  return { texts, audit, report };
}

function correctionsByText(feedback: readonly FeedbackRecord[]): Map<string, { text: string; label: Label; timestamp: string }> {
  const resolved = new Map<string, { text: string; label: Label; timestamp: string }>();
  for (const [key, votes] of groupByText(feedback, feedbackVote)) {
    const { label, text } = resolveVotes(votes);
    resolved.set(key, { text, label, timestamp: votes.reduce((latest, v) => (v.timestamp > latest ? v.timestamp : latest), '') });
  }
  return resolved;
}
