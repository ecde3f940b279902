import { isCharTokenId, type FeaturizerSpec } from '../../shared/featurizer/index';
import { NUM_LABELS } from '../../shared/labels';

/**
 * A trained TF-IDF + multinomial logistic regression model, in the trainer's memory.
 * Column j of the feature space is the hashed token id vocabulary[j]; word-block ids sort before
 * char-block ids, and each block of a row is L2-normalised on its own.
 */
export interface LinearTfidfModel {
  featurizer: FeaturizerSpec;
  /** Hashed token ids, ascending; index = feature column. */
  vocabulary: Uint32Array;
  /** Smoothed IDF per column. */
  idf: Float64Array;
  /** TF = 1 + ln(count) instead of count. */
  sublinearTf: boolean;
  /** Row-major [vocabulary.length, NUM_LABELS]. */
  weights: Float64Array;
  /** [NUM_LABELS] */
  bias: Float64Array;
}

/** Column index for every token id, built once per model. */
export function columnIndex(model: Pick<LinearTfidfModel, 'vocabulary'>): Map<number, number> {
  const index = new Map<number, number>();
  model.vocabulary.forEach((id, column) => index.set(id, column));
  return index;
}

/**
 * The model's probabilities for one text's tokens, computed in float64 exactly as the ONNX
 * graph does in float32: the reference the export is checked against.
 */
export function predictTokens(
  model: LinearTfidfModel,
  columns: Map<number, number>,
  ids: Uint32Array,
  counts: Float32Array,
): Float64Array {
  const logits = Float64Array.from(model.bias);
  const values: number[] = [];
  const cols: number[] = [];
  const blocks: number[] = [];
  const squares = [0, 0]; // word block, char block
  for (let i = 0; i < ids.length; i++) {
    const column = columns.get(ids[i]);
    if (column === undefined) continue;
    const tf = model.sublinearTf ? 1 + Math.log(counts[i]) : counts[i];
    const value = tf * model.idf[column];
    const block = isCharTokenId(ids[i]) ? 1 : 0;
    values.push(value);
    cols.push(column);
    blocks.push(block);
    squares[block] += value * value;
  }
  const norms = squares.map((sum) => (sum > 0 ? Math.sqrt(sum) : 1));
  for (let k = 0; k < values.length; k++) {
    const row = cols[k] * NUM_LABELS;
    for (let c = 0; c < NUM_LABELS; c++) logits[c] += (values[k] / norms[blocks[k]]) * model.weights[row + c];
  }
  return softmax(logits);
}

export function softmax(logits: Float64Array): Float64Array {
  const max = Math.max(...logits);
  const exps = logits.map((z) => Math.exp(z - max));
  const sum = exps.reduce((a, b) => a + b, 0);
  return exps.map((e) => e / sum);
}
