import { describe, expect, it } from 'vitest';
import { useShippedModel } from './test/shipped-model.test-helpers';

const shipped = useShippedModel();

describe('SentimentModel.predictOne', () => {
  it('gives every concurrent caller the same prediction as its own predict call', async () => {
    const texts = ['I love this!', 'this is terrible', 'the meeting is at 3pm', 'not bad at all', 'worst day ever 😡', 'ok'];
    const alone = await Promise.all(texts.map(async (text) => (await shipped.model.predict([text]))[0]));
    const together = await Promise.all(texts.map((text) => shipped.model.predictOne(text)));
    together.forEach((prediction, i) => {
      expect(prediction.label).toBe(alone[i].label);
      for (const label of ['negative', 'neutral', 'positive'] as const) expect(prediction.scores[label]).toBeCloseTo(alone[i].scores[label], 6);
    });
  });
});
