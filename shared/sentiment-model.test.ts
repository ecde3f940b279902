import { readFileSync } from 'node:fs';
import { connect, createServer, type AddressInfo } from 'node:net';
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

describe('SentimentModel.predict', () => {
  it('lets a Node server accept a connection between the runs of concurrent batches', async () => {
    const events: string[] = [];
    const server = createServer((socket) => {
      events.push('accepted');
      socket.destroy();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const client = connect((server.address() as AddressInfo).port, '127.0.0.1').on('error', () => {});
    try {
      // Requests read in one turn: without turns between their runs, the connection waits for all of them.
      const batch = Array.from({ length: 100 }, (_, i) => `batch text number ${i}, not bad at all`);
      await Promise.all(Array.from({ length: 4 }, (_, i) => model.predict(batch).then(() => events.push(`run ${i}`))));
      expect(events.indexOf('accepted')).toBeGreaterThanOrEqual(0);
      expect(events.indexOf('accepted')).toBeLessThan(events.indexOf('run 1'));
    } finally {
      client.destroy();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
