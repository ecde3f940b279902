/**
 * The weekly pipeline: pull → merge → train → evaluate against production → decide → publish.
 *
 * The Hub is written once, at the very end: one commit with the new version on promotion, or one
 * commit appending the candidate to metrics/history.jsonl when it is not promoted. A run that
 * stops anywhere before that leaves the Hub as it was. The only reason to throw is an error;
 * "not promoted" is a normal outcome.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runCanaries, type CanaryReport } from '../../shared/canaries/run-canaries';
import { DEFAULT_FEEDBACK_SOURCE } from '../../shared/feedback-record';
import { DATASET_REPO_FILES } from '../../shared/hub-repos';
import { labelIndex } from '../../shared/labels';
import { nextModelVersion, type HoldoutMetrics } from '../../shared/manifest';
import { parseLabelledCsv, writeLabelledCsv } from '../data/csv';
import { mergeDataset, type HoldoutRow, type MergeReport } from '../dataset/merge';
import { datasetCacheDir, pullDataset } from '../dataset/pull';
import { readDatasetRecords } from '../dataset/records';
import { historyLine, parseHistory } from '../hub/history';
import { commitHistory, publishFiles, readPublishedState } from '../hub/model-repo';
import { releaseFiles } from '../hub/release';
import { computeMetrics } from '../evaluate/metrics';
import { compareSlices, type Slice, type SliceComparison } from '../evaluate/slice-comparison';
import { holdoutMetrics, trainCandidate, writeCandidate } from '../model/train-candidate';
import { parseTrainingConfig } from '../model/training-config';
import { loadModelBytes, predictAll } from '../onnx/load-model';
import { selfLabelStep } from '../self-label/retrain-step';
import type { SelfLabelSummary } from '../self-label/run-self-label';
import { checkAlerts, type AlertCheck } from './alerts';
import { decideGate, type GateDecision } from './gate';
import { productionModel } from './production-model';
import { promotionRecord } from './promotion-record';
import type { RetrainConfig } from './retrain-config';
import { type HubSettings } from '../../shared/settings';

export interface RetrainOptions {
  modelRepo: string;
  datasetRepo: string;
  hub: HubSettings;
  config: RetrainConfig;
  /** Where shards, merged CSVs, the candidate and the summary go (default .data/retrain). */
  workDir: string;
  /** Everything except writing to the Hub. */
  dryRun?: boolean;
  /** Train even if nothing changed since the last recorded run. */
  force?: boolean;
  /** Run the self-labelling step whatever `self_label.enabled` says. */
  selfLabel?: boolean;
  log?: (message: string) => void;
  now?: () => Date;
}

export interface RetrainResult {
  status: 'promoted' | 'not_promoted' | 'unchanged';
  dry_run: boolean;
  run_dir: string;
  dataset: { repo: string; revision: string | null; shards: number; invalid_lines: string[] };
  production: { version: string; source: string };
  /** The self-labelling step's run, when it ran. */
  self_label: SelfLabelSummary | null;
  merge: MergeReport | null;
  /** Both models on the whole holdout (what the manifest and history record). */
  candidate: HoldoutMetrics | null;
  production_scores: HoldoutMetrics | null;
  /** …and on each slice, with the bootstrap interval of the change: what the gate decides from. */
  slices: SliceComparison[] | null;
  canaries: { candidate: CanaryReport; production: CanaryReport } | null;
  decision: GateDecision | null;
  /** What was written to the Hub (nothing on a dry run or an unchanged dataset). */
  published: { version: string; commit: string } | null;
  history_commit: string | null;
  alerts: AlertCheck[];
  timings: Record<string, number>;
}

const sha256 = (data: string | Uint8Array) => createHash('sha256').update(data).digest('hex');

