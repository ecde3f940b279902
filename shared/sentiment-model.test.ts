import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ortNode } from './ort/node';
import { SentimentModel } from './sentiment-model';

let model: SentimentModel;
beforeAll(async () => {
  model = await SentimentModel.load(ortNode, new Uint8Array(readFileSync('worker/model/model.onnx')));
});
afterAll(() => model?.release());

describe('SentimentModel.predictOne', () => {
  it('gives every concurrent caller the same prediction as its own predict call', async () => {
    const texts = ['I love this!', 'this is terrible', 'the meeting is at 3pm', 'not bad at all', 'worst day ever 😡', 'ok'];
    const alone = await Promise.all(texts.map(async (text) => (await model.predict([text]))[0]));
    const together = await Promise.all(texts.map((text) => model.predictOne(text)));
    together.forEach((prediction, i) => {
      expect(prediction.label).toBe(alone[i].label);
      for (const label of ['negative', 'neutral', 'positive'] as const) expect(prediction.scores[label]).toBeCloseTo(alone[i].scores[label], 6);
    });
  });
});
