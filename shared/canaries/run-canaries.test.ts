import { describe, expect, it } from 'vitest';
import { shippedModelBytes } from '../test/shipped-model.test-helpers';
import { SentimentModel } from '../sentiment-model';
import { ortNode } from '../ort/node';
import { LABELS, NUM_LABELS } from '../labels';
import { runCanaries, runPolarityCanaries } from './run-canaries';
import { CANARY_SUITE_V1, LABEL_GROUPS } from './suite-v1';

/** A "model" that puts all its mass on `pick(text)`. */
const constant = (pick: (text: string) => number) => async (texts: readonly string[]) => {
  const p = new Float32Array(texts.length * NUM_LABELS);
  texts.forEach((text, row) => (p[row * NUM_LABELS + pick(text)] = 1));
  return p;
};

describe('behavioural canaries', () => {
  it('are a few hundred distinct texts with the three labels', () => {
    const texts = [...LABEL_GROUPS.flatMap((g) => CANARY_SUITE_V1[g].map((c) => c.text)), ...CANARY_SUITE_V1.invariance.flat()];
    expect(texts.length).toBeGreaterThanOrEqual(240);
    expect(new Set(LABEL_GROUPS.flatMap((g) => CANARY_SUITE_V1[g].map((c) => c.text))).size).toBe(texts.length - 60);
    for (const label of LABELS) expect(LABEL_GROUPS.some((g) => CANARY_SUITE_V1[g].some((c) => c.expected === label))).toBe(true);
  });

  it('count failures per group: a model that always says neutral fails every polar canary, no invariance pair', async () => {
    const report = await runCanaries(constant(() => 1));
    const polar = LABEL_GROUPS.flatMap((g) => CANARY_SUITE_V1[g]).filter((c) => c.expected !== 'neutral').length;
    expect(report.failed).toBe(polar);
    expect(report.groups.neutral).toEqual({ n: 30, failed: 0 });
    expect(report.groups.invariance).toEqual({ n: 30, failed: 0 });
    expect(report.polarity).toEqual({ n: 80, wrong_way: 0, agreement: 1 }); // no opinion is not backwards
  });

  it('catch a model that reads polarity backwards', async () => {
    const backwards = new Map(CANARY_SUITE_V1.clear_polarity.map((c) => [c.text, c.expected === 'positive' ? 0 : 2]));
    const polarity = await runPolarityCanaries(constant((text) => backwards.get(text) ?? 1));
    expect(polarity).toMatchObject({ n: 80, wrong_way: 80, agreement: 0 });
    expect(polarity.examples[0]).toBe('"I love this so much, wonderful day" → negative (expected positive)');
  });

  it('run on the shipped model: nearly all clear-polarity canaries the right way round', async () => {
    const model = await SentimentModel.load(ortNode, shippedModelBytes());
    try {
      const report = await runCanaries((texts) => model.probabilities(texts));
      expect(report.total).toBe(218);
      expect(report.polarity.agreement).toBeGreaterThan(0.9);
      expect(report.failed).toBeLessThan(report.total / 4);
    } finally {
      await model.release();
    }
  });
});
