/**
 * After the smoke test, before a downloaded version serves: the clear-polarity canaries
 * (shared/canaries/) must mostly come out the right way round. A model with negated weights has
 * a valid graph, manifest and sha256 and finite probabilities; only its behaviour gives it away.
 * The floor leaves a sane model a wide margin (the shipped v1 scores 0.99) and an inverted one
 * none (0.01). One batch of 80 short texts: a few milliseconds on either runtime.
 */
import { runPolarityCanaries } from '../../shared/canaries/run-canaries';
import type { SentimentModel } from '../../shared/sentiment-model';

/** Share of clear-polarity canaries a version must not score the wrong way round. */
export const POLARITY_FLOOR = 0.75;

export class CanaryCheckError extends Error {
  override name = 'CanaryCheckError';
}

export async function checkCanaries(model: Pick<SentimentModel, 'probabilities'>, floor = POLARITY_FLOOR): Promise<void> {
  const result = await runPolarityCanaries((texts) => model.probabilities(texts));
  if (result.agreement >= floor) return;
  throw new CanaryCheckError(
    `behavioural canaries: ${result.wrong_way} of ${result.n} clear-polarity texts scored the wrong way round (agreement ${result.agreement.toFixed(2)}, floor ${floor}), e.g. ${result.examples.join('; ')}`,
  );
}
