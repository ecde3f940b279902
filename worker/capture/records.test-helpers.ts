/** Records for the capture tests (not collected as a test file). */
import { newFeedbackRecord, newLowConfidenceRecord, type CaptureRecord } from '../../shared/feedback-record';
import { LABELS } from '../../shared/labels';

/** Alternates feedback and low-confidence records; `i` makes each text distinct. */
export function makeRecord(i: number, now: Date = new Date()): CaptureRecord {
  const label = LABELS[i % 3];
  if (i % 2 === 0) {
    return newFeedbackRecord({ text: `feedback text #${i} ✓ "quoted"\nnew line`, model_label: label, correct_label: LABELS[(i + 1) % 3], confidence: 0.5 }, now);
  }
  return newLowConfidenceRecord({ text: `unsure #${i}`, label, confidence: 0.4, scores: { negative: 0.3, neutral: 0.3, positive: 0.4 }, model_version: 'v1' }, now);
}

export function makeRecords(n: number, from = 0): CaptureRecord[] {
  return Array.from({ length: n }, (_, k) => makeRecord(from + k));
}
