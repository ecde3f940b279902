/**
 * Rows → trained model → exported ONNX + manifest. With a holdout it also scores the exported
 * graph (holdout metrics and the behavioural suite) and checks it against the in-memory model
 * (parity), so a model always carries metrics computed by the graph itself, and an export that
 * drifted from the trained weights is refused.
 */
import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { manifestSchema, type BehaviourResult, type HoldoutMetrics, type Manifest } from '../../shared/manifest';
import { runSuite, summarise } from '../behaviour/run-suite';
import { behaviourSuite } from '../behaviour/suite';
import type { LabelledRow } from '../data/csv';
import { labelIndex } from '../../shared/labels';
import { computeMetrics, type Metrics } from '../evaluate/metrics';
import { exportOnnxModel } from '../export/onnx-model';
import { loadModelBytes, predictAll } from '../onnx/load-model';
import { maxAbsDifference } from './parity';
import { trainModel, type ProgressReporter, type TrainingExample } from './train-model';
import type { TrainingConfig } from './training-config';

/** ONNX probabilities must equal the in-memory model's within this on every holdout text. */
export const PARITY_TOLERANCE = 1e-5;

export interface CandidateOptions {
  version: string;
  parentVersion: string | null;
  /** Where the rows came from, for the manifest. */
  source: string;
  revision: string | null;
  /** Scored (and parity-checked) after export; `name` goes into the manifest's metrics. */
  holdout?: { name: string; rows: readonly LabelledRow[] };
}

export interface Candidate {
  onnx: Uint8Array;
  manifest: Manifest;
  /** The exported graph's [n, 3] probabilities on the holdout's rows; null without a holdout. */
  holdoutProbabilities: Float32Array | null;
}

export async function trainCandidate(rows: readonly TrainingExample[], config: TrainingConfig, options: CandidateOptions, log: ProgressReporter): Promise<Candidate> {
  const { model, stats } = trainModel(rows, config, log);
  const createdAt = new Date().toISOString();
  const onnx = exportOnnxModel(model, { modelVersion: options.version, createdAt });
  log(`exported ONNX: ${(onnx.length / 2 ** 20).toFixed(1)} MiB`);

  let metrics: HoldoutMetrics | null = null;
  let holdoutProbabilities: Float32Array | null = null;
  let behaviour: BehaviourResult[] | undefined;
  if (options.holdout) {
    const session = await loadModelBytes(onnx);
    try {
      const { rows, name } = options.holdout;
      const texts = rows.map((row) => row.text);
      holdoutProbabilities = await predictAll(session, texts);
      const difference = maxAbsDifference(model, texts, holdoutProbabilities);
      log(`parity on ${texts.length} holdout texts: max |onnx - in-memory| = ${difference.toExponential(2)}`);
      if (!(difference <= PARITY_TOLERANCE)) {
        throw new Error(`ONNX export differs from the trained model by ${difference} (> ${PARITY_TOLERANCE}); not writing it`);
      }
      metrics = holdoutMetrics(name, computeMetrics(rows.map((row) => labelIndex(row.label)), holdoutProbabilities));
      log(`holdout: macro-recall ${metrics.macro_recall.toFixed(4)}, macro-F1 ${metrics.macro_f1.toFixed(4)}, accuracy ${metrics.accuracy.toFixed(4)}`);
      behaviour = (await runSuite(behaviourSuite(), (texts) => predictAll(session, texts))).map(({ name, capability, kind, n, failure_rate }) => ({ name, capability, kind, n, failure_rate }));
      const { labelled, invariance } = summarise(behaviour);
      log(`behavioural suite: ${(100 * labelled).toFixed(1)}% of labelled cases fail, ${(100 * invariance).toFixed(1)}% of invariance pairs flip`);
    } finally {
      await session.release();
    }
  }

  const manifest = manifestSchema.parse({
    version: options.version,
    created_at: createdAt,
    sha256: createHash('sha256').update(onnx).digest('hex'),
    size_bytes: onnx.length,
    featurizer: config.featurizer,
    training_data: { source: options.source, revision: options.revision, rows: stats.examples },
    hyperparameters: {
      vectorizer: config.vectorizer,
      classifier: config.classifier,
      solver: { iterations: stats.iterations, converged: stats.converged, stop_reason: stats.stopReason, loss: stats.loss },
    },
    metrics,
    behaviour,
    parent_version: options.parentVersion,
  });
  return { onnx, manifest, holdoutProbabilities };
}

/** The manifest's view of evaluator metrics (no confusion matrix or calibration bins). */
export function holdoutMetrics(dataset: string, metrics: Metrics): HoldoutMetrics {
  const { n, accuracy, macro_recall, macro_f1, per_class, expected_calibration_error, low_confidence_rate } = metrics;
  return { dataset, n, accuracy, macro_recall, macro_f1, per_class, expected_calibration_error, low_confidence_rate };
}

/** model.onnx + manifest.json in `dir`: what `publish`, `evaluate` and the worker read. */
export async function writeCandidate(dir: string, { onnx, manifest }: Pick<Candidate, 'onnx' | 'manifest'>): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'model.onnx'), onnx);
  await writeFile(join(dir, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
}
