/**
 * Checks shared by both runtimes: the fixture model's probabilities equal a plain-JS recomputation
 * from its weights, for texts (through the featurizer) and for raw ids fed as tensors.
 */
import { expect, it } from 'vitest';
import { Featurizer } from '../../shared/featurizer/index';
import { LABELS } from '../../shared/labels';
import { MODEL_INPUT_COUNTS, MODEL_INPUT_IDS, MODEL_OUTPUT, PAD_TOKEN_ID } from '../../shared/model-contract';
import { SentimentModel, type OrtRuntime } from '../../shared/sentiment-model';
import { wordIds } from './fixtures/build-test-model';
import { TEST_MODEL, referenceProbabilities } from './fixtures/test-model-weights';

const TOLERANCE = 1e-6;

export function describeLabelEncoderParity(ort: OrtRuntime, fixtureBytes: () => Uint8Array): void {
  it('scores texts exactly as the weights say', async () => {
    const model = await SentimentModel.load(ort, fixtureBytes());
    expect(model.version).toBe(TEST_MODEL.version);
    const texts = ['I love this, great!', 'I hate the awful rain', 'not good', 'okay okay okay', 'unknown words only', ''];
    const probabilities = await model.probabilities(texts);
    const featurizer = new Featurizer(TEST_MODEL.featurizer);
    const rowOf = new Map([...wordIds()].map(([word, id]) => [id, TEST_MODEL.words[word]]));
    texts.forEach((text, r) => {
      const { ids, counts } = featurizer.tokens(text);
      const expected = referenceProbabilities(Array.from(ids, (id) => rowOf.get(id)), Array.from(counts));
      LABELS.forEach((label, c) => expect(probabilities[r * 3 + c]).toBeCloseTo(expected[label], -Math.log10(TOLERANCE)));
    });
    await model.release();
  });

  it('maps int64 ids at and above 2^31, and padding, through LabelEncoder', async () => {
    const session = await ort.InferenceSession.create(fixtureBytes());
    const [high, top] = [...TEST_MODEL.rawIds.keys()];
    const ids = [high, top, PAD_TOKEN_ID, top, 12345, PAD_TOKEN_ID]; // 2 rows x 3 tokens
    const counts = [2, 1, 0, 3, 1, 0];
    const outputs = await session.run({
      [MODEL_INPUT_IDS]: new ort.Tensor('int64', BigInt64Array.from(ids, BigInt), [2, 3]),
      [MODEL_INPUT_COUNTS]: new ort.Tensor('float32', Float32Array.from(counts), [2, 3]),
    });
    const probabilities = outputs[MODEL_OUTPUT].data as Float32Array;
    for (let r = 0; r < 2; r++) {
      const row = ids.slice(r * 3, r * 3 + 3).map((id) => TEST_MODEL.rawIds.get(id));
      const expected = referenceProbabilities(row, counts.slice(r * 3, r * 3 + 3));
      LABELS.forEach((label, c) => expect(Math.abs(probabilities[r * 3 + c] - expected[label])).toBeLessThanOrEqual(TOLERANCE));
    }
    await session.release();
  });
}
