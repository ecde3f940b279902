import { describe, expect, it } from 'vitest';
import type { FeedbackRecord, LowConfidenceRecord, SelfLabeledRecord } from '../../shared/feedback-record';
import type { Label } from '../../shared/labels';
import { inFeedbackHoldout, mergeDataset, resolveVotes } from './merge';
import { emptyRecords, type DatasetRecords } from './records';

let serial = 0;
const id = () => `01J${String(++serial).padStart(23, '0')}`;
const at = (day: number) => `2026-11-${String(day).padStart(2, '0')}T12:00:00.000Z`;

const feedback = (text: string, correct_label: Label, day = 1): FeedbackRecord => ({
  id: id(), kind: 'feedback', text, model_label: 'neutral', correct_label, confidence: 0.5, model_version: 'v1', timestamp: at(day), source: 'api',
});
const selfLabeled = (text: string, label: Label, day = 1): SelfLabeledRecord => ({
  id: id(), kind: 'self_labeled', text, label, confidence: 0.9, labeler: 'test', timestamp: at(day), source: 'llm',
});
const lowConfidence = (text: string): LowConfidenceRecord => ({
  id: id(), kind: 'low_confidence', text, label: 'neutral', confidence: 0.4, scores: { negative: 0.3, neutral: 0.4, positive: 0.3 }, model_version: 'v1', timestamp: at(1), source: 'auto',
});
const records = (parts: Partial<DatasetRecords>): DatasetRecords => ({ ...emptyRecords(), ...parts });

/** Texts that the hash sends to training (percent 20), so tests can aim at either side. */
const trainSide = (prefix: string, n: number) => Array.from({ length: 200 }, (_, i) => `${prefix} ${i}`).filter((t) => !inFeedbackHoldout(t, 20)).slice(0, n);
const holdoutSide = (prefix: string, n: number) => Array.from({ length: 200 }, (_, i) => `${prefix} ${i}`).filter((t) => inFeedbackHoldout(t, 20)).slice(0, n);

const labelOf = (rows: { text: string; label: Label }[], text: string) => rows.find((row) => row.text === text)?.label;

describe('resolveVotes', () => {
  it('takes the majority, then the most recent among tied labels', () => {
    const v = (label: Label, day: number) => ({ text: 't', label, timestamp: at(day), id: id() });
    expect(resolveVotes([v('positive', 1), v('negative', 2), v('positive', 3)])).toMatchObject({ label: 'positive', conflicting: true });
    expect(resolveVotes([v('positive', 3), v('negative', 5)])).toMatchObject({ label: 'negative', conflicting: true });
    expect(resolveVotes([v('negative', 5), v('positive', 3), v('positive', 1), v('negative', 2)])).toMatchObject({ label: 'negative' });
    expect(resolveVotes([v('neutral', 1)])).toMatchObject({ label: 'neutral', conflicting: false });
  });
});

describe('inFeedbackHoldout', () => {
  it('is a stable function of the text, close to the configured share', () => {
    const texts = Array.from({ length: 5000 }, (_, i) => `text number ${i}`);
    const inside = texts.filter((t) => inFeedbackHoldout(t, 20)).length;
    expect(inside / texts.length).toBeGreaterThan(0.18);
    expect(inside / texts.length).toBeLessThan(0.22);
    expect(texts.filter((t) => inFeedbackHoldout(t, 20))).toEqual(texts.filter((t) => inFeedbackHoldout(t, 20)));
    expect(texts.some((t) => inFeedbackHoldout(t, 0))).toBe(false);
    expect(texts.every((t) => inFeedbackHoldout(t, 100))).toBe(true);
  });
});

