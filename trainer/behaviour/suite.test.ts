import { describe, expect, it } from 'vitest';
import { LABELS } from '../../shared/labels';
import { runSuite, summarise } from './run-suite';
import { behaviourSuite } from './suite';

describe('behaviourSuite', () => {
  const tests = behaviourSuite();

  it('is the same on every run', () => {
    expect(behaviourSuite()).toEqual(tests);
  });

  it('covers every capability the issue names, each test with cases and no unfilled slot', () => {
    expect(new Set(tests.map((t) => t.capability))).toEqual(
      new Set(['vocabulary', 'negation', 'negation at the end', 'contrast', 'temporal', 'intensifiers', 'reducers', 'questions', 'emoji', 'invariance']),
    );
    for (const test of tests) {
      const texts = test.kind === 'label' ? test.cases.map((c) => c.text) : test.pairs.flat();
      expect(texts.length, test.name).toBeGreaterThan(20);
      for (const text of texts) expect(text, test.name).not.toMatch(/[{}]/);
    }
    for (const test of tests.filter((t) => t.kind === 'invariance')) for (const [a, b] of test.pairs) expect(a).not.toBe(b);
  });

  it('has emoji-only cases with no letters at all', () => {
    for (const name of ['positive emoji only', 'negative emoji only']) {
      for (const { text } of tests.find((t) => t.name === name)!.cases) expect(text).not.toMatch(/\p{L}/u);
    }
  });
});

describe('runSuite', () => {
  it('counts a labelled case as failed when the label is not expected, and a pair when its labels differ', async () => {
    const tests = behaviourSuite().filter((t) => t.name === 'negated negative' || t.name === 'add a URL');
    // Labels every text negative unless it has a URL: all "negated negative" cases fail, every URL pair flips.
    const results = await runSuite(tests, async (texts) => Float32Array.from(texts.flatMap((text) => (text.includes('https://') ? [0, 0, 1] : [1, 0, 0]))));
    expect(results.map((r) => [r.name, r.failure_rate])).toEqual([
      ['negated negative', 1],
      ['add a URL', 1],
    ]);
    expect(results[0].examples[0]).toMatch(/ -> negative$/);
    expect(summarise(results)).toEqual({ labelled: 1, invariance: 1 });
    expect(LABELS).toEqual(['negative', 'neutral', 'positive']);
  });
});
