/** Largest absolute difference between the ONNX graph's probabilities and the trainer's own. */
import { Featurizer } from '../../shared/featurizer/index';
import { columnIndex, predictTokens, type LinearTfidfModel } from './linear-model';

export function maxAbsDifference(model: LinearTfidfModel, texts: readonly string[], onnxProbabilities: Float32Array): number {
  const featurizer = new Featurizer(model.featurizer);
  const columns = columnIndex(model);
  let max = 0;
  texts.forEach((text, row) => {
    const { ids, counts } = featurizer.tokens(text);
    const reference = predictTokens(model, columns, ids, counts);
    for (let c = 0; c < reference.length; c++) max = Math.max(max, Math.abs(reference[c] - onnxProbabilities[row * 3 + c]));
  });
  return max;
}
