/** The shipped model (worker/model/) on Node's ORT binding, for tests. */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll } from 'vitest';
import { ortNode } from '../ort/node';
import { SentimentModel } from '../sentiment-model';

export const shippedModelBytes = () => new Uint8Array(readFileSync(new URL('../../worker/model/model.onnx', import.meta.url)));

/** Loaded in a `beforeAll`, released after the file's tests; read `.model` in tests and hooks. */
export function useShippedModel(): { readonly model: SentimentModel } {
  let model: SentimentModel | undefined;
  beforeAll(async () => {
    model = await SentimentModel.load(ortNode, shippedModelBytes());
  });
  afterAll(() => model?.release());
  return {
    get model() {
      if (!model) throw new Error('useShippedModel: the model loads in beforeAll; use it in tests and hooks, not at import time');
      return model;
    },
  };
}
