/** Loads an ONNX model for the trainer with the Node server's onnxruntime: the engine the workers run. */
import { readFile } from 'node:fs/promises';
import { SentimentModel } from '../../shared/sentiment-model';
import { ortNode } from '../../shared/ort/node';

export function loadModelBytes(bytes: Uint8Array): Promise<SentimentModel> {
  return SentimentModel.load(ortNode, bytes);
}

export async function loadModelFile(path: string): Promise<SentimentModel> {
  return loadModelBytes(new Uint8Array(await readFile(path)));
}

/** Probabilities for many texts, in batches so memory stays flat on large files. */
export async function predictAll(model: SentimentModel, texts: readonly string[], batchSize = 512): Promise<Float32Array> {
  const out = new Float32Array(texts.length * 3);
  for (let start = 0; start < texts.length; start += batchSize) {
    out.set(await model.probabilities(texts.slice(start, start + batchSize)), start * 3);
  }
  return out;
}
