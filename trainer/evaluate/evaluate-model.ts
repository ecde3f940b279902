/** Scores an ONNX model on labelled rows by running the model itself (not in-memory weights). */
import { labelIndex } from '../../shared/labels';
import type { SentimentModel } from '../../shared/sentiment-model';
import type { LabelledRow } from '../data/csv';
import { predictAll } from '../onnx/load-model';
import { computeMetrics, type Metrics } from './metrics';

export async function evaluateModel(model: SentimentModel, rows: readonly LabelledRow[]): Promise<Metrics> {
  const probabilities = await predictAll(
    model,
    rows.map((row) => row.text),
  );
  return computeMetrics(
    rows.map((row) => labelIndex(row.label)),
    probabilities,
  );
}