describe('mergeDataset', () => {
  const [a, b, c, d, e] = trainSide('train-side text', 5);
  const [h1] = holdoutSide('holdout-side text', 1);
  const base = [
    { text: a, label: 'positive' as Label },
    { text: b, label: 'negative' as Label },
    { text: `  ${b}  `, label: 'neutral' as Label }, // the same text after normalising: dropped
    { text: 'a validation text', label: 'neutral' as Label }, // also in the validation split: never trained on
    { text: h1, label: 'positive' as Label }, // a user corrects it, and its hash says holdout
  ];
  const baseHoldout = [{ text: 'a validation text', label: 'positive' as Label }];

  it('lets a user correction override the base label, and resolves conflicting corrections by majority then recency', () => {
    const merged = mergeDataset({
      base,
      baseHoldout,
      records: records({ feedback: [feedback(a, 'negative', 1), feedback(c, 'positive', 1), feedback(c, 'negative', 3), feedback(d, 'neutral', 1), feedback(d, 'neutral', 2), feedback(d, 'positive', 9)] }),
      feedbackHoldoutPercent: 20,
    });
    expect(labelOf(merged.train, a)).toBe('negative');
    expect(labelOf(merged.train, b)).toBe('negative');
    expect(labelOf(merged.train, c)).toBe('negative'); // 1–1 tie: the later one wins
    expect(labelOf(merged.train, d)).toBe('neutral'); // 2–1 majority beats the latest
    expect(merged.report.base).toMatchObject({ rows: 5, empty_or_duplicate: 1, relabelled_by_feedback: 1 });
    expect(merged.report.feedback).toMatchObject({ records: 6, texts: 3, conflicting_texts: 2, train: 3, new_texts: 2 });
  });

  it('never trains on the holdout: validation texts and the feedback slice stay out, and validation labels are not relabelled', () => {
    const merged = mergeDataset({
      base,
      baseHoldout,
      records: records({ feedback: [feedback('a validation text', 'negative'), feedback(h1, 'negative')] }),
      feedbackHoldoutPercent: 20,
    });
    const trained = new Set(merged.train.map((row) => row.text));
    expect(trained.has('a validation text')).toBe(false);
    expect(trained.has(h1)).toBe(false);
    expect(merged.holdout).toEqual([
      { text: 'a validation text', label: 'positive', slice: 'base' },
      { text: h1, label: 'negative', slice: 'feedback', source: 'api' },
    ]);
    expect(merged.report.feedback).toMatchObject({ on_base_holdout: 1, holdout: 1 });
    expect(merged.report.base.moved_to_holdout).toBe(2);
    expect(merged.report.holdout).toMatchObject({ rows: 2, per_slice: { base: 1, feedback: 1 }, per_label: { negative: 1, neutral: 0, positive: 1 } });
  });

  it('uses self-labelled rows only for texts nobody else labelled, and never low-confidence rows', () => {
    const merged = mergeDataset({
      base,
      baseHoldout,
      records: records({
        feedback: [feedback(d, 'positive')],
        selfLabeled: [selfLabeled(a, 'neutral'), selfLabeled(d, 'negative'), selfLabeled(e, 'negative', 1), selfLabeled(e, 'positive', 2)],
        lowConfidence: [lowConfidence('an unlabelled text'), lowConfidence(e)],
      }),
      feedbackHoldoutPercent: 20,
    });
    expect(labelOf(merged.train, a)).toBe('positive'); // base beats the LLM
    expect(labelOf(merged.train, d)).toBe('positive'); // the user beats the LLM
    expect(labelOf(merged.train, e)).toBe('positive'); // LLM tie: the later one
    expect(merged.train.some((row) => row.text === 'an unlabelled text')).toBe(false);
    expect(merged.report.self_labeled).toMatchObject({ records: 4, texts: 3, used: 1, already_labelled: 2 });
    expect(merged.report.low_confidence.records).toBe(2);
    expect(merged.report.train.per_source).toEqual({ base: 3, feedback: 1, self_labeled: 1 });
    expect(merged.report.train.rows).toBe(merged.train.length);
  });

  it('weighs self-labelled rows as configured, and never puts them in the holdout', () => {
    const [onFeedbackHoldout] = holdoutSide('held', 1);
    const [fresh] = trainSide('fresh', 1);
    const merged = mergeDataset({
      base,
      baseHoldout,
      records: records({
        feedback: [feedback(onFeedbackHoldout, 'negative')],
        selfLabeled: [selfLabeled(baseHoldout[0].text, 'negative'), selfLabeled(onFeedbackHoldout, 'positive'), selfLabeled(fresh, 'neutral')],
      }),
      feedbackHoldoutPercent: 20,
      selfLabeledWeight: 0.25,
    });
    expect(merged.train.find((row) => row.text === fresh)).toEqual({ text: fresh, label: 'neutral', weight: 0.25 });
    expect(merged.train.filter((row) => row.weight !== undefined)).toHaveLength(1);
    expect(merged.holdout.find((row) => row.text === onFeedbackHoldout)?.label).toBe('negative');
    expect(merged.holdout.find((row) => row.text === baseHoldout[0].text)?.label).toBe(baseHoldout[0].label);
    expect(merged.holdout.some((row) => row.text === fresh)).toBe(false);
    expect(merged.report.self_labeled).toMatchObject({ used: 1, already_labelled: 2, weight: 0.25 });
  });

  it('with balanceBySource, tags each training row with its balance group: base, the correcting source, or self_labeled', () => {
    const [relabel, fresh, other, guessed] = trainSide('grouped', 4);
    const merged = mergeDataset({
      base: [{ text: relabel, label: 'positive' }, { text: 'kept as it is', label: 'neutral' }],
      baseHoldout,
      records: records({
        feedback: [{ ...feedback(relabel, 'negative'), source: 'films' }, { ...feedback(fresh, 'positive'), source: 'films' }, feedback(other, 'neutral')],
        selfLabeled: [selfLabeled(guessed, 'positive')],
      }),
      feedbackHoldoutPercent: 20,
      correctionWeight: 0.5,
      balanceBySource: true,
    });
    const groupOf = (text: string) => merged.train.find((row) => row.text === text)?.balanceGroup;
    expect([relabel, 'kept as it is', fresh, other, guessed].map(groupOf)).toEqual(['source:films', 'base', 'source:films', 'source:api', 'self_labeled']);
    expect(merged.train.find((row) => row.text === relabel)).toEqual({ text: relabel, label: 'negative', weight: 0.5, balanceGroup: 'source:films' });
    // Off (the default): no groups, one pooled balance.
    const pooled = mergeDataset({ base: [{ text: relabel, label: 'positive' }], baseHoldout, records: records({ feedback: [feedback(fresh, 'positive')] }), feedbackHoldoutPercent: 20 });
    expect(pooled.train.some((row) => row.balanceGroup !== undefined)).toBe(false);
  });

  it('is deterministic: the same inputs give the same rows in the same order', () => {
    const input = { base, baseHoldout, records: records({ feedback: [feedback(c, 'positive'), feedback(d, 'negative')] }), feedbackHoldoutPercent: 20 };
    expect(mergeDataset(input)).toEqual(mergeDataset(input));
  });
});
