/**
 * `train`: CSV -> cleaned rows -> TF-IDF + logistic regression -> model.onnx + manifest.json.
 * With --validation it also scores the exported ONNX file and checks it against the in-memory
 * model (parity), so a shipped model always carries metrics computed by the graph itself.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { manifestSchema, type HoldoutMetrics, type Manifest } from '../../shared/manifest';
import { cleanRows } from '../data/clean';
import { readLabelledCsv } from '../data/csv';
import { evaluateModel } from '../evaluate/evaluate-model';
import type { Metrics } from '../evaluate/metrics';
import { exportOnnxModel } from '../export/onnx-model';
import { loadModelBytes, predictAll } from '../onnx/load-model';
import { maxAbsDifference } from '../model/parity';
import { trainModel } from '../model/train-model';
import { parseTrainingConfig, type TrainingConfigFile } from '../model/training-config';
import { UsageError } from './usage-error';

export const usage = `train --data <train.csv> --out <dir> [--config trainer/configs/default.json]
      [--validation <val.csv>] [--version v1] [--parent <version>] [--revision <dataset revision>]
      [--C 0.5] [--min-df 2] [--max-features 200000] [--max-iterations 500]`;

/** ONNX probabilities must equal the in-memory model's within this on every validation text. */
export const PARITY_TOLERANCE = 1e-5;

const log = (message: string) => console.error(`[train] ${message}`);

export async function trainCommand(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      data: { type: 'string' },
      out: { type: 'string' },
      config: { type: 'string', default: 'trainer/configs/default.json' },
      validation: { type: 'string' },
      version: { type: 'string', default: 'v1' },
      parent: { type: 'string' },
      revision: { type: 'string' },
      C: { type: 'string' },
      'min-df': { type: 'string' },
      'max-features': { type: 'string' },
      'max-iterations': { type: 'string' },
    },
  });
  if (!values.data || !values.out) throw new UsageError(`missing --data or --out\nusage: ${usage}`);

  const configFile = JSON.parse(await readFile(values.config, 'utf8')) as TrainingConfigFile;
  const config = parseTrainingConfig(withFlagOverrides(configFile, values));
  const { rows, report } = cleanRows(await readLabelledCsv(values.data));
  log(`read ${report.input} rows from ${values.data}: kept ${report.kept}, dropped ${report.empty} empty and ${report.duplicates} duplicate (${report.conflicting} with another label)`);

  const { model, stats } = trainModel(rows, config, log);
  const createdAt = new Date().toISOString();
  const onnx = exportOnnxModel(model, { modelVersion: values.version, createdAt });
  log(`exported ONNX: ${(onnx.length / 2 ** 20).toFixed(1)} MiB`);

  let metrics: HoldoutMetrics | null = null;
  if (values.validation) {
    const validation = await readLabelledCsv(values.validation);
    const session = await loadModelBytes(onnx);
    const texts = validation.map((row) => row.text);
    const difference = maxAbsDifference(model, texts, await predictAll(session, texts));
    log(`parity on ${texts.length} validation texts: max |onnx - in-memory| = ${difference.toExponential(2)}`);
    if (!(difference <= PARITY_TOLERANCE)) {
      throw new Error(`ONNX export differs from the trained model by ${difference} (> ${PARITY_TOLERANCE}); not writing it`);
    }
    metrics = holdoutMetrics(values.validation, await evaluateModel(session, validation));
    log(`validation: macro-recall ${metrics.macro_recall.toFixed(4)}, macro-F1 ${metrics.macro_f1.toFixed(4)}, accuracy ${metrics.accuracy.toFixed(4)}`);
    await session.release();
  }

  const manifest: Manifest = manifestSchema.parse({
    version: values.version,
    created_at: createdAt,
    sha256: createHash('sha256').update(onnx).digest('hex'),
    size_bytes: onnx.length,
    featurizer: config.featurizer,
    training_data: { source: values.data, revision: values.revision ?? null, rows: stats.examples },
    hyperparameters: {
      vectorizer: config.vectorizer,
      classifier: config.classifier,
      solver: { iterations: stats.iterations, converged: stats.converged, stop_reason: stats.stopReason, loss: stats.loss },
    },
    metrics,
    parent_version: values.parent ?? null,
  });
  await mkdir(values.out, { recursive: true });
  await writeFile(join(values.out, 'model.onnx'), onnx);
  await writeFile(join(values.out, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
  log(`wrote ${join(values.out, 'model.onnx')} and manifest.json (${values.version})`);
}

function withFlagOverrides(file: TrainingConfigFile, flags: Record<string, string | undefined>): TrainingConfigFile {
  const number = (name: string) => (flags[name] === undefined ? undefined : Number(flags[name]));
  return {
    ...file,
    vectorizer: { ...file.vectorizer, min_df: number('min-df') ?? file.vectorizer?.min_df, max_features: number('max-features') ?? file.vectorizer?.max_features },
    classifier: { ...file.classifier, C: number('C') ?? file.classifier?.C, max_iterations: number('max-iterations') ?? file.classifier?.max_iterations },
  };
}

function holdoutMetrics(dataset: string, metrics: Metrics): HoldoutMetrics {
  const { n, accuracy, macro_recall, macro_f1, per_class, expected_calibration_error, low_confidence_rate } = metrics;
  return { dataset, n, accuracy, macro_recall, macro_f1, per_class, expected_calibration_error, low_confidence_rate };
}
