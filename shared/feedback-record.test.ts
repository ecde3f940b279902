import { describe, expect, it } from 'vitest';
import {
  captureRecordSchema,
  feedbackInputSchema,
  newFeedbackRecord,
  newLowConfidenceRecord,
  newRecordId,
  parseRecordLine,
  recordIdSchema,
  recordIdTime,
  shardPath,
} from './feedback-record';

describe('record ids', () => {
  it('are 26 Crockford characters that encode the millisecond', () => {
    const t = Date.UTC(2026, 10, 27, 8, 30, 0, 123);
    const id = newRecordId(t);
    expect(recordIdSchema.safeParse(id).success).toBe(true);
    expect(recordIdTime(id)).toBe(t);
  });

  it('sort in creation order, also within one millisecond and when the clock steps back', () => {
    const t = Date.now() + 10_000; // ahead of anything made earlier in this process
    const ids = [newRecordId(t), newRecordId(t), newRecordId(t), newRecordId(t - 5), newRecordId(t + 1)];
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('do not collide over many draws', () => {
    const ids = Array.from({ length: 50_000 }, () => newRecordId());
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
  });
});

describe('records', () => {
  // Later than any real clock: ids never go back in time, and tests above made ids dated now + 10 s.
  const now = new Date('2099-11-27T08:30:00.123Z');

  it('builds a feedback record with nulls for what the caller left out', () => {
    const input = feedbackInputSchema.parse({ text: 'meh', model_label: 'positive', correct_label: 'neutral' });
    const record = newFeedbackRecord(input, now);
    expect(record).toMatchObject({
      kind: 'feedback',
      text: 'meh',
      model_label: 'positive',
      correct_label: 'neutral',
      confidence: null,
      model_version: null,
      timestamp: '2099-11-27T08:30:00.123Z',
      source: 'api',
    });
    expect(recordIdTime(record.id)).toBe(now.getTime());
    expect(parseRecordLine(JSON.stringify(record))).toEqual(record);
  });

  it('builds a low-confidence record and drops extra fields from the prediction', () => {
    const prediction = { text: 'hm', label: 'neutral' as const, confidence: 0.41, scores: { negative: 0.3, neutral: 0.41, positive: 0.29 }, model_version: 'v3' };
    const record = newLowConfidenceRecord({ ...prediction, extra: 1 } as typeof prediction, now);
    expect(Object.keys(record).sort()).toEqual(['confidence', 'id', 'kind', 'label', 'model_version', 'scores', 'source', 'text', 'timestamp']);
    expect(record.source).toBe('auto');
    expect(captureRecordSchema.parse(record)).toEqual(record);
  });

  it('rejects unknown labels, empty texts, bad probabilities and a wrong source', () => {
    const good = newFeedbackRecord({ text: 'x', model_label: 'negative', correct_label: 'positive', confidence: 0.6 }, now);
    expect(captureRecordSchema.safeParse({ ...good, correct_label: 'angry' }).success).toBe(false);
    expect(captureRecordSchema.safeParse({ ...good, text: '' }).success).toBe(false);
    expect(captureRecordSchema.safeParse({ ...good, confidence: 1.2 }).success).toBe(false);
    expect(captureRecordSchema.safeParse({ ...good, source: 'auto' }).success).toBe(false);
    expect(captureRecordSchema.safeParse({ ...good, id: 'not-an-id' }).success).toBe(false);
    expect(() => parseRecordLine('{"kind":"feedback"')).toThrow();
  });
});

describe('shardPath', () => {
  it('lays shards out by UTC day with a sortable time prefix', () => {
    // 23:59 in UTC-5 is already the next day in UTC.
    const date = new Date('2026-03-04T23:59:58.007-05:00');
    expect(shardPath('feedback', date, 'abc123')).toBe('feedback/2026/03/05/045958007-abc123.jsonl');
    expect(shardPath('low_confidence', date, 'x_Y-1')).toBe('low_confidence/2026/03/05/045958007-x_Y-1.jsonl');
    expect(shardPath('self_labeled', date, 'run1')).toBe('self_labeled/2026/03/05/045958007-run1.jsonl');
  });

  it('refuses flush ids that would escape the file name, and unknown kinds', () => {
    const date = new Date();
    expect(() => shardPath('feedback', date, '../x')).toThrow();
    expect(() => shardPath('feedback', date, '')).toThrow();
    expect(() => shardPath('bogus' as never, date, 'a')).toThrow();
  });
});
