import { readFileSync } from 'node:fs';
import onnxProto from 'onnx-proto';
import { beforeAll, describe, expect, it } from 'vitest';
import { METADATA_KEYS } from '../../shared/model-contract';
import { readModelMetadata } from '../../shared/sentiment-model';
import { cleanRows } from '../data/clean';
import { parseLabelledCsv } from '../data/csv';
import { PARITY_TOLERANCE } from '../commands/train';
import { loadModelBytes, predictAll } from '../onnx/load-model';
import type { LinearTfidfModel } from '../model/linear-model';
import { maxAbsDifference } from '../model/parity';
import { trainModel } from '../model/train-model';
import { parseTrainingConfig } from '../model/training-config';
import { exportOnnxModel } from './onnx-model';

const readRows = (path: string) => parseLabelledCsv(readFileSync(path, 'utf8'), path);
const validation = readRows('datasets/tweeteval/val.csv');
const texts = validation.map((row) => row.text);

let model: LinearTfidfModel;
let onnx: Uint8Array;

beforeAll(() => {
  // A small but real model: 6,000 tweets, both n-gram blocks, a few thousand features each.
  const { rows } = cleanRows(readRows('datasets/tweeteval/train.csv').slice(0, 6000));
  const config = parseTrainingConfig({ vectorizer: { min_df: 2, max_features: 5000 }, classifier: { max_iterations: 200 } });
  model = trainModel(rows, config).model;
  onnx = exportOnnxModel(model, { modelVersion: 'v7', createdAt: '2026-01-01T00:00:00.000Z' });
}, 120_000);

describe('exportOnnxModel', () => {
  it('matches the in-memory model within 1e-5 on every validation text', async () => {
    const session = await loadModelBytes(onnx);
    const probabilities = await predictAll(session, texts, 256);
    expect(maxAbsDifference(model, texts, probabilities)).toBeLessThanOrEqual(PARITY_TOLERANCE);
    // Batching must not change a row beyond float32 rounding (padding changes the summation order).
    const single = await session.probabilities([texts[5]]);
    single.forEach((p, c) => expect(Math.abs(p - probabilities[15 + c])).toBeLessThan(1e-6));
  });

  it('carries version, featurizer and label order in metadata_props', () => {
    const metadata = readModelMetadata(onnx);
    expect(metadata[METADATA_KEYS.modelVersion]).toBe('v7');
    expect(JSON.parse(metadata[METADATA_KEYS.featurizer])).toEqual(model.featurizer);
    expect(JSON.parse(metadata[METADATA_KEYS.labels])).toEqual(['negative', 'neutral', 'positive']);
  });

  it('uses only sparse operators: nothing of shape [batch, vocabulary]', () => {
    const graph = onnxProto.onnx.ModelProto.decode(onnx).graph!;
    const ops = new Set(graph.node!.map((node) => node.opType));
    for (const dense of ['TfIdfVectorizer', 'OneHot', 'ScatterElements', 'ScatterND']) expect(ops.has(dense)).toBe(false);
    // Every Gather indexes a vocabulary table by the [batch, tokens] column ids.
    for (const node of graph.node!.filter((n) => n.opType === 'Gather')) expect(node.input![1]).toBe('column');
  });

  it('is refused by the runtime when its featurizer version is unknown', async () => {
    const tampered = exportOnnxModel(
      { ...model, featurizer: { ...model.featurizer, version: 99 as 1 } },
      { modelVersion: 'v8', createdAt: '2026-01-01T00:00:00.000Z' },
    );
    await expect(loadModelBytes(tampered)).rejects.toThrow(/unsupported featurizer/);
  });
});
