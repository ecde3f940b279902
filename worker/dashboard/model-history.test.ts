/** The dashboard's reading of metrics/history.jsonl: lenient lines, a cache, and a failed read that keeps the last good copy. */
import { describe, expect, it } from 'vitest';
import { createModelHistorySource, readHistoryLines } from './model-history';

const line = (fields: Record<string, unknown>) => JSON.stringify(fields);

describe('readHistoryLines', () => {
  it('keeps what it can show, skips what is not JSON, and leaves missing fields unknown', () => {
    const text = [
      line({ version: 'v1', promoted: true, recorded_at: '2026-12-01T00:00:00Z', parent_version: null, training_data: { rows: 10 }, metrics: { macro_recall: 0.6 }, reason: 'first', slices: { extra: 1 } }),
      'not json',
      line({ version: null, promoted: false, created_at: '2026-12-02T00:00:00Z', metrics: null, production_metrics: { macro_recall: 0.6 } }),
      '',
    ].join('\n');
    expect(readHistoryLines(text)).toEqual([
      { version: 'v1', promoted: true, recorded_at: '2026-12-01T00:00:00Z', parent_version: null, rows: 10, macro_recall: 0.6, production_macro_recall: null, reason: 'first' },
      { version: null, promoted: false, recorded_at: '2026-12-02T00:00:00Z', parent_version: null, rows: null, macro_recall: null, production_macro_recall: 0.6, reason: null },
    ]);
  });
});

describe('createModelHistorySource', () => {
  it('reads once per ttl, and on failure shows the last good copy with the error', async () => {
    const clock = { t: 0 };
    let calls = 0;
    let fail = false;
    const files = {
      repo: 'team/model',
      text: async (path: string, revision: string) => {
        calls++;
        expect([path, revision]).toEqual(['metrics/history.jsonl', 'main']);
        if (fail) throw new Error('Hub down');
        return line({ version: 'v1', promoted: true, recorded_at: 'x' });
      },
    };
    const source = createModelHistorySource({ files, ttlMs: 1000, retryMs: 100, now: () => clock.t });
    expect((await source.get()).entries).toHaveLength(1);
    await source.get();
    expect(calls).toBe(1);
    clock.t = 1000;
    fail = true;
    const failed = await source.get();
    expect(failed.entries).toHaveLength(1);
    expect(failed.error).toBe('could not read metrics/history.jsonl: Hub down');
    clock.t = 1050;
    await source.get();
    expect(calls).toBe(2); // retried only after retryMs
  });
});
