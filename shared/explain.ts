/**
 * Explanations of a linear TF-IDF model's prediction, computed from its weights exactly as the
 * graph computes its logits (trainer/export/onnx-model.ts): each n-gram's contribution to the
 * difference between the predicted label's logit and the runner-up's. The bias plus every
 * n-gram's contribution is that difference, so the listed n-grams plus `rest` plus `bias` are too.
 */
import { isCharTokenId, tokenNames, type FeaturizerSpec, type TokenBlock } from './featurizer/index';
import { LABELS, type Label } from './labels';
import type { LinearWeights } from './model-weights';

export interface NgramContribution {
  ngram: string;
  /** `word` for word n-grams (and the featurizer's pseudo-tokens), `char` for character n-grams. */
  kind: TokenBlock;
  contribution: number;
}

export interface Explanation {
  label: Label;
  /** The runner-up: the explanation is of logit(label) - logit(versus). */
  versus: Label;
  logit_difference: number;
  bias: number;
  /** The n-grams that pushed most toward `label` (positive contributions), largest first. */
  toward: NgramContribution[];
  /** The n-grams that pushed most toward `versus` (negative contributions), most negative first. */
  against: NgramContribution[];
  /** The sum of the contributions of every n-gram not listed. */
  rest: number;
}

/** How many n-grams each list holds. */
export const EXPLAIN_TOP = 5;

/** One text's unique token ids with their counts (a row of the featurizer's batch). */
export interface RowTokens {
  ids: ArrayLike<number>;
  counts: ArrayLike<number>;
  length: number;
}

/** Scratch per token, reused across calls (explanations are computed synchronously, one text at a time). */
let slotScratch = new Int32Array(1024);
let valueScratch = new Float64Array(1024);

export function explain(weights: LinearWeights, spec: FeaturizerSpec, text: string, tokens: RowTokens, label: number, versus: number, top = EXPLAIN_TOP): Explanation {
  if (slotScratch.length < tokens.length) {
    slotScratch = new Int32Array(2 ** Math.ceil(Math.log2(tokens.length)));
    valueScratch = new Float64Array(slotScratch.length);
  }
  const slots = slotScratch;
  const values = valueScratch; // tf-idf, then each token's contribution
  // The graph's TF-IDF: a known token's tf x idf, each block (words, chars) L2-normalised on its own.
  let wordSquares = 0;
  let charSquares = 0;
  for (let j = 0; j < tokens.length; j++) {
    const slot = weights.slot(tokens.ids[j]);
    slots[j] = slot;
    const count = tokens.counts[j];
    const value = slot < 0 ? 0 : (count === 1 ? 1 : weights.tf(count)) * weights.signedIdf[slot];
    values[j] = value;
    if (value > 0) charSquares += value * value;
    else wordSquares += value * value;
  }
  const charNorm = Math.sqrt(Math.max(charSquares, 1e-24));
  const wordNorm = Math.sqrt(Math.max(wordSquares, 1e-24));
  let total = 0;
  for (let j = 0; j < tokens.length; j++) {
    const slot = slots[j];
    if (slot < 0) continue;
    const normalized = values[j] / (values[j] > 0 ? charNorm : wordNorm);
    const contribution = normalized * (weights.signedWeight(label, slot) - weights.signedWeight(versus, slot));
    values[j] = contribution;
    total += contribution;
  }
  const contributions = values.subarray(0, tokens.length);
  const toward = topIndexes(contributions, top, 1);
  const against = topIndexes(contributions, top, -1);
  const names = tokenNames(text, spec, [...toward, ...against].map((j) => tokens.ids[j]));
  let shown = 0;
  const listed = (js: number[]) =>
    js.map((j) => {
      const name = names.get(tokens.ids[j]);
      shown += contributions[j];
      return { ngram: name?.ngram ?? `#${tokens.ids[j]}`, kind: name?.block ?? 'word', contribution: contributions[j] };
    });
  const bias = weights.bias[label] - weights.bias[versus];
  return {
    label: LABELS[label],
    versus: LABELS[versus],
    logit_difference: bias + total,
    bias,
    toward: listed(toward),
    against: listed(against),
    rest: total - shown,
  };
}

/** Indexes of the `top` largest values times `sign` (> 0 only), largest first: one pass, no sort. */
function topIndexes(values: Float64Array, top: number, sign: 1 | -1): number[] {
  const best: number[] = [];
  for (let j = 0; j < values.length; j++) {
    const value = values[j] * sign;
    if (value <= 0 || (best.length === top && value <= values[best[top - 1]] * sign)) continue;
    let at = best.length;
    while (at > 0 && values[best[at - 1]] * sign < value) at--;
    best.splice(at, 0, j);
    if (best.length > top) best.pop();
  }
  return best;
}

/** How much of a text the model knows: shares of its n-gram occurrences that have a weight. */
export interface KnownShares {
  /** Of all n-grams, words and characters (0 for a text with none). */
  all: number;
  /** Of its word n-grams (and the featurizer's word-block pseudo-tokens): mostly unknown for text in another language. */
  words: number;
}

export function knownShares(weights: LinearWeights, tokens: RowTokens): KnownShares {
  let known = 0;
  let all = 0;
  let knownWords = 0;
  let words = 0;
  for (let j = 0; j < tokens.length; j++) {
    const id = tokens.ids[j];
    const count = tokens.counts[j];
    const isKnown = weights.slot(id) >= 0;
    all += count;
    if (isKnown) known += count;
    if (!isCharTokenId(id)) {
      words += count;
      if (isKnown) knownWords += count;
    }
  }
  return { all: all === 0 ? 0 : known / all, words: words === 0 ? 0 : knownWords / words };
}