export async function runRetrain(options: RetrainOptions): Promise<RetrainResult> {
  const { modelRepo, datasetRepo, hub, config, workDir, dryRun = false, force = false } = options;
  const log = options.log ?? ((message: string) => console.error(`[retrain] ${message}`));
  const now = options.now ?? (() => new Date());
  const timings: Record<string, number> = {};
  const step = async <T>(name: string, work: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    log(`── ${name}`);
    try {
      return await work();
    } finally {
      timings[name] = Math.round(performance.now() - started) / 1000;
    }
  };
  const runDir = join(workDir, 'runs', now().toISOString().replace(/[:.]/g, '-'));
  await mkdir(runDir, { recursive: true });

  // 0. Optional: LLM labels for uncertain texts, committed to the dataset repo before it is pulled.
  const selfLabel = (options.selfLabel ?? config.self_label.enabled) ? await step('self-label', () => selfLabelStep({ datasetRepo, hub, config, workDir, dryRun, log })) : null;

  // 1. Pull the dataset at its head, and read what production is.
  const datasetDir = datasetCacheDir(workDir, datasetRepo);
  const pulled = await step('pull', () => pullDataset({ ...hub, repo: datasetRepo, dir: datasetDir, log }));
  const records = await readDatasetRecords(datasetDir, pulled);
  if (records.invalid.length > 0) log(`skipped ${records.invalid.length} invalid lines, first: ${records.invalid[0]}`);
  const published = await readPublishedState({ ...hub, repo: modelRepo });
  const production = await productionModel({ ...hub, repo: modelRepo, published });
  log(`production: ${production.manifest.version} (${production.source})`);
  const productionSession = await loadModelBytes(production.bytes);

  try {
    const trainingConfigText = await readFile(config.training_config, 'utf8');
    const trainingConfig = parseTrainingConfig(JSON.parse(trainingConfigText));
    // The base dataset: the dataset repo's (push-base) at the pulled revision when it has one, else the config's files.
    const basePaths = pulled.base
      ? { train: join(datasetDir, pulled.base.train), holdout: join(datasetDir, pulled.base.validation) }
      : { train: config.base.train, holdout: config.base.holdout };
    log(`base dataset: ${pulled.base ? `${datasetRepo} at ${pulled.revision}` : `${config.base.train} (the dataset repo has no base/)`}`);
    const baseText = await readFile(basePaths.train, 'utf8');
    const baseHoldoutText = await readFile(basePaths.holdout, 'utf8');
    const inputsDigest = sha256(
      JSON.stringify({
        dataset: pulled.revision,
        base: sha256(baseText),
        holdout: sha256(baseHoldoutText),
        training: trainingConfig,
        split: config.holdout,
        weight: config.correction_weight,
        class_balance: config.class_balance,
        gate: config.gate,
        ...(records.selfLabeled.length > 0 ? { self_label_weight: config.self_label.training_weight } : {}),
      }),
    );

    const result: RetrainResult = {
      status: 'unchanged',
      dry_run: dryRun,
      run_dir: runDir,
      dataset: { repo: datasetRepo, revision: pulled.revision, shards: pulled.files.length, invalid_lines: records.invalid },
      production: { version: production.manifest.version, source: production.source },
      self_label: selfLabel,
      merge: null,
      candidate: null,
      production_scores: null,
      slices: null,
      canaries: null,
      decision: null,
      published: null,
      history_commit: null,
      alerts: await checkAlerts(productionSession, records.feedback, config.alerts, now()),
      timings,
    };

    // Nothing new since the last recorded decision against this same production version: no-op.
    const last = parseHistory(published.history).at(-1);
    const servingAfterLast = last ? (last.promoted ? last.version : last.parent_version) : null;
    if (!force && last?.inputs_digest === inputsDigest && servingAfterLast === production.manifest.version) {
      log(`nothing changed since the run recorded at ${last.recorded_at} (same dataset revision, base files and settings): not training (--force to train anyway)`);
      return await finish(result);
    }

    // 2. Merge into a training set and the fixed holdout.
    const merged = await step('merge', async () =>
      mergeDataset({
        base: parseLabelledCsv(baseText, basePaths.train),
        baseHoldout: parseLabelledCsv(baseHoldoutText, basePaths.holdout),
        records,
        feedbackHoldoutPercent: config.holdout.feedback_percent,
        selfLabeledWeight: config.self_label.training_weight,
        correctionWeight: config.correction_weight,
        balanceBySource: config.class_balance === 'per_source',
      }),
    );
    result.merge = merged.report;
    const r = merged.report;
    log(`training rows: ${r.train.rows} (base ${r.train.per_source.base}, feedback ${r.train.per_source.feedback}, self-labelled ${r.train.per_source.self_labeled}); ${r.base.relabelled_by_feedback} base labels corrected; ${r.low_confidence.records} low-confidence records not used`);
    log(`holdout: ${r.holdout.rows} texts (base ${r.holdout.per_slice.base}, feedback ${r.holdout.per_slice.feedback})`);
    await writeFile(join(runDir, 'train.csv'), writeLabelledCsv(merged.train));
    await writeFile(join(runDir, 'holdout.csv'), writeLabelledCsv(merged.holdout));

    // 3. Train the candidate (parity-checked and scored on the holdout by trainCandidate).
    const holdoutName = `holdout: ${pulled.base ? `${datasetRepo}:${DATASET_REPO_FILES.base.validation}` : config.base.holdout} + ${config.holdout.feedback_percent}% of feedback texts (${datasetRepo}@${pulled.revision?.slice(0, 12) ?? 'none'})`;
    const candidate = await step('train', () =>
      trainCandidate(
        merged.train,
        trainingConfig,
        {
          version: nextModelVersion(published.manifest?.version ?? null),
          parentVersion: production.manifest.version,
          source: pulled.base ? `${datasetRepo} (${DATASET_REPO_FILES.base.train} + feedback)` : `${config.base.train} + ${datasetRepo}`,
          revision: pulled.revision,
          holdout: { name: holdoutName, rows: merged.holdout },
        },
        log,
      ),
    );
    await writeCandidate(join(runDir, 'candidate'), candidate);

    // 4. Both models on the same holdout, slice by slice (the candidate's predictions come from its
    // parity check), and on the behavioural canaries; then the gate decides.
    await step('evaluate', async () => {
      const candidateP = candidate.holdoutProbabilities!;
      const productionP = await predictAll(productionSession, merged.holdout.map((row) => row.text));
      const labels = merged.holdout.map((row) => row.label);
      result.candidate = candidate.manifest.metrics;
      result.production_scores = holdoutMetrics(holdoutName, computeMetrics(Int32Array.from(labels, labelIndex), productionP));
      result.slices = compareSlices(labels, candidateP, productionP, holdoutSlices(merged.holdout), config.gate.bootstrap, holdoutName);
      const candidateSession = await loadModelBytes(candidate.onnx);
      try {
        result.canaries = { candidate: await runCanaries((texts) => candidateSession.probabilities(texts)), production: await runCanaries((texts) => productionSession.probabilities(texts)) };
      } finally {
        await candidateSession.release();
      }
    });
    const decision = decideGate({ slices: result.slices!, canaries: result.canaries }, config.gate);
    result.decision = decision;
    result.status = decision.promote ? 'promoted' : 'not_promoted';
    log(decision.reason);

    // 5. The one write to the Hub.
    await step('publish', async () => {
      const details = { productionMetrics: result.production_scores, reason: decision.reason, inputsDigest };
      if (decision.promote) {
        const promotion = promotionRecord(result.slices!, decision, config.gate.bootstrap.confidence, production.manifest.version);
        const files = releaseFiles(modelRepo, candidate.onnx, { ...candidate.manifest, promotion }, published, details);
        if (dryRun) return log(`dry run: would publish ${files.manifest.version} to ${modelRepo}`);
        const commit = await publishFiles({ ...hub, repo: modelRepo, files, parentCommit: published.sha });
        result.published = { version: files.manifest.version, commit };
        log(`published ${files.manifest.version} to ${modelRepo} as commit ${commit}`);
        return;
      }
      const history = published.history + historyLine({ ...candidate.manifest, parent_version: production.manifest.version }, { promoted: false, ...details });
      if (dryRun) return log('dry run: would append the candidate to metrics/history.jsonl');
      if (!published.sha) {
        await writeFile(join(runDir, 'history.jsonl'), history);
        return log(`${modelRepo} does not exist yet, so the history line was written to ${runDir}/history.jsonl only`);
      }
      result.history_commit = await commitHistory({ ...hub, repo: modelRepo, history, parentCommit: published.sha, title: `Record candidate (not promoted) trained at ${pulled.revision?.slice(0, 12) ?? 'base'}` });
      log(`recorded the candidate in metrics/history.jsonl (commit ${result.history_commit})`);
    });
    return await finish(result);
  } finally {
    await productionSession.release();
  }

  async function finish(result: RetrainResult): Promise<RetrainResult> {
    await writeFile(join(runDir, 'result.json'), JSON.stringify(result, null, 2) + '\n');
    return result;
  }
}

/** base, feedback, and one slice per named feedback source. */
export function holdoutSlices(holdout: readonly HoldoutRow[]): Slice[] {
  const rowsWhere = (keep: (row: HoldoutRow) => boolean) => holdout.flatMap((row, i) => (keep(row) ? [i] : []));
  const sources = [...new Set(holdout.flatMap((row) => (row.slice === 'feedback' && row.source && row.source !== DEFAULT_FEEDBACK_SOURCE ? [row.source] : [])))].sort();
  return [
    { name: 'base', rows: rowsWhere((row) => row.slice === 'base') },
    { name: 'feedback', rows: rowsWhere((row) => row.slice === 'feedback') },
    ...sources.map((source) => ({ name: `source:${source}`, rows: rowsWhere((row) => row.slice === 'feedback' && row.source === source) })),
  ];
}
