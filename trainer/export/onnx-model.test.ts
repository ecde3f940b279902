import { readFileSync } from 'node:fs';
import onnxProto from 'onnx-proto';
import * as ort from 'onnxruntime-web';
import { beforeAll, describe, expect, it } from 'vitest';
import { Featurizer } from '../../shared/featurizer/index';
import { METADATA_KEYS, MODEL_INPUT_COUNTS, MODEL_INPUT_IDS, MODEL_OUTPUT, PAD_TOKEN_ID } from '../../shared/model-contract';
import { readModelMetadata } from '../../shared/sentiment-model';
import { cleanRows } from '../data/clean';
import { parseLabelledCsv } from '../data/csv';
import { PARITY_TOLERANCE } from '../model/train-candidate';
import { loadModelBytes, predictAll } from '../onnx/load-model';
import { columnIndex, predictTokens, softmax, type LinearTfidfModel } from '../model/linear-model';
import { maxAbsDifference } from '../model/parity';
import { trainModel } from '../model/train-model';
import { parseTrainingConfig } from '../model/training-config';
import { exportOnnxModel } from './onnx-model';
import { buildPerfectHash, slotOf } from './perfect-hash';

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
    // How the vocabulary tables are read is checked by 'reads vocabulary-sized tables only per token' below.
  });

  it('is refused by the runtime when its featurizer version is unknown', async () => {
    const tampered = exportOnnxModel(
      { ...model, featurizer: { ...model.featurizer, version: 99 as 1 } },
      { modelVersion: 'v8', createdAt: '2026-01-01T00:00:00.000Z' },
    );
    await expect(loadModelBytes(tampered)).rejects.toThrow(/unsupported featurizer/);
  });

  it('reads vocabulary-sized tables only per token, through the hashed column', () => {
    const graph = onnxProto.onnx.ModelProto.decode(onnx).graph!;
    const vocabularySize = model.vocabulary.length;
    const large = graph.initializer!.filter((t) => t.dims!.reduce((a, d) => a * Number(d), 1) >= vocabularySize / 8);
    expect(large.map((t) => t.name).sort()).toEqual(['displacement', 'keys', 'signed_idf', 'signed_weights']);
    for (const table of large) {
      const readers = graph.node!.filter((n) => n.input!.includes(table.name!));
      expect(readers.length).toBe(1);
      // ArrayFeatureExtractor(table, index) -> [table rows, batch * tokens]
      expect(readers[0].opType).toBe('ArrayFeatureExtractor');
      expect(readers[0].input).toEqual([table.name, table.name === 'displacement' ? 'bucket' : 'column']);
    }
  });

  describe('on raw token ids', () => {
    let session: ort.InferenceSession;
    const featurizer = () => new Featurizer(model.featurizer);
    const run = async (rows: { ids: number[]; counts: number[] }[]) => {
      const width = Math.max(...rows.map((row) => row.ids.length));
      const ids = new BigInt64Array(rows.length * width).fill(BigInt(PAD_TOKEN_ID));
      const counts = new Float32Array(rows.length * width);
      rows.forEach((row, r) => row.ids.forEach((id, j) => ((ids[r * width + j] = BigInt(id)), (counts[r * width + j] = row.counts[j]))));
      const outputs = await session.run({
        [MODEL_INPUT_IDS]: new ort.Tensor('int64', ids, [rows.length, width]),
        [MODEL_INPUT_COUNTS]: new ort.Tensor('float32', counts, [rows.length, width]),
      });
      return outputs[MODEL_OUTPUT].data as Float32Array;
    };

    beforeAll(async () => {
      session = await ort.InferenceSession.create(onnx, { graphOptimizationLevel: 'all' });
    });

    it('ignores ids outside the vocabulary, though most share a slot with a vocabulary id', async () => {
      const known = new Set(model.vocabulary);
      const hash = buildPerfectHash(model.vocabulary);
      const strangers: number[] = [];
      for (let i = 0; strangers.length < 3000; i++) {
        const id = (Math.imul(i + 1, 2654435761) ^ (i << 16)) >>> 0; // both blocks
        if (!known.has(id)) strangers.push(id);
      }
      const sharing = strangers.filter((id) => hash.keyAtSlot[slotOf(hash, id)] >= 0).length;
      expect(sharing).toBeGreaterThan(strangers.length / 2); // the key check, not luck, rejects them

      const tokens = featurizer().tokens(texts[3]);
      const plain = { ids: Array.from(tokens.ids), counts: Array.from(tokens.counts) };
      const [before, after] = [strangers.slice(0, 1500), strangers.slice(1500)];
      const mixed = { ids: [...before, ...plain.ids, ...after], counts: [...before.map(() => 2), ...plain.counts, ...after.map(() => 1)] };
      const probabilities = await run([plain, mixed]);
      const reference = predictTokens(model, columnIndex(model), tokens.ids, tokens.counts);
      for (let c = 0; c < 3; c++) {
        expect(Math.abs(probabilities[c] - reference[c])).toBeLessThanOrEqual(PARITY_TOLERANCE);
        expect(Math.abs(probabilities[3 + c] - probabilities[c])).toBeLessThan(1e-6);
      }
    });

    it('gives softmax(bias) to a row with no vocabulary token, padding only or unknown ids only', async () => {
      const unknown = [0, 1, 2 ** 31, 2 ** 32 - 1].filter((id) => !model.vocabulary.includes(id));
      const probabilities = await run([
        { ids: [], counts: [] }, // all padding, beside a longer row
        { ids: unknown, counts: unknown.map((_, i) => i + 1) },
        { ids: Array.from(model.vocabulary.subarray(0, 5)), counts: [1, 1, 2, 1, 1] },
      ]);
      const expected = softmax(Float64Array.from(model.bias));
      for (let c = 0; c < 3; c++) {
        expect(Math.abs(probabilities[c] - expected[c])).toBeLessThan(1e-6);
        expect(Math.abs(probabilities[3 + c] - expected[c])).toBeLessThan(1e-6);
      }
      expect(probabilities.every(Number.isFinite)).toBe(true);
    });
  });
});
