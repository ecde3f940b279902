/**
 * The whole TweetEval validation split inside workerd: the featurizer emits exactly the tokens it
 * emits on Node (the committed digest), and the shipped graph gives Node's probabilities.
 */
import { describe, expect, inject, it } from 'vitest';
import { featurizerDigest } from '../../shared/featurizer/digest';
import { FEATURIZER_VERSIONS, featurizerSpec } from '../../shared/featurizer/index';
import golden from '../../shared/featurizer/validation-digest.json';
import { SentimentModel } from '../../shared/sentiment-model';
import modelBytes from '../model/model.onnx';
import { ortWorkerd } from '../adapter/workerd/ort';
import { worstExplanationError } from '../../shared/test/explanation-check.test-helpers';
import { VALIDATION_BATCH } from './fixtures/validation-batch';
import { textSupport } from '../support/text-support';

const texts = inject('validationTexts');

describe('the validation split inside workerd', () => {
  it('featurizes to the same tokens as on Node, with every featurizer version', () => {
    expect(texts).toHaveLength(2000);
    for (const version of FEATURIZER_VERSIONS) {
      expect(featurizerDigest(texts, featurizerSpec({}, version))).toEqual(golden[`v${version}`]);
    }
  });

  it('scores every text as onnxruntime on Node does, to 1e-6', async () => {
    const expected = inject('validationProbabilities');
    const model = await SentimentModel.load(ortWorkerd, new Uint8Array(modelBytes));
    let maxDifference = 0;
    for (let start = 0; start < texts.length; start += VALIDATION_BATCH) {
      const probabilities = await model.probabilities(texts.slice(start, start + VALIDATION_BATCH));
      probabilities.forEach((p, i) => (maxDifference = Math.max(maxDifference, Math.abs(p - expected[start * 3 + i]))));
    }
    expect(maxDifference).toBeLessThanOrEqual(1e-6);
  });

  it('explains 1,000 texts within 1e-4 of the logit differences the graph computes, and supports the English ones', async () => {
    const model = await SentimentModel.load(ortWorkerd, new Uint8Array(modelBytes));
    const sample = texts.slice(0, 1000);
    const { worst, explained } = await worstExplanationError(model, sample);
    expect(explained).toBe(1000);
    expect(worst).toBeLessThan(1e-4);
    const predictions = await model.predict(sample);
    const supported = predictions.filter((prediction, i) => textSupport(sample[i], prediction.known).supported).length;
    expect(supported / sample.length).toBeGreaterThanOrEqual(0.98);
  });
});
