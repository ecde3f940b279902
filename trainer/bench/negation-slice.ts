/**
 * `tsx trainer/bench/negation-slice.ts --data <csv> --model a.onnx [--model b.onnx…]`: accuracy and
 * macro-recall of models on the rows of a labelled CSV where featurizer v2 finds a negated lexicon
 * word: real texts nobody wrote for the behavioural suite, to check that a negation feature
 * generalises beyond the templates it was chosen with.
 */
import { parseArgs } from 'node:util';
import { featurizerSpec, tokenStrings } from '../../shared/featurizer/index';
import { LABELS, labelIndex } from '../../shared/labels';
import { readLabelledCsv } from '../data/csv';
import { computeMetrics } from '../evaluate/metrics';
import { loadModelFile, predictAll } from '../onnx/load-model';

const usage = 'usage: tsx trainer/bench/negation-slice.ts --data <text,label csv> --model <model.onnx> [--model <other.onnx>…]';
const { values } = parseArgs({ options: { data: { type: 'string' }, model: { type: 'string', multiple: true }, help: { type: 'boolean' } } });
if (values.help) {
  console.log(usage);
  process.exit(0);
}
if (!values.data || !values.model?.length) {
  console.error(`need --data and at least one --model\n${usage}`);
  process.exit(2);
}

const rows = await readLabelledCsv(values.data);
const v2 = featurizerSpec({ char_ngrams: null }, 2);
const slices: Record<string, number[]> = { all: [], 'negated negative word': [], 'negated positive word': [] };
rows.forEach((row, i) => {
  const tokens = tokenStrings(row.text, v2);
  slices.all.push(i);
  if (tokens.includes('~not-')) slices['negated negative word'].push(i);
  if (tokens.includes('~not+')) slices['negated positive word'].push(i);
});
const probabilities = await Promise.all(values.model.map(async (path) => predictAll(await loadModelFile(path), rows.map((row) => row.text))));
const out = Object.entries(slices).map(([slice, at]) => ({
  slice,
  n: at.length,
  labels: Object.fromEntries(LABELS.map((label) => [label, at.filter((i) => rows[i].label === label).length])),
  models: values.model!.map((model, m) => {
    const picked = new Float32Array(at.length * 3);
    at.forEach((i, k) => picked.set(probabilities[m].subarray(i * 3, i * 3 + 3), k * 3));
    const { accuracy, macro_recall } = computeMetrics(at.map((i) => labelIndex(rows[i].label)), picked);
    return { model, accuracy, macro_recall };
  }),
}));
console.log(JSON.stringify(out, null, 2));
