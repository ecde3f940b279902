import { describe, expect, it } from 'vitest';
import { cleanRows } from './clean';

describe('cleanRows', () => {
  it('drops empty and repeated texts, keeping the first and counting conflicts', () => {
    const { rows, report } = cleanRows([
      { text: 'good', label: 'positive' },
      { text: '   ', label: 'neutral' },
      { text: ' good ', label: 'negative' },
      { text: 'bad  day', label: 'negative' },
      { text: 'bad day', label: 'negative' },
    ]);
    expect(rows).toEqual([
      { text: 'good', label: 'positive' },
      { text: 'bad  day', label: 'negative' },
    ]);
    expect(report).toEqual({ input: 5, kept: 2, empty: 1, duplicates: 2, conflicting: 1 });
  });
});
