/**
 * The last gate before a downloaded model serves: a few fixed texts must come out as a
 * [texts, 3] matrix of finite probabilities, each row summing to 1. Catches what the sha256 and
 * metadata checks cannot: a graph that loads but computes garbage (NaN weights, wrong outputs).
 */
import { NUM_LABELS } from '../../shared/labels';
import type { SentimentModel } from '../../shared/sentiment-model';

/** Plain, negated, empty, emoji/mention/URL, and a long text: the featurizer's edge cases. */
export const SMOKE_TEXTS: readonly string[] = [
  'I love this, it is wonderful!',
  'This is not good at all. Worst day ever.',
  'The meeting is at 3pm on Tuesday.',
  '',
  '@user 😐 meh... https://t.co/abc #Monday',
  'so '.repeat(400) + 'long',
];

const SUM_TOLERANCE = 1e-4;

export class SmokeTestError extends Error {
  override name = 'SmokeTestError';
}

export async function smokeTest(model: Pick<SentimentModel, 'probabilities'>, texts: readonly string[] = SMOKE_TEXTS): Promise<void> {
  let probabilities: Float32Array;
  try {
    probabilities = await model.probabilities(texts);
  } catch (error) {
    throw new SmokeTestError(`smoke test: the model failed to run: ${(error as Error).message}`, { cause: error });
  }
  if (probabilities.length !== texts.length * NUM_LABELS) {
    throw new SmokeTestError(`smoke test: expected ${texts.length}x${NUM_LABELS} probabilities, got ${probabilities.length} values`);
  }
  for (let row = 0; row < texts.length; row++) {
    const values = Array.from(probabilities.subarray(row * NUM_LABELS, (row + 1) * NUM_LABELS));
    if (!values.every((p) => Number.isFinite(p) && p >= 0 && p <= 1)) {
      throw new SmokeTestError(`smoke test: text ${row} got probabilities [${values.join(', ')}], not all finite in [0, 1]`);
    }
    const sum = values.reduce((a, b) => a + b, 0);
    if (Math.abs(sum - 1) > SUM_TOLERANCE) {
      throw new SmokeTestError(`smoke test: text ${row}'s probabilities sum to ${sum}, not 1 ± ${SUM_TOLERANCE}`);
    }
  }
}
