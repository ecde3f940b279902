/**
 * `npm run bench:correction-weight`: how the retrain's training settings trade what corrections
 * teach against the base, measured on the TRAIN files only (never on any val.csv). The base is 90%
 * of TweetEval train; the corrections are 80% of SST-3 and FPB train (the retrain's own feedback
 * split); scores are macro-recall on the held-out 10% / 20% of those same train files, plus the
 * behavioural canaries. Each setting is one in-memory fit with the product's trainer.
 *
 *   npm run bench:correction-weight -- --data-dir ../shared/data --weights 2,3
 *   npm run bench:correction-weight -- --base-only                       # the "production" reference
 *   npm run bench:correction-weight -- --sources sst3 --no-base          # an in-domain-only model
 */
import { appendFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { runCanaries } from '../../shared/canaries/run-canaries';
import { labelIndex, LABELS } from '../../shared/labels';
import { cleanRows, textKey } from '../data/clean';
import { readLabelledCsv, type LabelledRow } from '../data/csv';
import { inFeedbackHoldout } from '../dataset/merge';
import { computeMetrics } from '../evaluate/metrics';
import type { LinearTfidfModel } from '../model/linear-model';
import { predictTexts, trainModel, type TrainingExample } from '../model/train-model';
import { parseTrainingConfig } from '../model/training-config';
import { readRetrainConfig } from '../retrain/retrain-config';

const OUT = 'trainer/bench/results/correction-weight.jsonl';
const { values } = parseArgs({
  options: {
    'data-dir': { type: 'string', default: '../shared/data' },
    weights: { type: 'string', default: '2' },
    sources: { type: 'string', default: 'sst3,financial_phrasebank' },
    'max-features': { type: 'string' },
    tolerance: { type: 'string' },
    C: { type: 'string' },
    'base-only': { type: 'boolean', default: false },
    'no-base': { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (values.help) {
  console.log('usage: npm run bench:correction-weight -- [--data-dir ../shared/data] [--weights 2,3] [--sources sst3,financial_phrasebank] [--max-features N] [--tolerance T] [--C c] [--base-only | --no-base]');
  process.exit(0);
}

const retrain = await readRetrainConfig();
const config = parseTrainingConfig(JSON.parse(await readFile(retrain.training_config, 'utf8')));
if (values['max-features']) config.vectorizer.maxFeatures = Number(values['max-features']);
if (values.tolerance) config.classifier.tolerance = Number(values.tolerance);
if (values.C) config.classifier.C = Number(values.C);

/** A stable split by text (the retrain's own hash), so every run holds out the same rows. */
const split = (rows: readonly LabelledRow[], percent: number, salt: string) => {
  const parts = { train: [] as LabelledRow[], held: [] as LabelledRow[] };
  for (const row of cleanRows(rows).rows) (inFeedbackHoldout(salt + textKey(row.text), percent) ? parts.held : parts.train).push(row);
  return parts;
};
// The base's selection fold has its own salt: the retrain never holds out base train rows.
const base = split(await readLabelledCsv(retrain.base.train), 10, 'sel:');
const sources = values.sources!.split(',');
const feedback = Object.fromEntries(await Promise.all(sources.map(async (s) => [s, split(await readLabelledCsv(join(values['data-dir']!, s, 'train.csv')), retrain.holdout.feedback_percent, '')] as const)));

const score = (model: LinearTfidfModel, rows: readonly LabelledRow[]) => {
  const m = computeMetrics(Int32Array.from(rows, (r) => labelIndex(r.label)), predictTexts(model, rows.map((r) => r.text)));
  return { macro_recall: m.macro_recall, recall: Object.fromEntries(LABELS.map((l) => [l, m.per_class[l].recall])) };
};
const points = (x: number) => (100 * x).toFixed(2);

for (const weight of values['base-only'] ? [1] : values.weights!.split(',').map(Number)) {
  const examples: TrainingExample[] = [
    ...(values['no-base'] ? [] : base.train.map((row) => ({ ...row, balanceGroup: 'base' }))),
    ...(values['base-only'] ? [] : sources.flatMap((s) => feedback[s].train.map((row) => ({ ...row, weight, balanceGroup: `source:${s}` })))),
  ];
  const started = performance.now();
  const { model, stats } = trainModel(examples, config);
  const seconds = (performance.now() - started) / 1000;
  const scores = { base: score(model, base.held), ...Object.fromEntries(sources.map((s) => [s, score(model, feedback[s].held)])) };
  const canaries = await runCanaries(async (texts) => predictTexts(model, texts));
  const setting = values['base-only'] ? 'base only' : `${values['no-base'] ? 'no base, ' : ''}weight ${weight}`;
  const vectorizer = `max_features ${config.vectorizer.maxFeatures}, tolerance ${config.classifier.tolerance}, C ${config.classifier.C}`;
  console.log(
    `${setting} (${vectorizer}; vocabulary ${stats.vocabularySize}, ${stats.iterations} iterations, ${seconds.toFixed(0)} s) | ` +
      Object.entries(scores).map(([name, s]) => `${name} ${points(s.macro_recall)} (${LABELS.map((l) => (100 * s.recall[l]).toFixed(1)).join('/')})`).join(' | ') +
      ` | canaries failed ${canaries.failed}`,
  );
  const held = { base: base.held.length, ...Object.fromEntries(sources.map((s) => [s, feedback[s].held.length])) };
  await appendFile(OUT, JSON.stringify({ setting, sources: values['base-only'] ? [] : sources, vectorizer, held, scores, canaries: { failed: canaries.failed, groups: canaries.groups, examples: canaries.examples }, vocabulary: stats.vocabularySize, iterations: stats.iterations, seconds, measured_at: new Date().toISOString() }) + '\n');
}
